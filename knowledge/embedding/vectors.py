"""Sentence vectors computed once per text: corpus texts by content, questions for a short while.

Encoding a corpus phrasing costs about 15 ms, so a 3,600-phrasing corpus would take a minute at
every start and every reload. `Vectors` keys each corpus text by the model's digest and the text
itself, keeps what it computed in memory and in a `VectorStore` (the bot's is a file beside its
database), and encodes only texts it has never seen: a live reload after one edited answer
encodes that answer's passages and nothing else.

Staff questions are never written to a store (a vector says what was asked); the last few are kept
in memory only, for the repeats that a busy hour brings.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np

from knowledge.embedding.model_files import DIMENSIONS


class TextEncoder(Protocol):
    digest: str
    """Identifies the weights: a vector is only reused with the weights that made it."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class VectorStore(Protocol):
    """Vectors of corpus texts by key; what it does not hold is simply encoded again."""

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]: ...

    def put_many(self, vectors: Mapping[str, np.ndarray]) -> None: ...


class MemoryVectors:
    """A VectorStore that lives as long as the process."""

    def __init__(self) -> None:
        self._vectors: dict[str, np.ndarray] = {}

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        return {key: self._vectors[key] for key in keys if key in self._vectors}

    def put_many(self, vectors: Mapping[str, np.ndarray]) -> None:
        self._vectors.update(vectors)


class Vectors:
    """Unit vectors for corpus texts (cached by content) and for questions (recent ones in memory)."""

    def __init__(self, encoder: TextEncoder, store: VectorStore | None = None, *, recent: int = 1024) -> None:
        self._encoder = encoder
        self._store = store or MemoryVectors()
        self._memory: dict[str, np.ndarray] = {}
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._recent_size = recent
        self._lock = threading.Lock()  # questions are encoded in worker threads

    def corpus(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, in order; texts never seen with these weights are encoded and stored."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        keys = [self._key(text) for text in texts]
        found = {key: self._memory[key] for key in keys if key in self._memory}
        missing = [key for key in dict.fromkeys(keys) if key not in found]
        if missing:
            stored = self._store.get_many(missing)
            found.update(stored)
            new = {key: text for key, text in zip(keys, texts, strict=True) if key not in found}
            if new:
                encoded = dict(zip(new, self._encoder.encode(list(new.values())), strict=True))
                self._store.put_many(encoded)
                found.update(encoded)
            self._memory.update((key, found[key]) for key in missing)
        return np.stack([found[key] for key in keys])

    def question(self, text: str) -> np.ndarray:
        """The vector of one staff question (kept in memory among the last `recent`, never stored)."""
        with self._lock:
            vector = self._recent.get(text)
            if vector is not None:
                self._recent.move_to_end(text)
                return vector
            known = self._memory.get(self._key(text))  # asked word for word as a corpus text
            if known is not None:
                return known
        encoded: np.ndarray = self._encoder.encode([text])[0]
        with self._lock:
            self._recent[text] = encoded
            if len(self._recent) > self._recent_size:
                self._recent.popitem(last=False)
        return encoded

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self._encoder.digest}\n{text}".encode()).hexdigest()
