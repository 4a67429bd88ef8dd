"""Curators' decisions on suggested alternates, so a decided suggestion is not proposed again."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.store.tables import alternate_decisions

Decision = Literal["accepted", "dismissed"]
_TABLE = alternate_decisions


class AlternateDecisions:
    """(question, entry) pairs a curator accepted or dismissed."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def decide(self, question: str, entry_id: str, decision: Decision, *, now: dt.datetime) -> None:
        """Remember `decision` for the pair (a later decision replaces an earlier one)."""
        values = {"question": question, "entry_id": entry_id, "decision": decision, "decided_at": now}
        insert = (postgresql.insert if self._engine.dialect.name == "postgresql" else sqlite.insert)(_TABLE)
        statement = insert.values(**values).on_conflict_do_update(
            index_elements=[_TABLE.c.question, _TABLE.c.entry_id],
            set_={"decision": decision, "decided_at": now},
        )
        async with self._engine.begin() as connection:
            await connection.execute(statement)

    async def decided(self) -> frozenset[tuple[str, str]]:
        """Every (question, entry id) pair already decided."""
        async with self._engine.connect() as connection:
            rows = await connection.execute(sa.select(_TABLE.c.question, _TABLE.c.entry_id))
        return frozenset((question, entry_id) for question, entry_id in rows)
