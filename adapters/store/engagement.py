"""Welcomes and feedback votes, stored under pseudonymous keys (see adapters/store/pseudonym.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.store.pseudonym import Pseudonymizer
from adapters.store.tables import feedback_votes, welcomes
from bot.replies import Vote


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class WelcomeStore:
    """Claims a welcome once per (kind, subject) across instances; subjects are stored as keys."""

    def __init__(
        self, engine: AsyncEngine, pseudonyms: Pseudonymizer, *, clock: Callable[[], dt.datetime] = _utcnow
    ) -> None:
        self._engine = engine
        self._pseudonyms = pseudonyms
        self._clock = clock

    async def claim_welcome(self, kind: str, subject_id: str) -> bool:
        key = self._pseudonyms.key(subject_id, namespace=f"welcome:{kind}")
        try:
            async with self._engine.begin() as connection:
                await connection.execute(sa.insert(welcomes).values(key=key, kind=kind, welcomed_at=self._clock()))
        except IntegrityError:
            return False
        return True

    async def release_welcome(self, kind: str, subject_id: str) -> None:
        key = self._pseudonyms.key(subject_id, namespace=f"welcome:{kind}")
        async with self._engine.begin() as connection:
            await connection.execute(sa.delete(welcomes).where((welcomes.c.key == key) & (welcomes.c.kind == kind)))


class FeedbackStore:
    """One vote per voter per answer; a new vote replaces the previous one."""

    def __init__(
        self, engine: AsyncEngine, pseudonyms: Pseudonymizer, *, clock: Callable[[], dt.datetime] = _utcnow
    ) -> None:
        self._engine = engine
        self._pseudonyms = pseudonyms
        self._clock = clock

    async def record_vote(self, voter_id: str, entry_id: str, vote: Vote, missing: str | None) -> None:
        voter = self._pseudonyms.key(voter_id, namespace="feedback")
        row = {"vote": vote.value, "missing": missing, "voted_at": self._clock()}
        where = (feedback_votes.c.voter == voter) & (feedback_votes.c.entry_id == entry_id)
        for _attempt in range(2):  # a concurrent first vote by the same person wins the insert race
            async with self._engine.begin() as connection:
                updated = await connection.execute(sa.update(feedback_votes).where(where).values(**row))
                if updated.rowcount:
                    return
            try:
                async with self._engine.begin() as connection:
                    await connection.execute(sa.insert(feedback_votes).values(voter=voter, entry_id=entry_id, **row))
                return
            except IntegrityError:
                continue

    async def tally(self) -> dict[str, dict[str, int]]:
        """Votes per answer: {entry_id: {"up": n, "down": m}}, for curators' reports."""
        async with self._engine.connect() as connection:
            rows = await connection.execute(
                sa.select(feedback_votes.c.entry_id, feedback_votes.c.vote, sa.func.count()).group_by(
                    feedback_votes.c.entry_id, feedback_votes.c.vote
                )
            )
            result: dict[str, dict[str, int]] = {}
            for entry_id, vote, count in rows:
                result.setdefault(entry_id, {"up": 0, "down": 0})[vote] = count
        return result
