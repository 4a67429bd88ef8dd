"""Suggested alternates: how staff actually worded questions that ended at an entry.

A question ended at an entry when the person clicked it under "did you mean", gave its answer a 👍,
or (once the helpdesk flow records it) the HR helpdesk answered with it. Those wordings are proposed as new
alternates for that entry, for a curator to accept into the corpus file and review in git, like
active learning in custom question answering. Pure: no I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bot.questions import Outcome, RecordedQuestion
from knowledge import Corpus
from knowledge.normalize import Normalizer

_FOLD = Normalizer()


@dataclass(frozen=True)
class Suggestion:
    """`question` (as recorded) is proposed as an alternate of `entry_id`; `count` times it ended there."""

    question: str
    entry_id: str
    count: int


def propose(
    history: Sequence[RecordedQuestion], corpus: Corpus, decided: Collection[tuple[str, str]] = ()
) -> tuple[Suggestion, ...]:
    """Suggestions, most frequent first. Left out: wordings the entry already has, pairs a curator
    decided, questions rated unhelpful, answers nobody rated, redacted text, and entries no longer
    in the corpus."""
    counts: Counter[tuple[str, str]] = Counter()
    for record in history:
        asked = record.asked
        # A 👍 on an answer confirms the wording means that entry, as a "did you mean" click does.
        confirmed = asked.outcome is Outcome.ANSWERED and record.helpful is True
        entry_id = record.resolved_entry_id or (asked.entry_id if confirmed else None)
        text = asked.text.strip()
        if (
            entry_id is None
            or not text
            or "[" in text  # a redacted personal detail is no alternate
            or record.helpful is False
        ):
            continue
        counts[(text, entry_id)] += 1
    suggestions = []
    for (text, entry_id), count in counts.items():
        entry = corpus.entry(entry_id)
        if entry is None or (text, entry_id) in decided:
            continue
        if text in {_FOLD.text(phrase) for phrase in (entry.question, *entry.alternates)}:
            continue
        suggestions.append(Suggestion(text, entry_id, count))
    return tuple(sorted(suggestions, key=lambda s: (-s.count, s.entry_id, s.question)))
