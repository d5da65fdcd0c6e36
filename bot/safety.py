"""Danger and calm cues that can overrule the matcher: small, data-driven (content/safety.yaml), heavily tested."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.normalise import Normaliser, split_sentences
from bot.schema import Safety

# How many words before a danger sign a negation may stand and still cancel it ("no one was badly hurt").
NEGATION_WINDOW = 3


@dataclass(frozen=True, slots=True)
class Assessment:
    """What the safety rules saw in a message."""

    danger: bool  # a sentence shows danger now: the reply must lead with 999
    calm: bool  # some sentence is about the past, keeps happening, or says it is not urgent
    negated: bool = False  # a danger sign was there but negated ("he didnt have a knife")
    calmed: bool = False  # a danger sign was there in a calm sentence ("there was a stabbing last year")
    cue: str | None = None  # the danger sign that decided it, for logs and tests (never the message)


def _union(patterns: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


class SafetyRules:
    """Decide, sentence by sentence, whether a message shows danger happening now."""

    def __init__(self, spec: Safety, normalise: Normaliser) -> None:
        self._normalise = normalise
        self._danger = _union(spec.danger)
        self._calm = _union(spec.calm)
        self._now = _union(spec.now)
        self._negation = _union(spec.negation)
        self._breakers = _union(spec.negation_breakers)

    def assess(self, text: str) -> Assessment:
        """Danger in any one sentence wins unless that same sentence is calm and does not say it is happening now."""
        return self.assess_sentences([self._normalise(raw) for raw in split_sentences(text)])

    def assess_sentences(self, sentences: list[str]) -> Assessment:
        """`assess` for a message already split into sentences and normalised."""
        calm_seen = negated_seen = calmed_seen = False
        for sentence in sentences:
            cue, negated = self._danger_cue(sentence)
            calm = self._search(self._calm, sentence)
            calm_seen = calm_seen or calm
            negated_seen = negated_seen or negated
            if cue and (not calm or self._search(self._now, sentence)):
                return Assessment(danger=True, calm=calm_seen, negated=negated_seen, cue=cue)
            calmed_seen = calmed_seen or bool(cue)
        return Assessment(danger=False, calm=calm_seen, negated=negated_seen, calmed=calmed_seen)

    def _danger_cue(self, sentence: str) -> tuple[str | None, bool]:
        """The first danger sign that is not negated, and whether a negated one came before it."""
        negated = False
        if self._danger is None:
            return None, negated
        for match in self._danger.finditer(sentence):
            before = " ".join(sentence[: match.start()].split()[-NEGATION_WINDOW:])
            if not self._search(self._negation, before) or self._search(self._breakers, before):
                return match.group(0), negated
            negated = True
        return None, negated

    @staticmethod
    def _search(pattern: re.Pattern[str] | None, text: str) -> bool:
        return bool(pattern and pattern.search(text))
