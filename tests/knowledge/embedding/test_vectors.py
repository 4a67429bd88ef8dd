"""Corpus vectors are computed once per text and model; staff questions are never stored."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from knowledge.embedding.model_files import DIMENSIONS
from knowledge.embedding.store import SqliteVectors
from knowledge.embedding.vectors import MemoryVectors, TokenVectors, Vectors, dequantised, quantised


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

    def encode_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[TokenVectors]]:
        pooled = self.encode(texts)
        pieces = [
            TokenVectors(np.arange(len(text.split()), dtype=np.int64), np.tile(row, (len(text.split()), 1)))
            for text, row in zip(texts, pooled, strict=True)
        ]
        return pooled, pieces


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
    (pieces,) = vectors.corpus_tokens(["Can I claim mileage?"])
    encoder.encoded.clear()

    vector, its_pieces = vectors.question_tokens("Can I claim mileage?")

    np.testing.assert_array_equal(vector, stored)
    assert its_pieces is pieces
    assert encoder.encoded == []


def test_word_pieces_are_stored_one_byte_a_dimension_and_cosines_barely_move() -> None:
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((50, DIMENSIONS)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = np.vstack([vectors, np.zeros((1, DIMENSIONS), dtype=np.float32)])

    codes, scales = quantised(vectors)
    back = dequantised(codes, scales)

    assert codes.dtype == np.int8 and codes.shape == vectors.shape and back.dtype == np.float32
    largest = np.abs(vectors).max(axis=1, keepdims=True)
    assert (np.abs(back - vectors) <= largest / 254 + 1e-7).all()
    assert np.abs(back[:50] @ vectors[:50].T - vectors[:50] @ vectors[:50].T).max() < 0.005
    assert not back[50].any()  # a row of zeros stays zeros


def vectors_key(encoder: CountingEncoder, text: str) -> str:
    return hashlib.sha256(f"{encoder.digest}\n{text}".encode()).hexdigest()


def test_word_pieces_of_corpus_texts_are_encoded_once_and_read_back_as_kept(tmp_path: Path) -> None:
    path = tmp_path / "vectors.sqlite3"
    encoder = CountingEncoder()
    first = Vectors(encoder, SqliteVectors(path)).corpus_tokens(["phone your manager", "apply online"])
    assert encoder.encoded == ["phone your manager", "apply online"]
    assert first[0].ids.tolist() == [0, 1, 2] and first[0].vectors.shape == (3, DIMENSIONS)

    again = Vectors(encoder, SqliteVectors(path)).corpus_tokens(["apply online", "phone your manager"])

    assert encoder.encoded == ["phone your manager", "apply online"]  # a restart reads them from the file
    np.testing.assert_array_equal(again[1].vectors, first[0].vectors)  # kept at the precision stored
    np.testing.assert_array_equal(again[0].ids, first[1].ids)


class ReadCountingStore(MemoryVectors):
    def __init__(self) -> None:
        super().__init__()
        self.token_reads: list[int] = []

    def get_tokens(self, keys: Sequence[str]) -> dict[str, TokenVectors]:
        self.token_reads.append(len(keys))
        return super().get_tokens(keys)


def test_a_cache_file_of_half_precision_pieces_is_encoded_again_and_its_old_table_dropped(tmp_path: Path) -> None:
    path = tmp_path / "vectors.sqlite3"
    with sqlite3.connect(path) as connection:  # the layout before pieces were stored as bytes
        connection.execute("CREATE TABLE tokens (key TEXT PRIMARY KEY, ids BLOB NOT NULL, vectors BLOB NOT NULL)")
        connection.execute("INSERT INTO tokens VALUES (?, ?, ?)", ("stale", b"\0" * 4, b"\0" * 2 * DIMENSIONS))
    encoder = CountingEncoder()

    Vectors(encoder, SqliteVectors(path)).corpus_tokens(["apply online"])

    assert encoder.encoded == ["apply online"]
    with sqlite3.connect(path) as connection:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "tokens" not in tables and "pieces" in tables


def test_word_pieces_cut_short_in_the_file_are_encoded_again(tmp_path: Path) -> None:
    path = tmp_path / "vectors.sqlite3"
    encoder = CountingEncoder()
    first = Vectors(encoder, SqliteVectors(path)).corpus_tokens(["phone your manager", "apply online"])
    with sqlite3.connect(path) as connection:  # one text's codes lose their last byte
        connection.execute(
            "UPDATE pieces SET codes = substr(codes, 1, length(codes) - 1) WHERE key = ?",
            (vectors_key(encoder, "apply online"),),
        )

    again = Vectors(encoder, SqliteVectors(path)).corpus_tokens(["phone your manager", "apply online"])

    assert encoder.encoded == ["phone your manager", "apply online", "apply online"]
    np.testing.assert_array_equal(again[0].vectors, first[0].vectors)
    np.testing.assert_array_equal(again[1].vectors, first[1].vectors)


def test_only_so_many_word_pieces_stay_in_memory() -> None:
    encoder, store = CountingEncoder(), ReadCountingStore()
    vectors = Vectors(encoder, store, token_rows=4)
    vectors.corpus_tokens(["one two three", "four five"])  # five pieces in all: the first text is let go
    vectors.corpus_tokens(["four five"])
    assert store.token_reads == [2]  # the second text was still in memory

    vectors.corpus_tokens(["one two three"])

    assert store.token_reads == [2, 1]  # the first was read back from the store...
    assert encoder.encoded == ["one two three", "four five"]  # ...not encoded again


def test_an_entrys_texts_read_back_stacked_are_its_pieces_one_text_after_another(tmp_path: Path) -> None:
    encoder = CountingEncoder()
    groups = [["phone your manager", "apply online"], ["apply online"], ["not seen yet", "phone your manager"]]
    Vectors(encoder, SqliteVectors(tmp_path / "v.sqlite3")).corpus_tokens(["phone your manager", "apply online"])
    for store in (SqliteVectors(tmp_path / "v.sqlite3"), MemoryVectors()):
        vectors = Vectors(encoder, store)
        expected = [np.concatenate([t.vectors for t in vectors.corpus_tokens(group)]) for group in groups]
        encoder.encoded.clear()

        stacked = Vectors(encoder, store).stacked_tokens(groups)

        assert encoder.encoded == []  # read, as `corpus_tokens` stored them
        for got, want in zip(stacked, expected, strict=True):
            np.testing.assert_array_equal(got, want)


def test_a_group_with_a_text_never_seen_is_encoded_and_the_others_read(tmp_path: Path) -> None:
    encoder = CountingEncoder()
    vectors = Vectors(encoder, SqliteVectors(tmp_path / "v.sqlite3"))
    vectors.corpus_tokens(["apply online"])

    stacked = vectors.stacked_tokens([["apply online"], ["apply online", "ring hr"]])

    assert encoder.encoded == ["apply online", "ring hr"]
    assert [len(s) for s in stacked] == [2, 4]


def test_a_cache_file_deleted_while_running_is_made_anew_and_read(tmp_path: Path) -> None:
    path = tmp_path / "v.sqlite3"
    encoder = CountingEncoder()
    vectors = Vectors(encoder, SqliteVectors(path))
    vectors.stacked_tokens([["apply online"]])
    path.unlink()

    vectors.stacked_tokens([["ring hr"]])
    vectors.stacked_tokens([["ring hr"]])

    assert encoder.encoded == ["apply online", "ring hr"]  # the second read found what the first wrote
