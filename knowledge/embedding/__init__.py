"""Meaning: sentence vectors from a packaged model, cached by content, compared per entry."""

from __future__ import annotations

from pathlib import Path

from knowledge.embedding.encoder import Encoder
from knowledge.embedding.model_files import ModelError, locate
from knowledge.embedding.store import SqliteVectors
from knowledge.embedding.vectors import MemoryVectors, Vectors


def load_vectors(cache: Path | None = None) -> Vectors:
    """The packaged encoder, verified, with corpus vectors cached in `cache` (memory only when None).

    Raises ModelError naming the package when the model is missing or altered.
    """
    store = SqliteVectors(cache) if cache is not None else MemoryVectors()
    return Vectors(Encoder(locate()), store)


__all__ = ["ModelError", "Vectors", "load_vectors"]
