"""Meaning: sentence vectors from a packaged model, cached by content, compared per entry."""

from __future__ import annotations

from pathlib import Path

from knowledge.embedding.model_files import ModelError, locate
from knowledge.embedding.store import SqliteVectors
from knowledge.embedding.vectors import MemoryVectors, Vectors


def load_vectors(cache: Path | None = None) -> Vectors:
    """The packaged encoder, verified, with corpus vectors cached in `cache` (memory only when None).

    Raises ModelError naming what to install when the model or the tokenizer is missing or altered.
    """
    files = locate()
    try:
        # Imported here, not at the top: the tokenizer is installed beside the model package, and
        # its absence must be this clear error rather than an ImportError wherever matching is imported.
        from knowledge.embedding.encoder import Encoder
    except ImportError as exc:
        raise ModelError(
            f"{exc.name} is not installed: pip install --no-deps -r requirements-encoder.txt (make does this)"
        ) from None
    store = SqliteVectors(cache) if cache is not None else MemoryVectors()
    return Vectors(Encoder(files), store)


__all__ = ["ModelError", "Vectors", "load_vectors"]
