"""The learned classifier: fitted from intents.yaml, saved beside the content, and stale when the examples change."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.content import load_content
from bot.engine import Engine
from bot.normalise import Normaliser
from bot.understand.classifier import HEAD_FILE, Head, examples_fingerprint, fit_head, head_problem, load_or_fit
from bot.understand.embeddings import Embedder

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


def test_the_table_gives_unit_vectors_and_similar_texts_are_closer(embedder: Embedder) -> None:
    vectors = embedder.encode(["my dad has collapsed", "my father fell down and wont wake", "what a lovely day"])
    assert vectors.shape == (3, embedder.dims)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_a_fitted_head_learns_its_examples(embedder: Embedder) -> None:
    intents = [
        ("pets", ["my cat is lovely", "i have a small dog", "our puppy chews shoes", "the kitten sleeps all day"]),
        ("weather", ["it is raining again", "so sunny today", "there is snow on the hills", "cold wind this morning"]),
    ]
    head = fit_head(intents, embedder, str.lower)
    probabilities = head.probabilities(embedder.encode(["the dog barked at the cat", "heavy rain and wind"]))
    assert head.labels == ("pets", "weather")
    assert probabilities[0, 0] > 0.5 and probabilities[1, 1] > 0.5


def test_a_saved_head_loads_back_the_same(tmp_path: Path, embedder: Embedder) -> None:
    head = fit_head(
        [("a", ["one thing", "another thing"]), ("b", ["something else", "a different one"])], embedder, str
    )
    head.save(tmp_path / HEAD_FILE)
    loaded = Head.load(tmp_path / HEAD_FILE)
    assert loaded is not None
    assert loaded.labels == head.labels and loaded.fingerprint == head.fingerprint
    assert np.allclose(loaded.weights, head.weights)


def test_an_unreadable_head_is_treated_as_missing(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / HEAD_FILE).write_bytes(b"not a numpy file")
    assert Head.load(tmp_path / HEAD_FILE) is None


def test_the_shipped_head_matches_the_examples() -> None:
    content = load_content(ROOT)
    assert head_problem(ROOT, [(i.id, i.examples) for i in content.intents]) is None, "run: python -m bot train"


def test_an_edited_example_makes_the_head_stale_and_the_engine_refits(tmp_path: Path, embedder: Embedder) -> None:
    root = tmp_path / "group"
    shutil.copytree(ROOT / "content", root / "content")
    text = (ROOT / "intents.yaml").read_text()
    (root / "intents.yaml").write_text(text.replace("    - ", '    - "we have a brand new example here"\n    - ', 1))
    content = load_content(root)
    intents = [(i.id, i.examples) for i in content.intents]
    problem = head_problem(root, intents)
    assert problem and "older than the examples" in problem and "python -m bot train" in problem
    head, fresh = load_or_fit(root / HEAD_FILE, intents, embedder, Normaliser(content.spelling))
    assert not fresh
    assert head.fingerprint == examples_fingerprint(intents, embedder.fingerprint)
    assert Engine(content).head_fresh is False


def test_check_names_a_missing_head_and_the_command_that_fixes_it(tmp_path: Path) -> None:
    root = tmp_path / "group"
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copy(ROOT / "intents.yaml", root / "intents.yaml")
    (root / HEAD_FILE).unlink()
    run = [sys.executable, "-m", "bot"]
    env = {"BOT_CONTENT_ROOT": str(root), "PATH": "/usr/bin:/bin"}
    check = subprocess.run([*run, "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert check.returncode == 1
    assert "content/classifier.npz:1: the classifier head is missing" in check.stdout
    assert "python -m bot train" in check.stdout
    train = subprocess.run([*run, "train"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert train.returncode == 0, train.stderr
    assert (root / HEAD_FILE).is_file()
    again = subprocess.run([*run, "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stdout
