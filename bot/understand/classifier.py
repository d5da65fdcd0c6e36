"""A softmax-regression head over static sentence embeddings, fitted from intents.yaml.

The head is small (intents x 256 weights) and is fitted in about a second with numpy alone, so a community group's
edit to the examples takes effect: `python -m bot train` saves it beside the content, and the engine refits it in
memory at start-up when the saved one is missing or older than the examples (`check` says so too).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.understand.embeddings import Embedder

log = logging.getLogger(__name__)

HEAD_FILE = "content/classifier.npz"
# The head is fitted by full-batch gradient descent with momentum. Of a small grid (L2 1e-3, 1e-4, 1e-5; rate 2
# and 10; 400 and 1,500 steps) scored on the dev set, 1e-5 / 10 / 400 gave the best accuracy and emergency recall;
# stronger penalties left every probability low and blurred the 999 intents together; more steps changed nothing.
L2 = 1e-5
STEPS = 400
LEARNING_RATE = 10.0
MOMENTUM = 0.9


def examples_fingerprint(intents: Sequence[tuple[str, Sequence[str]]], table: str) -> str:
    """A hash of every intent's examples and of the embedding table: the head is stale when either changes."""
    payload = json.dumps([[intent, list(examples)] for intent, examples in intents] + [table], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Head:
    """Softmax regression: P(intent | text) = softmax(W x + b) over the intents in `labels`."""

    labels: tuple[str, ...]
    weights: np.ndarray  # (intents, dims)
    bias: np.ndarray  # (intents,)
    fingerprint: str

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        logits = vectors @ self.weights.T + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            np.savez_compressed(
                handle,
                labels=np.array(self.labels),
                weights=self.weights.astype(np.float32),
                bias=self.bias.astype(np.float32),
                fingerprint=np.array(self.fingerprint),
            )

    @classmethod
    def load(cls, path: Path) -> Head | None:
        """The saved head, or None when there is none or it cannot be read."""
        try:
            with np.load(path, allow_pickle=False) as data:
                return cls(
                    labels=tuple(str(label) for label in data["labels"]),
                    weights=data["weights"].astype(np.float32),
                    bias=data["bias"].astype(np.float32),
                    fingerprint=str(data["fingerprint"]),
                )
        except (OSError, KeyError, ValueError):
            return None


def fit(vectors: np.ndarray, targets: np.ndarray, labels: tuple[str, ...], fingerprint: str) -> Head:
    """Fit the head by gradient descent on the cross-entropy, each intent weighted by 1 / its example count.

    Written by hand (about twenty lines of numpy) rather than taking scikit-learn, whose import alone would
    double the bot's start-up and memory on a small machine for a fit this simple.
    """
    samples, dims = vectors.shape
    classes = len(labels)
    onehot = np.zeros((samples, classes), dtype=np.float32)
    onehot[np.arange(samples), targets] = 1.0
    counts = np.bincount(targets, minlength=classes).astype(np.float32)
    weight = (1.0 / np.maximum(counts, 1.0))[targets]  # balanced: every intent counts alike, whatever its size
    weight = (weight / weight.sum())[:, None].astype(np.float32)
    w = np.zeros((classes, dims), dtype=np.float32)
    b = np.zeros(classes, dtype=np.float32)
    vw, vb = np.zeros_like(w), np.zeros_like(b)
    for _ in range(STEPS):
        logits = vectors @ w.T + b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        error = (p - onehot) * weight
        gw = error.T @ vectors + L2 * w
        gb = error.sum(axis=0)
        vw = MOMENTUM * vw - LEARNING_RATE * gw
        vb = MOMENTUM * vb - LEARNING_RATE * gb
        w += vw
        b += vb
    return Head(labels=labels, weights=w, bias=b, fingerprint=fingerprint)


class Classifier:
    """Embeddings and head together: `probabilities(text)` gives P(intent) for one message."""

    def __init__(self, embedder: Embedder, head: Head) -> None:
        self.embedder = embedder
        self.head = head

    def probabilities(self, text: str) -> dict[str, float]:
        row = self.head.probabilities(self.embedder.encode([text]))[0]
        return dict(zip(self.head.labels, row.tolist(), strict=True))


def training_data(intents: Sequence[tuple[str, Sequence[str]]]) -> tuple[list[str], np.ndarray, tuple[str, ...]]:
    labels = tuple(intent for intent, _ in intents)
    texts: list[str] = []
    targets: list[int] = []
    for index, (_, examples) in enumerate(intents):
        texts.extend(examples)
        targets.extend([index] * len(examples))
    return texts, np.array(targets, dtype=np.int64), labels


def fit_head(intents: Sequence[tuple[str, Sequence[str]]], embedder: Embedder, normalise) -> Head:
    """Fit a head on every intent's examples, read as the engine reads a message (normalised)."""
    texts, targets, labels = training_data(intents)
    vectors = embedder.encode([normalise(text) for text in texts])
    return fit(vectors, targets, labels, examples_fingerprint(intents, embedder.fingerprint))


def load_or_fit(
    path: Path, intents: Sequence[tuple[str, Sequence[str]]], embedder: Embedder, normalise
) -> tuple[Head, bool]:
    """The saved head when it matches the examples, else one fitted now; and whether the saved one was fresh."""
    expected = examples_fingerprint(intents, embedder.fingerprint)
    head = Head.load(path)
    if head is not None and head.fingerprint == expected:
        return head, True
    log.warning(
        "the classifier head is %s; fitting it in memory (run: python -m bot train)",
        "missing" if head is None else "older than the examples",
    )
    return fit_head(intents, embedder, normalise), False


def head_problem(root: Path, intents: Sequence[tuple[str, Sequence[str]]]) -> str | None:
    """What `check` says when the saved head is missing or older than the examples; None when it is fresh."""
    from bot.understand.embeddings import table_fingerprint

    head = Head.load(root / HEAD_FILE)
    if head is not None and head.fingerprint == examples_fingerprint(intents, table_fingerprint()):
        return None
    state = "is missing" if head is None else "is older than the examples in intents.yaml"
    return (
        f"{HEAD_FILE}:1: the classifier head {state}; the bot fits one in memory at each start-up until you run: "
        "python -m bot train"
    )
