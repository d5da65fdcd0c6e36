"""Danger and calm cues that can overrule the classifier: small, data-driven (content/safety.yaml), heavily tested.

A sentence is split into clauses (at commas, "and", "then", "so", "because"), and each danger sign is judged in its
own clause:
- a negation cancels a sign only when it negates it: it stands within a few words before the sign, in the same
  clause, with no new subject between ("he didnt have a knife", not "i dont know hes hitting her"); a bare "no"
  used as an exclamation ("oh no", "no no no", "no someone is in my house") negates nothing, while "no knife"
  still does;
- a calm cue (the past, a habit, "not urgent") calms the sign in its own clause, and a sign in another clause of
  the same sentence only when that clause does not speak in the present ("there was a fight last night and
  someone got stabbed" is calm; "ive been scared of him for years and a man is threatening me" is not); a plain
  "it has ended" (`ended`) does the same across the whole message ("she had a fit but it stopped, shes fine now");
- a "now" cue anywhere in the sentence keeps the danger, and signs of the intents in `never_calm` (self-harm) are
  never calmed by a history.
Every step is linear in the length of the sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from bot.normalise import Normaliser, read_sentences
from bot.schema import Safety

# How many words before a danger sign a negation may stand and still cancel it ("no one was badly hurt").
NEGATION_WINDOW = 3
# Commas are gone once text is normalised, so the engine splits raw sentences at commas (`split_clauses`) and
# these words split the pieces further.
_CLAUSE_BREAKS = re.compile(r"\b(?:and|then|so|because|cos|coz|cuz|plus|also)\b")
# A new subject between a negation and a sign starts a new thought: "i dont know [hes] hitting her".
_SUBJECTS = frozenset(
    "i im ive he hes she shes they theyre theyve we were it its".split()
    + "someone somebody someones somebodys theres there".split()
)
# Words before a bare "no" that make it an exclamation, not a negation: "oh no", "please no", "no no".
_INTERJECTIONS = frozenset(["oh", "o", "please", "pls", "plz", "no", "god", "omg", "oh", "my", "ah", "ahh"])
# A clause in the present: another clause's past does not calm it.
_PRESENT = re.compile(
    r"\b(is|are|am|im|hes|shes|theyre|theres|its|keeps|wont|cant|now|still|has|have|got a|want|wants)\b"
)


@dataclass(frozen=True, slots=True)
class Assessment:
    """What the safety rules saw in a message."""

    danger: bool  # a clause shows danger now: the reply must lead with 999
    calm: bool  # some clause is about the past, keeps happening, or says it is not urgent
    negated: bool = False  # a danger sign was there but negated ("he didnt have a knife")
    calmed: bool = False  # a danger sign was there in a calm clause ("there was a stabbing last year")
    now: bool = False  # some sentence says something is going on now
    urgent: bool = False  # some sentence says plainly it is going on this minute ("right now", "please help")
    hypothetical: bool = False  # a question about what to do if, or about danger in general
    over: bool = False  # some sentence says plainly it is over, in the past, or not urgent
    intent: str | None = None  # the 999 intent of the sign that decided it (crime, medical, fire, self-harm)
    cue: str | None = None  # the danger sign that decided it, for explanations and tests (never logged)

    @property
    def plainly_calm(self) -> bool:
        """The message says plainly that it is not happening now, and nothing in it says it is."""
        return (self.over or self.hypothetical or self.negated) and not self.now and not self.danger


def _union(patterns: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


class SafetyRules:
    """Decide, clause by clause, whether a message shows danger happening now, and of which kind."""

    def __init__(self, spec: Safety, normalise: Normaliser) -> None:
        self._normalise = normalise
        self._signs = [(intent, _union(patterns)) for intent, patterns in spec.all_signs().items() if patterns]
        self._never_calm = frozenset(spec.never_calm)
        self._calm = _union(spec.calm)
        self._over = _union(spec.over)
        self._ended = _union(spec.ended)
        self._urgent = _union(spec.urgent)
        self._hypothetical = _union(spec.hypothetical)
        self._now = _union([*spec.now, *spec.urgent])
        self._negation = _union(spec.negation)
        self._breakers = _union(spec.negation_breakers)

    def assess(self, text: str) -> Assessment:
        """Danger in any one clause wins unless that clause is calm and its sentence does not say it is now."""
        return self.assess_sentences(read_sentences(text, self._normalise))

    def assess_sentences(self, sentences: list[list[str]]) -> Assessment:
        """`assess` for a message already split into sentences of normalised comma-separated pieces."""
        calm_seen = negated_seen = calmed_seen = now_seen = urgent_seen = asked_seen = False
        # "she had a seizure but it stopped and shes fine now": "it has ended" anywhere in the message calms a sign
        # in another sentence, when that sign's clause does not speak in the present.
        texts = [" ".join(pieces) for pieces in sentences]
        over_seen = any(self._search(self._over, text) for text in texts)
        ended = any(self._search(self._ended, text) for text in texts)
        for pieces in sentences:
            sentence = " ".join(pieces)
            clauses = [c.strip() for piece in pieces for c in _CLAUSE_BREAKS.split(piece) if c.strip()]
            calm_in = [self._search(self._calm, clause) for clause in clauses]
            urgent = self._search(self._urgent, sentence)
            # A question about what to do is not the thing happening, unless the sentence is urgent too.
            asked = not urgent and self._search(self._hypothetical, sentence)
            now = not asked and self._search(self._now, sentence)
            calm_seen = calm_seen or any(calm_in)
            now_seen, urgent_seen, asked_seen = now_seen or now, urgent_seen or urgent, asked_seen or asked
            for index, clause in enumerate(clauses):
                intent, cue, negated = self._danger_cue(clause)
                negated_seen = negated_seen or negated
                if cue is None:
                    continue
                present = speaks_in_present(clause)
                calmed = asked or calm_in[index] or ((any(calm_in) or ended) and not present)
                if (intent in self._never_calm and not asked) or now or not calmed:
                    return Assessment(
                        True,
                        calm_seen,
                        negated_seen,
                        calmed_seen,
                        True,
                        urgent_seen,
                        asked_seen,
                        over_seen,
                        intent,
                        cue,
                    )
                calmed_seen = True
        return Assessment(False, calm_seen, negated_seen, calmed_seen, now_seen, urgent_seen, asked_seen, over_seen)

    def _danger_cue(self, clause: str) -> tuple[str | None, str | None, bool]:
        """The first danger sign that is not negated (its intent and words), and whether a negated one came first."""
        negated = False
        words = clause.split()
        starts = _word_starts(clause)
        for intent, pattern in self._signs:
            for match in pattern.finditer(clause):
                if not self._negates(words, bisect_right(starts, match.start()) - 1):
                    return intent, match.group(0), negated
                negated = True
        return None, None, negated

    def _negates(self, words: list[str], at: int) -> bool:
        """Whether the words just before position `at` negate the sign that starts there."""
        window = words[max(0, at - NEGATION_WINDOW) : at]
        for cut in range(len(window) - 1, -1, -1):
            if window[cut] in _SUBJECTS:
                window = window[cut + 1 :]
                break
        first = at - len(window)
        kept = [
            word for offset, word in enumerate(window) if not (word == "no" and _interjection(words, first + offset))
        ]
        before = " ".join(kept)
        return self._search(self._negation, before) and not self._search(self._breakers, before)

    def only_says_it_is_calm(self, piece: str) -> bool:
        """Whether a piece of a message says nothing but that it is over or not urgent ("nobody is in danger")."""
        if self._over is None or not self._over.search(piece):
            return False
        return len(self._over.sub(" ", piece).split()) < 2

    @staticmethod
    def _search(pattern: re.Pattern[str] | None, text: str) -> bool:
        return bool(pattern and pattern.search(text))


def speaks_in_present(clause: str) -> bool:
    """Whether a normalised clause speaks in the present ("are kicking", "hes got", "i want")."""
    return bool(_PRESENT.search(clause))


def _word_starts(text: str) -> list[int]:
    """Offsets where each whitespace-separated word of `text` starts (text is already single-spaced)."""
    starts, position = [], 0
    for word in text.split(" "):
        starts.append(position)
        position += len(word) + 1
    return starts


def _interjection(words: list[str], index: int) -> bool:
    """A bare "no" after "oh"/"please"/another "no", or before a new subject or another "no": an exclamation."""
    before = words[index - 1] if index > 0 else None
    after = words[index + 1] if index + 1 < len(words) else None
    return before in _INTERJECTIONS or after is None or after == "no" or after in _SUBJECTS
