"""Text -> best intent and score. Knows nothing about replies, routes or safety.

Each example becomes a TF-IDF vector of word stems and stem pairs. A message is compared with every example that
shares a feature with it (an inverted index, so the cost follows the message's words rather than the number of
examples) and with each intent's centroid. Misspelt words are first corrected against the examples' vocabulary
with rapidfuzz, and short messages are also compared whole with rapidfuzz, where word statistics say little.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from itertools import pairwise

import snowballstemmer
from rapidfuzz import fuzz, process

from bot.schema import Intent

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "am",
        "i",
        "me",
        "my",
        "we",
        "us",
        "our",
        "you",
        "your",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "their",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "him",
        "with",
        "from",
        "by",
        "as",
        "so",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "im",
        "ive",
        "id",
        "hes",
        "shes",
        "theyre",
        "thats",
    ]
)
CONFIDENT = 18.0  # below this best score the matcher is unsure of the intent
CORRECTION_CUTOFF = 80.0  # rapidfuzz ratio for an unknown word to be read as a known one
CORRECTION_MIN_LENGTH = 4  # shorter unknown words are left alone: too many near neighbours
MAX_UNKNOWN_WORDS = 3  # a message may always have this many misspelt words corrected...
MAX_UNKNOWN_SHARE = 0.5  # ...or up to this share of its words; beyond that it is not read as English
SHORT_WORDS = 4  # messages of up to this many words are also matched whole
PAIR_WEIGHT = 0.5  # stem pairs count half as much as single stems
UNKNOWN_WEIGHT = 1.5  # how much each word that no example has weighs against a message's score
COVERAGE_SHARE = 0.3  # how much an example with fewer words than the message is marked down for it
CENTROID_SHARE = 0.35  # how much the intent as a whole counts against its best example
POSTINGS_PER_INTENT = 64  # a feature's heaviest examples kept per intent in the inverted index
SHORT_PER_INTENT = 400  # short examples per intent compared whole with a short message


@dataclass(frozen=True, slots=True)
class Match:
    """The best intent with its score (0-100) and the runner-up, for the too-close-to-call rule."""

    intent: str
    score: float
    runner_up: str | None = None
    runner_up_score: float = 0.0


Vector = dict[str, float]


def _weight(posting: tuple[int, float]) -> float:
    return posting[1]


def load_english_words() -> frozenset[str]:
    """Common English words (bot/data/english_words.txt): real words are never "corrected" into other words."""
    text = resources.files("bot").joinpath("data/english_words.txt").read_text(encoding="utf-8")
    return frozenset(word for word in text.split() if word.isalpha())  # the "#" header line drops out


def _unit(vector: Vector) -> Vector:
    norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
    return {k: w / norm for k, w in vector.items()}


class IntentIndex:
    """All examples of all intents, indexed once at start-up."""

    def __init__(
        self, intents: Iterable[Intent], normalise: Callable[[str], str], english: frozenset[str] = frozenset()
    ) -> None:
        self.english = english
        self._stem = snowballstemmer.stemmer("english").stemWord
        labelled = [(intent.id, normalise(example)) for intent in intents for example in intent.examples]
        self.intent_ids = tuple(dict.fromkeys(label for label, _ in labelled))
        self.vocabulary = frozenset(word for _, text in labelled for word in text.split())
        self._words = sorted(self.vocabulary)
        self._labels = [label for label, _ in labelled]
        # Whole short examples, for rapidfuzz's whole-message comparison: the first SHORT_PER_INTENT of each
        # intent, so the cost of a short message does not grow with every example added.
        kept: dict[str, int] = defaultdict(int)
        self._short: dict[int, str] = {}
        for i, (label, text) in enumerate(labelled):
            if len(text.split()) <= SHORT_WORDS * 2 and kept[label] < SHORT_PER_INTENT:
                kept[label] += 1
                self._short[i] = text
        self._short_ids, self._short_texts = list(self._short), list(self._short.values())

        counts = [self._features(text.split()) for _, text in labelled]
        self._sizes = [sum(1 for feature in bag if " " not in feature) for bag in counts]
        df: dict[str, int] = defaultdict(int)
        for bag in counts:
            for feature in bag:
                df[feature] += 1
        n = len(counts)
        self._idf = {f: math.log((n + 1) / (d + 1)) + 1.0 for f, d in df.items()}
        postings: dict[str, dict[str, list[tuple[int, float]]]] = defaultdict(lambda: defaultdict(list))
        centroids: dict[str, Vector] = defaultdict(lambda: defaultdict(float))
        for i, bag in enumerate(counts):
            vector = self._weigh(bag)
            for feature, weight in vector.items():
                postings[feature][self._labels[i]].append((i, weight))
                centroids[self._labels[i]][feature] += weight
        # Inverted lists: feature -> examples that have it. Only the best example of an intent counts, so each
        # feature keeps its POSTINGS_PER_INTENT heaviest examples per intent: the cost of a message then follows
        # its words and the number of intents, not the number of examples.
        self._postings = {
            feature: [
                p
                for per_label in by_label.values()
                for p in heapq.nlargest(POSTINGS_PER_INTENT, per_label, key=_weight)
            ]
            for feature, by_label in postings.items()
        }
        self._central: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for label, vector in centroids.items():
            for feature, weight in _unit(vector).items():
                self._central[feature].append((label, weight))

    def _features(self, words: list[str]) -> dict[str, float]:
        stems = [self._stem(w) for w in words if w not in STOPWORDS]
        bag: dict[str, float] = defaultdict(float)
        for stem in stems:
            bag[stem] += 1.0
        for a, b in pairwise(stems):
            bag[f"{a} {b}"] += PAIR_WEIGHT
        return bag

    def _weigh(self, bag: dict[str, float], *, unknown_weight: float = 0.0) -> Vector:
        """TF-IDF weights, unit length. Features no example has are dropped, but with `unknown_weight` each
        unknown word still counts towards the length, so a message that is mostly unknown words scores low."""
        vector = {
            f: (1 + math.log(c)) * self._idf[f] if c >= 1 else c * self._idf[f]
            for f, c in bag.items()
            if f in self._idf
        }
        unknown = sum(1 for f, c in bag.items() if c >= 1 and " " not in f and f not in self._idf)
        norm = math.sqrt(sum(w * w for w in vector.values()) + unknown * unknown_weight**2) or 1.0
        return {f: w / norm for f, w in vector.items()}

    def known_share(self, words: list[str]) -> float:
        """The share of `words` that are words of the examples or real English words (0 for no words)."""
        if not words:
            return 0.0
        return sum(1 for w in words if w in self.vocabulary or w in self.english) / len(words)

    def correct(self, words: list[str]) -> list[str]:
        """Replace misspelt words by the nearest word of the examples, when one is near enough.

        A word of the examples or a real English word is left alone: "blast" must not become "last". When most
        words are unknown the text is not English (or is keyboard mashing) and nothing is corrected, so that
        random letters are not turned into words the matcher then believes.
        """
        unknown = {
            i
            for i, word in enumerate(words)
            if word not in self.vocabulary
            and word not in self.english
            and len(word) >= CORRECTION_MIN_LENGTH
            and word.isalpha()
        }
        if not unknown or len(unknown) > max(MAX_UNKNOWN_WORDS, len(words) * MAX_UNKNOWN_SHARE):
            return words
        out = list(words)
        for i in unknown:
            best = process.extractOne(words[i], self._words, scorer=fuzz.ratio, score_cutoff=CORRECTION_CUTOFF)
            if best:
                out[i] = best[0]
        return out

    def scores(self, normalised: str) -> dict[str, float]:
        """Every intent's score (0-100) for an already-normalised message."""
        words = self.correct(normalised.split())
        vector = self._weigh(self._features(words), unknown_weight=UNKNOWN_WEIGHT)
        dots: dict[int, float] = defaultdict(float)
        central: dict[str, float] = defaultdict(float)
        for feature, weight in vector.items():
            for label, w in self._central.get(feature, ()):
                central[label] += weight * w
            for i, w in self._postings.get(feature, ()):
                dots[i] += weight * w
        best: dict[str, float] = defaultdict(float)
        labels, sizes = self._labels, self._sizes
        words_known = sum(1 for feature in vector if " " not in feature) or 1
        for i, dot in dots.items():
            # An example of fewer words than the message ("are you police" against "police action on drugs in
            # mk14") is weaker evidence than one that could share all of them.
            if sizes[i] < words_known:
                dot *= 1 - COVERAGE_SHARE + COVERAGE_SHARE * sizes[i] / words_known
            if dot > best[labels[i]]:
                best[labels[i]] = dot
        scores = {
            label: 100.0 * ((1 - CENTROID_SHARE) * best.get(label, 0.0) + CENTROID_SHARE * central.get(label, 0.0))
            for label in self.intent_ids
        }
        if len(words) <= SHORT_WORDS:
            text = " ".join(words)
            short = process.extract(text, self._short_texts, scorer=fuzz.ratio, limit=5, score_cutoff=80)
            for _, score, k in short:
                label = self._labels[self._short_ids[k]]
                scores[label] = max(scores[label], score)
        return scores

    def match(self, normalised: str, boost: Mapping[str, float] | None = None) -> Match | None:
        """The best intent and the runner-up, or None when the message shares nothing with any example.

        `boost` adds evidence the caller has from elsewhere (a place named in the message favours area figures).
        """
        return rank(self.scores(normalised), boost)


def rank(scores: Mapping[str, float], boost: Mapping[str, float] | None = None) -> Match | None:
    """The best two of `scores` after adding `boost` to the intents that scored at all; None when none did."""
    boosted = dict(scores)
    for intent, extra in (boost or {}).items():
        if boosted.get(intent, 0.0) > 0:
            boosted[intent] += extra
    top = heapq.nlargest(2, boosted.items(), key=lambda kv: kv[1])
    if not top or top[0][1] <= 0:
        return None
    runner = top[1] if len(top) > 1 else (None, 0.0)
    return Match(top[0][0], top[0][1], runner[0], runner[1])
