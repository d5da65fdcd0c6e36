"""Text clean-up shared by the matcher, the safety rules and the area finder.

`fold` is the plain, content-free part (case, accents, punctuation, repeated letters); `Normaliser` adds the
spelling and slang map from content/spelling.yaml.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping

# Apostrophes vanish so "isn't" and "isnt" read the same; every other non-word character is a space.
_APOSTROPHES = re.compile(r"['’‘`´]")
_NON_WORD = re.compile(r"[^\w£]+|_")
# Three or more of one letter are two ("helppp" -> "helpp" -> the speller's job; "sooo" -> "soo").
_REPEATS = re.compile(r"([a-z])\1{2,}")
_SENTENCE_BREAKS = re.compile(r"[.!?;\n\r]+|\s-\s|\bbut\b|\bhowever\b", re.IGNORECASE)


# One character can expand to 18 under NFKC ("\ufdfa"): the normalised text is capped too, so every later step
# reads a bounded text.
MAX_NORMALISED = 65_536


def fold(text: str) -> str:
    """Lower-case, strip accents, drop apostrophes, punctuation to spaces, squeeze repeats and spaces."""
    if text.isascii():  # most messages: nothing to compose or strip
        text = text.lower()
    else:
        text = _compose(text)
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text)
    text = _NON_WORD.sub(" ", text)
    text = _REPEATS.sub(r"\1\1", text)
    return " ".join(text.split())


def _compose(text: str) -> str:
    """NFKC and casefold, a block at a time, stopping once the result is MAX_NORMALISED long: one character can
    expand to 18, so a long text is never expanded whole."""
    out: list[str] = []
    size = 0
    for start in range(0, len(text), 1024):
        block = unicodedata.normalize("NFKC", text[start : start + 1024]).casefold()
        out.append(block)
        size += len(block)
        if size >= MAX_NORMALISED:
            break
    return "".join(out)[:MAX_NORMALISED]


def split_sentences(text: str) -> list[str]:
    """Split raw text where a new thought starts, so the past in one sentence cannot calm another."""
    return [part for part in _SENTENCE_BREAKS.split(text) if part.strip()]


def read_sentences(text: str, normalise: Callable[[str], str]) -> list[list[str]]:
    """Each sentence as its normalised comma-separated pieces: the safety rules judge a danger sign in its clause."""
    sentences, budget = [], MAX_NORMALISED
    for raw in split_sentences(text):
        pieces = []
        for part in raw.split(","):
            piece = normalise(part)[:budget]
            budget -= len(piece) + 1
            if piece:
                pieces.append(piece)
            if budget <= 0:
                break
        if pieces:
            sentences.append(pieces)
        if budget <= 0:
            break
    return sentences


class Normaliser:
    """Fold text, then map misspellings and slang to the words the content uses, word or phrase at a time."""

    def __init__(self, spelling: Mapping[str, str]) -> None:
        self._map = {fold(key): fold(value) for key, value in spelling.items() if fold(key)}
        keys = sorted(self._map, key=len, reverse=True)
        self._pattern = re.compile(r"\b(" + "|".join(map(re.escape, keys)) + r")\b") if keys else None

    def __call__(self, text: str) -> str:
        folded = fold(text)
        if self._pattern is None:
            return folded
        return self._pattern.sub(lambda m: self._map[m.group(1)], folded)
