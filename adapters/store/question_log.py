"""The questions the bot handled, recorded without identity (implements bot.ports.QuestionLog)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.store.tables import asked_questions
from bot.questions import AskedQuestion, Outcome, RecordedQuestion

_TABLE = asked_questions


class QuestionStore:
    """Records questions and what happened after the reply; reads them back for the report."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def record(self, question: AskedQuestion) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                sa.insert(_TABLE).values(
                    id=question.id,
                    asked_at=question.asked_at,
                    question=question.text,
                    outcome=question.outcome.value,
                    entry_id=question.entry_id,
                    confidence=question.confidence,
                    escalated=False,
                )
            )

    async def mark_resolved(self, question_id: str, entry_id: str) -> None:
        await self._update(question_id, resolved_entry_id=entry_id)

    async def mark_feedback(self, question_id: str, *, helpful: bool) -> None:
        await self._update(question_id, helpful=helpful)

    async def mark_escalated(self, question_id: str) -> None:
        await self._update(question_id, escalated=True)

    async def history(self, *, since: dt.datetime | None = None) -> tuple[RecordedQuestion, ...]:
        """Every recorded question from `since` (default: all), oldest first."""
        query = sa.select(_TABLE).order_by(_TABLE.c.asked_at, _TABLE.c.id)
        if since is not None:
            query = query.where(_TABLE.c.asked_at >= since)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).mappings().all()
        return tuple(
            RecordedQuestion(
                asked=AskedQuestion(
                    id=row["id"],
                    asked_at=_aware(row["asked_at"]),
                    text=row["question"],
                    outcome=Outcome(row["outcome"]),
                    entry_id=row["entry_id"],
                    confidence=row["confidence"],
                ),
                resolved_entry_id=row["resolved_entry_id"],
                helpful=row["helpful"],
                escalated=bool(row["escalated"]),
            )
            for row in rows
        )

    async def forget_before(self, cutoff: dt.datetime) -> int:
        """Drop questions asked before `cutoff` (retention); returns how many."""
        async with self._engine.begin() as connection:
            result = await connection.execute(sa.delete(_TABLE).where(_TABLE.c.asked_at < cutoff))
        return result.rowcount or 0

    async def _update(self, question_id: str, **values: object) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(sa.update(_TABLE).where(_TABLE.c.id == question_id).values(**values))


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite gives back naive datetimes; everything stored is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
