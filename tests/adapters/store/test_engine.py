"""The engine's outage translation leaves cancellation alone."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from adapters.store import create_engine

SLOW = {
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) "
    "SELECT count(*) FROM c",
    "postgresql": "SELECT pg_sleep(5)",
}


async def test_a_cancelled_query_is_cancelled_not_an_outage(store_url: str) -> None:
    """A task cancelled inside a database call (app shutdown) must end, not see StoreUnavailable
    and carry on: the retention purge once did, then slept a day while shutdown waited for it."""
    engine = create_engine(store_url, deadline=10)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))  # the connection is open before the cancel
        started = asyncio.Event()

        async def query() -> None:
            async with engine.connect() as connection:
                started.set()
                await connection.execute(text(SLOW[engine.dialect.name]))

        task = asyncio.create_task(query())
        await started.wait()
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    finally:
        await engine.dispose()
