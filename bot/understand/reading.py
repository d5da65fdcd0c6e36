"""Text -> Reading: what the rules, the matcher and the classifier see in a message, and whether it is an emergency.

The engine asks the Reader first; only a message that is no emergency goes on to be routed to a service.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.areas import AreaFinder, AreaHit
from bot.content import Content
from bot.matcher import CONFIDENT, MAX_UNKNOWN_SHARE, IntentIndex, rank
from bot.model import Reply, Route
from bot.normalise import Normaliser, read_sentences
from bot.safety import Assessment, SafetyRules, speaks_in_present
from bot.understand.classifier import Classifier

# Telegram caps a message at 4,096 characters, but the console and classify take any length: text is cut before
# anything reads it, so every step after is bounded. The safety rules (linear in the text) read all that is kept;
# the matcher and the classifier read the first MATCH_CHARS of it.
MAX_CHARS = 32_768
TAIL_CHARS = 8_192  # of a longer text, the last this many characters are kept too
MATCH_CHARS = 4_096
# The classifier's probability that a message is one of the 999 intents, above which the reply leads with 999
# unless the message says plainly that it is over. 0.5 is where the classifier says "more likely than not"; on the
# project's own held-out set A it kept recall at its best while sending the fewest other messages to 999.
EMERGENCY_P = 0.5
# A lower probability of danger that still counts as a sign of it: when the bot cannot tell what a message means,
# it leads with 999; a long message with it is also read part by part; and the matcher's emergency needs it.
# Being unsure is no reason to hold the 999 line back.
UNSURE_EMERGENCY_P = 0.25
MAX_PARTS = 16  # of a long message, the parts the classifier also reads one by one


def capped(text: str) -> str:
    """At most MAX_CHARS: the start and the end of a longer text, where "...and now hes at the door" would be."""
    if len(text) <= MAX_CHARS:
        return text
    return text[: MAX_CHARS - TAIL_CHARS] + "\n" + text[-TAIL_CHARS:]


@dataclass(slots=True)
class Reading:
    """What the rules, the matcher and the classifier saw in one text, and what decided (for `--explain`)."""

    normalised: str
    assessment: Assessment
    probabilities: dict[str, float]
    p999: float
    emergency_intent: str | None
    emergency: bool
    decided_by: str
    hit: AreaHit | None = None
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def head(self) -> str:
        """The part of the normalised text the matcher and the classifier read."""
        return self.normalised[:MATCH_CHARS]

    def explain(self, reply: Reply) -> dict[str, object]:
        top = sorted(self.probabilities.items(), key=lambda kv: -kv[1])[:3]
        a = self.assessment
        return {
            "rule": a.cue,
            "rule_intent": a.intent,
            "calm": a.calm,
            "negated": a.negated,
            "now": a.now,
            "urgent": a.urgent,
            "question": a.hypothetical,
            "p_999": round(self.p999, 3),
            "classifier": [[intent, round(p, 3)] for intent, p in top],
            "decided_by": self.decided_by or reply.intent,
        }


class Reader:
    """Reads a text with the safety rules, the matcher and the classifier, and decides whether it is an emergency."""

    def __init__(
        self,
        content: Content,
        normalise: Normaliser,
        index: IntentIndex,
        areas: AreaFinder,
        classifier: Classifier,
    ) -> None:
        self.normalise = normalise
        self.safety = SafetyRules(content.safety, normalise)
        self.never_calm = frozenset(content.safety.never_calm)
        self.index = index
        self.areas = areas
        self.classifier = classifier
        self.emergency_intents = tuple(i.id for i in content.intents if i.route is Route.CALL_999)

    def mostly_known(self, words: list[str]) -> bool:
        """Mostly words of the examples or real English, not keyboard mashing or another language."""
        return self.index.known_share(words) >= 1 - MAX_UNKNOWN_SHARE

    def readable(self, words: list[str]) -> bool:
        """Two words or more, mostly real ones: a sentence the classifier's guess can be trusted on."""
        return len(words) >= 2 and self.mostly_known(words)

    def p999(self, probabilities: dict[str, float]) -> float:
        return sum(probabilities.get(i, 0.0) for i in self.emergency_intents)

    def read(self, text: str) -> Reading:
        """What the rules, the matcher and the classifier see in a text; whether it is an emergency, and which."""
        sentences = read_sentences(text, self.normalise)
        pieces = [piece for sentence in sentences for piece in sentence]
        normalised = " ".join(pieces)
        assessment = self.safety.assess_sentences(sentences)
        if not any(ch.isalpha() for ch in normalised):
            return Reading(normalised, assessment, {}, 0.0, None, emergency=False, decided_by="empty")
        head = normalised[:MATCH_CHARS]
        hit = self.areas.find(head)
        # The place itself says nothing about what the person wants ("fight in bletchley" is no figures question
        # because examples of figures questions name bletchley); it counts later, as evidence for area figures.
        scores = self.index.scores(hit.remove_from(head) if hit else head)
        matched = rank(scores)
        probabilities = self.classifier.probabilities(head)
        # Mostly unknown words (keyboard mashing, another language): the classifier's guess means nothing, so only
        # the rules may call it an emergency.
        p999 = self.p999(probabilities) if self.mostly_known(head.split()) else 0.0
        # Which service: a part that only says it is not urgent ("nobody is in danger, ...") says nothing about
        # that (the rules have read it), and it can pull the classifier towards an intent of its own.
        service = [piece for piece in pieces if not self.safety.only_says_it_is_calm(piece)]
        if service and len(service) < len(pieces):
            probabilities = {
                **self.classifier.probabilities(" ".join(service)[:MATCH_CHARS]),
                **{i: probabilities[i] for i in self.emergency_intents},
            }
        reading = Reading(normalised, assessment, probabilities, p999, None, False, "", hit=hit, scores=scores)
        # Which 999 reply fits: the rule's kind, else the matcher's when it matched a 999 intent, else the
        # classifier's most likely 999 intent.
        if matched and matched.intent in self.emergency_intents and matched.score >= CONFIDENT:
            reading.emergency_intent = matched.intent
        else:
            reading.emergency_intent = max(self.emergency_intents, key=lambda i: probabilities.get(i, 0.0))
        if assessment.danger:
            reading.emergency_intent, reading.emergency, reading.decided_by = assessment.intent, True, "rule"
            return reading
        # The classifier's vote for 999 stands unless the message says plainly that it is over, negated or only a
        # question; a self-harm vote stands even then ("ive felt like this for years" is no reason to wait).
        never_calm = reading.emergency_intent in self.never_calm and not assessment.hypothetical
        if p999 >= EMERGENCY_P and (not assessment.plainly_calm or never_calm):
            reading.emergency, reading.decided_by = True, "classifier"
        elif (
            p999 >= UNSURE_EMERGENCY_P
            and not assessment.negated
            and not assessment.hypothetical
            and self._danger_in_a_calm_free_part(pieces)
        ):
            # "a gang are kicking a lad outside, it happened last year too": the past is in another part; and in a
            # long message the danger in one part can be drowned out by the rest ("hi all ... theres a man ...").
            reading.emergency, reading.decided_by = True, "classifier, on one part"
        return reading

    def _danger_in_a_calm_free_part(self, parts: list[str]) -> bool:
        """Whether a normalised comma-separated part in the present, with no calm cue of its own, reads as an
        emergency by itself."""
        if len(parts) < 2:
            return False
        for part in parts[:MAX_PARTS]:
            seen = self.safety.assess_sentences([[part]])
            if seen.calm or seen.hypothetical or not (seen.now or speaks_in_present(part)):
                continue
            if self.p999(self.classifier.probabilities(part)) >= EMERGENCY_P:
                return True
        return False
