"""The running bot's retention purge: a background task over `PersonalData`."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator

from adapters.store.personal_data import PersonalData
from bot.privacy import Retention

log = logging.getLogger(__name__)


async def purge_every(data: PersonalData, retention: Retention, interval: dt.timedelta) -> AsyncIterator[None]:
    """Background purge for the running bot: now, then every `interval` (counts only in the log)."""

    async def loop() -> None:
        while True:
            try:
                removed = await data.purge(retention, now=dt.datetime.now(dt.UTC))
                log.info("retention purge: %s", dict(removed.counts))
            except Exception as exc:  # noqa: BLE001 - a failed purge is retried next time; serving goes on
                log.warning("retention purge failed: %s", type(exc).__name__)
            await asyncio.sleep(interval.total_seconds())

    task = asyncio.create_task(loop(), name="retention-purge")
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
