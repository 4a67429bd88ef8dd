"""Corpus vectors kept in a SQLite file, so a restart or a reload does not encode the corpus again.

The file holds vectors of corpus texts only (questions, alternates, answer passages, out-of-scope
examples: what curators wrote), keyed by a hash of the model's digest and the text, and the vectors
of their word pieces in context (one byte per dimension and a scale per piece, as `Vectors` keeps
them: reading a question's candidates back is mostly turning bytes into floats, and bytes convert
four times faster than half-precision floats). It is a cache:
deleting it costs one slower start, never an answer.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from knowledge.embedding.model_files import DIMENSIONS
from knowledge.embedding.vectors import TokenVectors, dequantised, quantised

_CHUNK = 500  # keys per query: SQLite's default limit on bound parameters is far above it


class SqliteVectors:
    """A VectorStore in one SQLite file (created with its folder on first use)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._reader: sqlite3.Connection | None = None
        self._reader_file = 0  # the inode the reader has open: a deleted cache is opened anew
        self._read_lock = threading.Lock()
        self._create()

    def _create(self) -> None:
        """The file, its folder and its tables, where missing."""
        self._path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as connection:
            connection.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS pieces"
                " (key TEXT PRIMARY KEY, ids BLOB NOT NULL, scales BLOB NOT NULL, codes BLOB NOT NULL)"
            )
            connection.execute("DROP TABLE IF EXISTS tokens")  # pieces as half-precision floats, read slowly

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._reading() as connection:
            for start in range(0, len(keys), _CHUNK):
                chunk = list(keys[start : start + _CHUNK])
                marks = ",".join("?" * len(chunk))
                for key, blob in connection.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk):  # noqa: S608 - only "?" marks
                    vector = np.frombuffer(blob, dtype="<f4")
                    if vector.shape == (DIMENSIONS,):
                        found[key] = vector
        return found

    def put_many(self, vectors: Mapping[str, np.ndarray]) -> None:
        rows = [(key, np.asarray(vector, dtype="<f4").tobytes()) for key, vector in vectors.items()]
        with self._connect() as connection:
            connection.executemany("INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)", rows)

    def get_tokens(self, keys: Sequence[str]) -> dict[str, TokenVectors]:
        found: dict[str, TokenVectors] = {}
        with self._reading() as connection:
            for start in range(0, len(keys), _CHUNK):
                chunk = list(keys[start : start + _CHUNK])
                marks = ",".join("?" * len(chunk))
                query = f"SELECT key, ids, scales, codes FROM pieces WHERE key IN ({marks})"  # noqa: S608 - only "?" marks
                found.update(_decoded(connection.execute(query, chunk).fetchall()))
        return found

    def get_stacked(self, groups: Sequence[Sequence[str]]) -> list[np.ndarray | None]:
        """Per group of keys, the vectors of its texts' word pieces one text after another, as one
        matrix; None for a group the file does not hold whole. One read, and no array per text: a
        question's ten candidates are about two hundred texts."""
        keys = list(dict.fromkeys(key for group in groups for key in group))
        rows: dict[str, tuple[bytes, bytes]] = {}
        with self._reading() as connection:
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT key, length(ids), scales, codes FROM pieces WHERE key IN ({marks})"  # noqa: S608 - only "?" marks
                for key, ids_length, scales, codes in connection.execute(query, chunk):
                    if _intact(ids_length, len(scales), len(codes)):
                        rows[key] = (scales, codes)
        stacked: list[np.ndarray | None] = []
        for group in groups:
            if not all(key in rows for key in group):
                stacked.append(None)
                continue
            scales = np.frombuffer(b"".join(rows[key][0] for key in group), dtype="<f4")
            codes = np.frombuffer(b"".join(rows[key][1] for key in group), dtype=np.int8)
            stacked.append(dequantised(codes.reshape(len(scales), DIMENSIONS), scales))
        return stacked

    def put_tokens(self, tokens: Mapping[str, TokenVectors]) -> None:
        rows = []
        for key, t in tokens.items():
            codes, scales = quantised(np.asarray(t.vectors, dtype=np.float32))
            rows.append(
                (key, np.asarray(t.ids, dtype="<i4").tobytes(), scales.astype("<f4").tobytes(), codes.tobytes())
            )
        with self._connect() as connection:
            connection.executemany("INSERT OR REPLACE INTO pieces (key, ids, scales, codes) VALUES (?, ?, ?, ?)", rows)

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """One connection kept for reads (opening one costs as much as a question's reads), used by
        one thread at a time; opened again when the file was deleted and made anew."""
        with self._read_lock:
            try:
                current = os.stat(self._path).st_ino
            except FileNotFoundError:
                current = 0
            if self._reader is not None and current != self._reader_file:
                self._reader.close()
                self._reader = None
            if self._reader is None:
                if not current:
                    self._create()
                self._reader = sqlite3.connect(self._path, timeout=30, check_same_thread=False)
                self._reader_file = os.stat(self._path).st_ino
            yield self._reader

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self._path, timeout=30)
        try:
            with connection:  # commits, or rolls back on an error
                yield connection
        finally:
            connection.close()


def _intact(ids: int, scales: int, codes: int) -> bool:
    """Whether a pieces row's blobs (their lengths in bytes) agree: 4 bytes an id and a scale, 1 a code."""
    return ids == scales and scales // 4 * DIMENSIONS == codes


def _decoded(rows: list[tuple[str, bytes, bytes, bytes]]) -> dict[str, TokenVectors]:
    """Rows of the pieces table as word pieces; a row whose blobs disagree in length is left out
    (encoded again). All rows are turned into floats in one pass: a question's ten candidates can be
    over a hundred texts, and converting them one by one cost more than reading them."""
    whole = [row for row in rows if _intact(len(row[1]), len(row[2]), len(row[3]))]
    if not whole:
        return {}
    ids = np.frombuffer(b"".join(row[1] for row in whole), dtype="<i4").astype(np.int64)
    scales = np.frombuffer(b"".join(row[2] for row in whole), dtype="<f4")
    codes = np.frombuffer(b"".join(row[3] for row in whole), dtype=np.int8).reshape(len(ids), DIMENSIONS)
    vectors = dequantised(codes, scales)
    ends = np.cumsum([len(row[1]) // 4 for row in whole]).tolist()
    # Copies, so that a text kept in memory does not hold every other text of its read alive.
    return {
        row[0]: TokenVectors(ids[start:end].copy(), vectors[start:end].copy())
        for row, start, end in zip(whole, [0, *ends[:-1]], ends, strict=True)
    }
