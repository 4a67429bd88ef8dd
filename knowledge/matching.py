"""Rank corpus entries against a staff question. The only place rapidfuzz is configured."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from knowledge.models import Corpus, Entry, Match
from knowledge.normalize import Normalizer


@dataclass(frozen=True)
class MatchingSettings:
    """Tuning of the matcher; confidence below `score_cutoff` is never returned."""

    score_cutoff: float = 0.35


class Matcher:
    """Fuzzy matcher over each entry's question and alternates."""

    def __init__(self, corpus: Corpus, settings: MatchingSettings | None = None) -> None:
        self._corpus = corpus
        self._settings = settings or MatchingSettings()
        self._normalizer = Normalizer(corpus.synonyms)
        self._texts: list[str] = []
        self._owners: list[int] = []
        for index, entry in enumerate(corpus.entries):
            for phrase in (entry.question, *entry.alternates):
                self._texts.append(" ".join(self._normalizer.tokens(phrase)))
                self._owners.append(index)

    @property
    def corpus(self) -> Corpus:
        return self._corpus

    def rank(self, question: str, *, limit: int = 3) -> tuple[Match, ...]:
        """Best entries for `question`, highest confidence first; empty when none reaches the cutoff."""
        query = " ".join(self._normalizer.tokens(question))
        if not query:
            return ()
        hits = process.extract(
            query,
            self._texts,
            scorer=fuzz.token_set_ratio,
            processor=None,  # both sides are already normalised by Normalizer
            score_cutoff=self._settings.score_cutoff * 100,
            limit=None,
        )
        best: dict[int, float] = {}
        for text, score, position in hits:
            # token_set_ratio is 100 for any subset; blend in word order so a fuller match wins ties.
            blended = (score + fuzz.token_sort_ratio(query, text, processor=None)) / 200
            owner = self._owners[position]
            best[owner] = max(best.get(owner, 0.0), blended)
        ranked = sorted(best.items(), key=lambda item: item[1], reverse=True)[:limit]
        return tuple(Match(entry=self._corpus.entries[i], confidence=c) for i, c in ranked)

    def entry(self, entry_id: str) -> Entry | None:
        """The corpus entry with `entry_id`, or None."""
        return self._corpus.entry(entry_id)
