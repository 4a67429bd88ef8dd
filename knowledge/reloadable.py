"""A knowledge source whose corpus can be replaced while the bot serves questions.

A reload reads and validates the whole corpus folder and builds a new matcher first; only a
corpus that loads cleanly replaces the current one, in a single assignment, so a question is
always answered from one complete corpus, old or new, and a broken edit changes nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from knowledge.corpus import CorpusError, load_corpus
from knowledge.models import Corpus, Entry, Match


class _Ranker(Protocol):
    def rank(self, question: str, *, limit: int = 3) -> tuple[Match, ...]: ...


@dataclass(frozen=True)
class _Loaded:
    corpus: Corpus
    ranker: _Ranker
    generation: int


@dataclass(frozen=True)
class ReloadOutcome:
    """What a reload did: `applied` with the new generation, or the error that kept the old corpus."""

    applied: bool
    generation: int
    entries: int
    error: CorpusError | None = None


class ReloadableKnowledge:
    """Ranks questions and finds entries in the current corpus of `folder`; `reload()` swaps it."""

    def __init__(self, folder: Path, build: Callable[[Corpus], _Ranker]) -> None:
        """Load `folder` now; raises CorpusError when it cannot be served (nothing to fall back on)."""
        self._folder = folder
        self._build = build
        self._lock = threading.Lock()  # one reload at a time; readers never wait
        corpus = load_corpus(folder)
        self._current = _Loaded(corpus, build(corpus), generation=1)

    @property
    def corpus(self) -> Corpus:
        return self._current.corpus

    @property
    def generation(self) -> int:
        """1 for the corpus loaded at start, plus one per applied reload."""
        return self._current.generation

    def rank(self, question: str, *, limit: int = 3) -> tuple[Match, ...]:
        return self._current.ranker.rank(question, limit=limit)

    def entry(self, entry_id: str) -> Entry | None:
        return self._current.corpus.entry(entry_id)

    def reload(self) -> ReloadOutcome:
        """Load the folder again; replace the corpus only when it is valid. Blocking: run in a thread."""
        with self._lock:
            try:
                corpus = load_corpus(self._folder)
                ranker = self._build(corpus)
            except CorpusError as exc:
                current = self._current
                return ReloadOutcome(False, current.generation, len(current.corpus.entries), exc)
            self._current = _Loaded(corpus, ranker, self._current.generation + 1)
            return ReloadOutcome(True, self._current.generation, len(corpus.entries))
