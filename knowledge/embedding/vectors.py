"""Sentence vectors computed once per text: corpus texts by content, questions for a short while.

Encoding a corpus phrasing costs about 15 ms, so a 3,600-phrasing corpus would take a minute at
every start and every reload. `Vectors` keys each corpus text by the model's digest and the text
itself, keeps what it computed in memory and in a `VectorStore` (the bot's is a file beside its
database), and encodes only texts it has never seen: a live reload after one edited answer
encodes that answer's passages and nothing else.

The same holds for the vectors of a text's word pieces in context (`corpus_tokens`), stored as one
byte per dimension (`quantised`): they say, piece by piece, how much of a question an entry covers.

Staff questions are never written to a store (a vector says what was asked); the last few are kept
in memory only, for the repeats that a busy hour brings.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from knowledge.embedding.model_files import DIMENSIONS


@dataclass(frozen=True)
class TokenVectors:
    """A text's word pieces (vocabulary ids) and, row for row, their unit vectors in context."""

    ids: np.ndarray
    vectors: np.ndarray


class TextEncoder(Protocol):
    digest: str
    """Identifies the weights: a vector is only reused with the weights that made it."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[TokenVectors]]: ...


class VectorStore(Protocol):
    """Vectors of corpus texts by key; what it does not hold is simply encoded again."""

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]: ...

    def put_many(self, vectors: Mapping[str, np.ndarray]) -> None: ...

    def get_tokens(self, keys: Sequence[str]) -> dict[str, TokenVectors]: ...

    def put_tokens(self, tokens: Mapping[str, TokenVectors]) -> None: ...

    def get_stacked(self, groups: Sequence[Sequence[str]]) -> list[np.ndarray | None]:
        """Per group of keys, its texts' word-piece vectors one text after another (None unless all held)."""
        ...


class MemoryVectors:
    """A VectorStore that lives as long as the process."""

    def __init__(self) -> None:
        self._vectors: dict[str, np.ndarray] = {}
        self._tokens: dict[str, TokenVectors] = {}

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        return {key: self._vectors[key] for key in keys if key in self._vectors}

    def put_many(self, vectors: Mapping[str, np.ndarray]) -> None:
        self._vectors.update(vectors)

    def get_tokens(self, keys: Sequence[str]) -> dict[str, TokenVectors]:
        return {key: self._tokens[key] for key in keys if key in self._tokens}

    def put_tokens(self, tokens: Mapping[str, TokenVectors]) -> None:
        self._tokens.update(tokens)

    def get_stacked(self, groups: Sequence[Sequence[str]]) -> list[np.ndarray | None]:
        return [
            np.concatenate([self._tokens[key].vectors for key in group])
            if group and all(key in self._tokens for key in group)
            else None
            for group in groups
        ]


class Vectors:
    """Unit vectors for corpus texts (cached by content) and for questions (recent ones in memory)."""

    def __init__(
        self, encoder: TextEncoder, store: VectorStore | None = None, *, recent: int = 1024, token_rows: int = 20_000
    ) -> None:
        self._encoder = encoder
        self._store = store or MemoryVectors()
        self._memory: dict[str, np.ndarray] = {}
        self._recent: OrderedDict[str, tuple[np.ndarray, TokenVectors]] = OrderedDict()
        self._tokens: OrderedDict[str, TokenVectors] = OrderedDict()
        self._token_rows = 0
        self._token_rows_kept = token_rows
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
        return self.question_tokens(text)[0]

    def question_tokens(self, text: str) -> tuple[np.ndarray, TokenVectors]:
        """The vector of one staff question and its word pieces' vectors (one pass; kept like `question`)."""
        with self._lock:
            found = self._recent.get(text)
            if found is not None:
                self._recent.move_to_end(text)
                return found
            key = self._key(text)  # asked word for word as a corpus text
            if key in self._memory and key in self._tokens:
                return self._memory[key], self._tokens[key]
        pooled, tokens = self._encoder.encode_tokens([text])
        encoded = (pooled[0], tokens[0])
        with self._lock:
            self._recent[text] = encoded
            if len(self._recent) > self._recent_size:
                self._recent.popitem(last=False)
        return encoded

    def corpus_tokens(self, texts: Sequence[str]) -> list[TokenVectors]:
        """Per corpus text, in order, its word pieces' vectors; texts never seen with these weights are
        encoded and stored. The most recently used are kept in memory up to `token_rows` pieces in all
        (about 1.5 KB each), for a reload; the index keeps what it compares (`SemanticIndex`)."""
        keys = [self._key(text) for text in texts]
        with self._lock:
            found = {key: self._tokens[key] for key in keys if key in self._tokens}
            for key in found:
                self._tokens.move_to_end(key)
        missing = [key for key in dict.fromkeys(keys) if key not in found]
        if missing:
            found.update(self._store.get_tokens(missing))
            new = {key: text for key, text in zip(keys, texts, strict=True) if key not in found}
            if new:
                _, encoded = self._encoder.encode_tokens(list(new.values()))
                # Kept at the precision they are stored in, so a restart reads exactly what was computed.
                rounded = {key: _stored(t) for key, t in zip(new, encoded, strict=True)}
                self._store.put_tokens(rounded)
                found.update(rounded)
            with self._lock:
                for key in missing:
                    self._keep_tokens(key, found[key])
        return [found[key] for key in keys]

    def stacked_tokens(
        self, groups: Sequence[Sequence[str]], *, keys: Sequence[Sequence[str]] | None = None
    ) -> list[np.ndarray]:
        """For each group of corpus texts, the vectors of its texts' word pieces one text after
        another (`corpus_tokens`, stacked), read from the store in one pass and not kept in memory
        here (the caller keeps what it compares); texts never seen are encoded and stored. `keys`
        are the groups' `keys`, when the caller keeps them (hashing two hundred texts a question
        costs a third of a millisecond)."""
        found = self._store.get_stacked(keys if keys is not None else [self.keys(group) for group in groups])
        missing = [position for position, stacked in enumerate(found) if stacked is None]
        if missing:
            read = iter(self.corpus_tokens([text for position in missing for text in groups[position]]))
            for position in missing:
                found[position] = np.concatenate([next(read).vectors for _ in groups[position]])
        return [stacked for stacked in found if stacked is not None]

    def _keep_tokens(self, key: str, tokens: TokenVectors) -> None:
        if key in self._tokens:
            return
        self._tokens[key] = tokens
        self._token_rows += len(tokens.ids)
        while self._token_rows > self._token_rows_kept and len(self._tokens) > 1:
            _, dropped = self._tokens.popitem(last=False)
            self._token_rows -= len(dropped.ids)

    def keys(self, texts: Sequence[str]) -> list[str]:
        """The keys the store holds `texts` under (with these weights)."""
        return [self._key(text) for text in texts]

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self._encoder.digest}\n{text}".encode()).hexdigest()


def quantised(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row as int8 codes and its scale: `dequantised(*quantised(v))` is within 1/254 of each
    row's largest component of `v`, a change in cosine of about a thousandth."""
    scales = np.abs(vectors).max(axis=1).astype(np.float32) if len(vectors) else np.zeros(0, dtype=np.float32)
    safe = np.where(scales > 0, scales, 1.0).astype(np.float32)
    codes = np.rint(vectors / safe[:, None] * _CODE_MAX).astype(np.int8)
    return codes, scales


def dequantised(codes: np.ndarray, scales: np.ndarray) -> np.ndarray:
    """The float32 rows that `quantised` codes stand for."""
    rows = codes.astype(np.float32)
    rows *= (scales / np.float32(_CODE_MAX))[:, None]  # in place: one pass less over every piece
    return rows


_CODE_MAX = 127
"""The largest int8 code: a row's largest component, by magnitude, is stored as ±127."""


def _stored(tokens: TokenVectors) -> TokenVectors:
    """`tokens` at the precision a store keeps them (one byte per dimension, a scale per piece)."""
    return TokenVectors(tokens.ids, dequantised(*quantised(tokens.vectors)))
