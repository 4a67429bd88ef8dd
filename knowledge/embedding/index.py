"""How close a question is in meaning to each entry: its phrasings, its answer, and the out-of-scope examples.

Each entry is represented by the vectors of its question and first few alternates, and of its
answer cut into passages (a paragraph, or a few sentences of a long one: a passage says one thing,
and the model reads at most 256 tokens). A question's closeness to an entry is the cosine to its
closest phrasing and, separately, to its closest answer passage: a new document has no alternates,
so the answer is what says that "who do I ring when I wake up ill" is about reporting sickness.
Only the first few alternates are encoded: they matter while a document is new (the learning
loop's first wordings); a well-curated entry is matched by its words, and encoding a hundred
phrasings of each of ten thousand entries would cost an hour at the first start.
"""

from __future__ import annotations

import copy
import re
import threading
from collections import OrderedDict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from knowledge.embedding.vectors import TokenVectors, Vectors
from knowledge.models import Corpus

KEPT_PIECES = 100_000
"""Word pieces of corpus texts `SemanticIndex.alignment` keeps in memory (about 150 MB at most)."""
_PASSAGE_WORDS = 60
"""A paragraph longer than this is cut between sentences into passages of about this many words."""
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-Z(\"“'‘*-])")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


@dataclass(frozen=True)
class Closeness:
    """Cosine similarity of a question to every entry (by corpus position) and to out-of-scope examples."""

    phrasing: np.ndarray
    """Per entry: the closest of its question and alternates."""
    answer: np.ndarray
    """Per entry: the closest passage of its answer."""
    whole: np.ndarray
    """Per entry: its question and answer read as one text (as far as the model reads)."""
    outside: float
    """The closest out-of-scope example (0 when there are none)."""

    def best(self) -> np.ndarray:
        """Per entry: the closer of phrasing and answer."""
        closer: np.ndarray = np.maximum(self.phrasing, self.answer)
        return closer


class SemanticIndex:
    """The vectors of one corpus; `closeness` compares a question with all of them.

    Up to `exact_up_to` entries every vector is compared with the question (a product over the
    whole matrix). Beyond, that product would cost more than encoding the question (about 90,000
    vectors at 10,000 entries), so each entry's whole text is compared first, and its phrasings
    and passages only for the `shortlist` entries closest by it and those the caller names.
    """

    def __init__(
        self,
        corpus: Corpus,
        vectors: Vectors,
        *,
        alternates: int = 5,
        aligned_alternates: int = 20,
        kept_pieces: int = KEPT_PIECES,
        exact_up_to: int = 2000,
        shortlist: int = 200,
    ) -> None:
        """Index `corpus`: each entry's question, its first `alternates` alternates, and its answer;
        for `alignment`, its first `aligned_alternates` alternates (see `_Aligned` for `kept_pieces`)."""
        self._vectors = vectors
        self._exact_up_to = exact_up_to
        self._shortlist = shortlist
        entries = len(corpus.entries)
        phrasings: list[tuple[int, str]] = []
        passages: list[tuple[int, str]] = []
        worded: list[tuple[int, str]] = []
        for index, entry in enumerate(corpus.entries):
            phrasings += [(index, text) for text in dict.fromkeys((entry.question, *entry.alternates[:alternates]))]
            passages += [(index, text) for text in answer_passages(entry.answer)]
            worded += [
                (index, text) for text in dict.fromkeys((entry.question, *entry.alternates[:aligned_alternates]))
            ]
        examples = [text for topic in corpus.out_of_scope for text in topic.examples]
        self._phrasings = _Grouped(entries, phrasings, vectors)
        self._passages = _Grouped(entries, passages, vectors)
        self._whole = vectors.corpus([whole_text(entry.question, entry.answer) for entry in corpus.entries])
        self._outside = vectors.corpus(examples)
        self._aligned = _Aligned(entries, worded + passages, vectors, kept_pieces)

    def nothing(self) -> Closeness:
        """Closeness 0 to everything: the meaning signals of a question weighed on its words alone."""
        zeros = np.zeros(self._phrasings.entries, dtype=np.float32)
        return Closeness(zeros, zeros, zeros, 0.0)

    def closeness(self, question: str, *, include: Collection[int] = ()) -> Closeness:
        """How close `question` is to every entry. In a corpus of over `exact_up_to` entries, those off
        the shortlist and not in `include` (entry positions) have their whole-text closeness as their
        phrasing and answer closeness: an approximation, for entries far from the question."""
        vector = self._vectors.question(question)
        outside = max(0.0, float((self._outside @ vector).max())) if len(self._outside) else 0.0
        whole: np.ndarray = self._whole @ vector if len(self._whole) else np.zeros(0, dtype=np.float32)
        if len(whole) <= self._exact_up_to:
            return Closeness(self._phrasings.closest(vector), self._passages.closest(vector), whole, outside)
        near = np.argpartition(-whole, self._shortlist)[: self._shortlist]
        chosen = np.union1d(near, np.fromiter(include, dtype=np.int64, count=len(include)))
        phrasing, answer = whole.copy(), whole.copy()
        phrasing[chosen] = self._phrasings.closest_of(vector, chosen)
        answer[chosen] = self._passages.closest_of(vector, chosen)
        return Closeness(phrasing, answer, whole, outside)

    def alignment(self, question: str, entries: Sequence[int]) -> np.ndarray:
        """For each of `entries` (positions), how much of `question` the entry's question and answer
        cover, word piece by word piece: each piece's best cosine among the entry's pieces in context,
        weighted by how few entries use the piece (0 to 1)."""
        return self._aligned.recall(self._vectors.question_tokens(question)[1], entries)

    def closest_to_examples(self) -> tuple[np.ndarray, np.ndarray]:
        """For each out-of-scope example (in the corpus's order): the position of the entry closest
        to it in meaning (the closer of phrasing and answer passage, as for a question) and that cosine."""
        count = len(self._outside)
        owners, cosines = np.zeros(count, dtype=np.int64), np.zeros(count, dtype=np.float32)
        if not self._phrasings.entries:
            return owners, cosines
        for start in range(0, count, _EXAMPLES_AT_ONCE):
            block = self._outside[start : start + _EXAMPLES_AT_ONCE]
            closeness = np.maximum(self._phrasings.closest_all(block), self._passages.closest_all(block))
            owners[start : start + len(block)] = closeness.argmax(axis=1)
            cosines[start : start + len(block)] = closeness.max(axis=1)
        return owners, cosines

    def without_examples(self, positions: Collection[int]) -> SemanticIndex:
        """This index with the out-of-scope examples at `positions` (in the corpus's order) left out."""
        kept = copy.copy(self)
        kept._outside = np.delete(self._outside, list(positions), axis=0)  # noqa: SLF001 - a copy of this class
        return kept


_EXAMPLES_AT_ONCE = 64
"""Out-of-scope examples compared with every entry in one product (at 10,000 entries, 15 MB)."""


class _Grouped:
    """Vectors of texts grouped by entry (every entry has at least one), for a per-entry maximum."""

    def __init__(self, entries: int, owned: list[tuple[int, str]], vectors: Vectors) -> None:
        owned = sorted(owned, key=lambda pair: pair[0])
        owners = np.array([owner for owner, _ in owned], dtype=np.int64)
        self._matrix = vectors.corpus([text for _, text in owned])
        self._starts = np.searchsorted(owners, np.arange(entries))
        self._ends = np.searchsorted(owners, np.arange(entries), side="right")
        self.entries = entries

    def closest(self, vector: np.ndarray) -> np.ndarray:
        """Per entry, the largest cosine of its vectors to `vector`."""
        if not self.entries:
            return np.zeros(0, dtype=np.float32)
        return np.maximum.reduceat(self._matrix @ vector, self._starts)

    def closest_all(self, vectors: np.ndarray) -> np.ndarray:
        """`closest` for each row of `vectors`: one row of per-entry maxima each."""
        closest: np.ndarray = np.maximum.reduceat(vectors @ self._matrix.T, self._starts, axis=1)
        return closest

    def closest_of(self, vector: np.ndarray, entries: np.ndarray) -> np.ndarray:
        """`closest` for the `entries` given (sorted positions, no repeats) alone, in their order."""
        starts = self._starts[entries]
        counts = self._ends[entries] - starts
        offsets = np.cumsum(counts) - counts
        rows = np.repeat(starts - offsets, counts) + np.arange(counts.sum())
        return np.maximum.reduceat(self._matrix[rows] @ vector, offsets)


class _Aligned:
    """The texts of each entry whose word pieces `SemanticIndex.alignment` compares, and how much each
    piece counts: the rarer among entries, the more (BM25's idf, from the pieces of every entry).

    Each entry's pieces are kept as one matrix, the most recently used up to `kept_rows` pieces in
    all (about 1.5 KB each); a corpus too large for that reads the rest from `vectors` when asked.
    """

    def __init__(self, entries: int, owned: list[tuple[int, str]], vectors: Vectors, kept_rows: int) -> None:
        self._vectors = vectors
        self._kept_rows = kept_rows
        self._kept: OrderedDict[int, np.ndarray] = OrderedDict()
        self._rows = 0
        self._lock = threading.Lock()  # questions are ranked in worker threads
        self._texts: list[list[str]] = [[] for _ in range(entries)]
        for owner, text in owned:
            self._texts[owner].append(text)
        self._keys = [vectors.keys(texts) for texts in self._texts]
        used = np.zeros(_VOCABULARY, dtype=np.float32)
        for start in range(0, entries, _ENTRIES_AT_ONCE):
            chunk = range(start, min(entries, start + _ENTRIES_AT_ONCE))
            found = iter(vectors.corpus_tokens([text for entry in chunk for text in self._texts[entry]]))
            for entry in chunk:  # every entry has at least its question
                pieces = [next(found) for _ in self._texts[entry]]
                used[np.unique(np.concatenate([p.ids for p in pieces]))] += 1
                if self._rows < kept_rows:
                    self._keep(entry, _stacked(pieces))
        self._weights = (np.log((entries + 1) / (used + 1)) + 1).astype(np.float32)

    def recall(self, question: TokenVectors, entries: Sequence[int]) -> np.ndarray:
        result = np.zeros(len(entries), dtype=np.float32)
        if not len(question.ids):
            return result
        weights = self._weights[question.ids]
        weights = weights / weights.sum()
        pieces = self._pieces(entries)
        for position, entry in enumerate(entries):
            mine = pieces[entry]
            if len(mine):
                result[position] = weights @ (question.vectors @ mine.T).max(axis=1)
        return result

    def _pieces(self, entries: Sequence[int]) -> dict[int, np.ndarray]:
        """Each entry's pieces as one matrix; those not kept are read in one call."""
        found: dict[int, np.ndarray] = {}
        with self._lock:
            for entry in entries:
                kept = self._kept.get(entry)
                if kept is not None:
                    self._kept.move_to_end(entry)
                    found[entry] = kept
        missing = [entry for entry in dict.fromkeys(entries) if entry not in found]
        if missing:
            read = self._vectors.stacked_tokens(
                [self._texts[entry] for entry in missing], keys=[self._keys[entry] for entry in missing]
            )
            for entry, pieces in zip(missing, read, strict=True):
                found[entry] = pieces
                self._keep(entry, pieces)
        return found

    def _keep(self, entry: int, pieces: np.ndarray) -> None:
        with self._lock:
            if entry in self._kept:
                return
            self._kept[entry] = pieces
            self._rows += len(pieces)
            while self._rows > self._kept_rows and len(self._kept) > 1:
                _, dropped = self._kept.popitem(last=False)
                self._rows -= len(dropped)


def _stacked(pieces: list[TokenVectors]) -> np.ndarray:
    """One entry's pieces, text after text, as one matrix."""
    return np.concatenate([p.vectors for p in pieces])


_ENTRIES_AT_ONCE = 256
"""Entries whose pieces are read at once at build (a large corpus's pieces are not all kept in memory)."""

_VOCABULARY = 30522
"""Word pieces in the model's vocabulary."""


def whole_text(question: str, answer: str) -> str:
    """An entry's question and answer as one text, links as their text."""
    return " ".join([question, *_LINK.sub(r"\1", answer).split()])


def answer_passages(answer: str) -> tuple[str, ...]:
    """The answer cut into passages: paragraphs, long ones between sentences; links as their text."""
    passages: list[str] = []
    for paragraph in re.split(r"\n\s*\n", _LINK.sub(r"\1", answer)):
        words = paragraph.split()
        if not words:
            continue
        if len(words) <= _PASSAGE_WORDS:
            passages.append(" ".join(words))
            continue
        current: list[str] = []
        for sentence in _SENTENCE_END.split(" ".join(words)):
            if current and len(current) + len(sentence.split()) > _PASSAGE_WORDS:
                passages.append(" ".join(current))
                current = []
            current += sentence.split()
        if current:
            passages.append(" ".join(current))
    return tuple(passages) or (answer,)
