"""Corpus vectors are computed once per text and model; staff questions are never stored."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from knowledge.embedding.model_files import DIMENSIONS
from knowledge.embedding.store import SqliteVectors
from knowledge.embedding.vectors import MemoryVectors, Vectors


class CountingEncoder:
    """A stand-in encoder: a fixed vector per text, and a record of every text it was asked."""

    def __init__(self, digest: str = "test-model") -> None:
        self.digest = digest
        self.encoded: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.encoded += texts
        rows = [np.frombuffer(hashlib.sha512(t.encode()).digest() * 6, dtype=np.uint8)[:DIMENSIONS] for t in texts]
        vectors = np.array(rows, dtype=np.float32) - 127.5
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_each_corpus_text_is_encoded_once_and_kept_in_the_store(tmp_path: Path) -> None:
    encoder, store = CountingEncoder(), SqliteVectors(tmp_path / "cache" / "vectors.sqlite3")
    first = Vectors(encoder, store).corpus(["answer one", "answer two", "answer one"])
    assert encoder.encoded == ["answer one", "answer two"]
    assert (first[0] == first[2]).all()
    # A restart (a new Vectors on the same file) and an edit: only the new text is encoded.
    again = Vectors(encoder, SqliteVectors(tmp_path / "cache" / "vectors.sqlite3")).corpus(
        ["answer two", "answer three"]
    )
    assert encoder.encoded == ["answer one", "answer two", "answer three"]
    np.testing.assert_array_equal(again[0], first[1])


def test_vectors_of_other_weights_are_not_reused() -> None:
    store = MemoryVectors()
    Vectors(CountingEncoder("model-a"), store).corpus(["answer one"])
    other = CountingEncoder("model-b")
    Vectors(other, store).corpus(["answer one"])
    assert other.encoded == ["answer one"]


def test_a_staff_question_is_never_written_to_the_store(tmp_path: Path) -> None:
    path = tmp_path / "vectors.sqlite3"
    encoder = CountingEncoder()
    vectors = Vectors(encoder, SqliteVectors(path))
    vectors.question("my manager keeps ringing me while I am signed off")
    vectors.question("my manager keeps ringing me while I am signed off")
    assert encoder.encoded == ["my manager keeps ringing me while I am signed off"]  # the repeat came from memory
    assert (
        SqliteVectors(path).get_many([vectors_key(encoder, "my manager keeps ringing me while I am signed off")]) == {}
    )


def test_a_question_worded_as_a_corpus_text_reuses_its_vector() -> None:
    encoder = CountingEncoder()
    vectors = Vectors(encoder, MemoryVectors())
    (stored,) = vectors.corpus(["Can I claim mileage?"])
    np.testing.assert_array_equal(vectors.question("Can I claim mileage?"), stored)
    assert encoder.encoded == ["Can I claim mileage?"]


def vectors_key(encoder: CountingEncoder, text: str) -> str:
    return hashlib.sha256(f"{encoder.digest}\n{text}".encode()).hexdigest()
