"""The curators' report as numbers: pure aggregation of recorded questions, no I/O, no rendering."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.questions import Outcome, RecordedQuestion
from insights.clusters import SAME_QUESTION_RATIO, Cluster, group_similar

OUTCOMES = tuple(Outcome)


@dataclass(frozen=True)
class Day:
    """Questions of one day by outcome."""

    day: dt.date
    counts: Mapping[Outcome, int]


@dataclass(frozen=True)
class EntryUse:
    """How one entry served staff: answers given, feedback, and escalations after its answer."""

    entry_id: str
    title: str
    answered: int
    helpful: int
    unhelpful: int
    escalated_after: int

    @property
    def helpful_share(self) -> float | None:
        """Share of feedback that was helpful, or None without feedback."""
        rated = self.helpful + self.unhelpful
        return self.helpful / rated if rated else None


@dataclass(frozen=True)
class Summary:
    """Everything the report shows."""

    since: dt.date | None
    first: dt.date | None
    last: dt.date | None
    total: int
    by_outcome: Mapping[Outcome, int]
    days: tuple[Day, ...]
    entries: tuple[EntryUse, ...]  # most answered first
    unanswered: tuple[Cluster, ...]  # escalated and "did you mean" questions, grouped by similarity


def summarise(
    history: Sequence[RecordedQuestion],
    titles: Mapping[str, str],
    *,
    since: dt.date | None = None,
    same_question_ratio: float = SAME_QUESTION_RATIO,
) -> Summary:
    """The report over `history`; `titles` names entries by id (an unknown id shows as itself)."""
    by_outcome = Counter(r.asked.outcome for r in history)
    per_day: dict[dt.date, Counter[Outcome]] = defaultdict(Counter)
    for record in history:
        per_day[record.asked.asked_at.date()][record.asked.outcome] += 1
    days = _every_day(per_day)
    uses: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for record in history:
        entry_id = _answered_entry(record)
        if entry_id is None:
            continue
        use = uses[entry_id]
        use[0] += 1
        use[1] += record.helpful is True
        use[2] += record.helpful is False
        use[3] += record.escalated
    entries = sorted(
        (EntryUse(entry_id, titles.get(entry_id, entry_id), *counts) for entry_id, counts in uses.items()),
        key=lambda e: (-e.answered, e.entry_id),
    )
    unanswered = group_similar(
        (r.asked.text for r in history if r.asked.outcome in {Outcome.ESCALATED, Outcome.DID_YOU_MEAN}),
        threshold=same_question_ratio,
    )
    return Summary(
        since=since,
        first=days[0].day if days else None,
        last=days[-1].day if days else None,
        total=len(history),
        by_outcome={outcome: by_outcome[outcome] for outcome in OUTCOMES},
        days=days,
        entries=tuple(entries),
        unanswered=unanswered,
    )


def _answered_entry(record: RecordedQuestion) -> str | None:
    """The entry whose answer the person read: the direct answer, or where a "did you mean" click led."""
    if record.asked.outcome is Outcome.ANSWERED:
        return record.asked.entry_id
    if record.asked.outcome is Outcome.DID_YOU_MEAN:
        return record.resolved_entry_id
    return None


def _every_day(per_day: Mapping[dt.date, Counter[Outcome]]) -> tuple[Day, ...]:
    """One Day per calendar day from the first to the last, quiet days included (a chart needs them)."""
    if not per_day:
        return ()
    first, last = min(per_day), max(per_day)
    span = (last - first).days + 1
    return tuple(
        Day(day, {outcome: per_day.get(day, Counter())[outcome] for outcome in OUTCOMES})
        for day in (first + dt.timedelta(days=n) for n in range(span))
    )
