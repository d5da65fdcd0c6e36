"""The static sentence-embedding table shipped in bot/data/embeddings (see tools/make_embeddings.py)."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import numpy as np

TABLE = Path(__file__).resolve().parent.parent / "data" / "embeddings"


class Embedder:
    """One call, numpy out: `encode(texts)` gives one unit-length row per text."""

    def __init__(self, folder: Path = TABLE) -> None:
        # model2vec reads the table and tokenizer from disk; it never reaches a model hub for a local folder.
        from model2vec import StaticModel

        self.folder = folder
        self._model = StaticModel.from_pretrained(str(folder))
        self.dims = int(self._model.dim)

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = np.asarray(self._model.encode(texts, show_progress_bar=False), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-9)

    @property
    def fingerprint(self) -> str:
        return table_fingerprint(self.folder)


@lru_cache(maxsize=4)
def table_fingerprint(folder: Path = TABLE) -> str:
    """A short hash of the table file, so a head fitted on another table is known to be stale."""
    digest = hashlib.sha256()
    with (folder / "model.safetensors").open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]
