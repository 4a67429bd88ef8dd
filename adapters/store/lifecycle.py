"""The store's life in a serving process: migrate, open, claim this instance, run a worker, close."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.store.engine import StoreReachable, create_engine, migrate
from adapters.store.instances import Instances


def serving_store(
    database_url: str,
    engine: AsyncEngine,
    instances: Instances,
    worker: Callable[[], Coroutine[Any, Any, None]],
    *,
    name: str,
) -> Callable[[Any], AsyncIterator[None]]:
    """A cleanup context: the store migrated and reachable before `worker` starts; on the way out the
    worker is cancelled, the instance released and `engine` disposed."""

    async def context(_app: Any) -> AsyncIterator[None]:
        migration = create_engine(database_url)  # unhurried: may wait for another instance
        try:
            await migrate(migration)
        finally:
            await migration.dispose()
        # Open the serving pool now: a first connection that shutdown cancels half-way leaves
        # aiosqlite's thread waiting, and the shutdown with it.
        await StoreReachable(engine).ready()
        await instances.hold()
        task = asyncio.create_task(worker(), name=name)
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await instances.release()
        await engine.dispose()

    return context
