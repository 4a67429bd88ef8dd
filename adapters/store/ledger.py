"""Which inbound activities have been delivered already, shared by every instance.

A delivery is claimed before its turn runs and marked finished when the turn has done all it
does. A claim whose turn never finished (its process died, or the store failed during the turn)
does not hide the activity: the next delivery of it takes the claim over and runs the turn again.
A claim whose turn is still running in a live process does hide it, so a re-delivery that races
the original turn runs nothing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.store.instances import Instances, new_owner_id
from adapters.store.tables import delivered_activities

log = logging.getLogger(__name__)


def redelivery_key(channel_id: str, conversation_id: str, activity_id: str) -> str:
    """A fixed-length key for one activity (ids are opaque and may be long)."""
    raw = "\x1f".join((channel_id, conversation_id, activity_id)).encode()
    return hashlib.sha256(raw).hexdigest()


class RedeliveryLedger:
    """Claims an activity for one turn; a finished or still-running turn refuses later deliveries.

    `instances` tells whether another process holding a claim is alive; without it (tests of the
    ledger alone) every claim counts as held by a live process.
    """

    def __init__(self, engine: AsyncEngine, instances: Instances | None = None) -> None:
        self._engine = engine
        self._instances = instances
        self._owner = instances.owner if instances else new_owner_id()
        self._running: set[str] = set()  # keys whose turn runs in this process now
        self._dropping: dict[str, asyncio.Task[None]] = {}  # abandoned claims being dropped

    async def claim(self, key: str, *, now: dt.datetime) -> bool:
        """True when a turn should run for `key`: its first delivery, or a re-delivery whose
        earlier turn never finished. False while that turn runs, and once it has finished."""
        if key in self._running:
            return False
        self._running.add(key)  # before any await: a concurrent delivery here sees it
        try:
            if key in self._dropping:
                await asyncio.shield(self._dropping[key])  # else the drop could remove our new claim
            won = await self._claim(key, now)
        except BaseException:
            self._running.discard(key)
            raise
        if not won:
            self._running.discard(key)
        return won

    async def finish(self, key: str) -> None:
        """The turn for `key` did everything it does: later deliveries are repeats."""
        try:
            async with self._engine.begin() as connection:
                await connection.execute(
                    sa.update(delivered_activities)
                    .where(delivered_activities.c.key == key, delivered_activities.c.owner == self._owner)
                    .values(owner=None)
                )
        finally:
            self._running.discard(key)

    def abandon(self, key: str) -> None:
        """The turn for `key` stopped before finishing: its next delivery runs it again.

        Returns at once; the claim is dropped in the background. Should the store be down, the
        claim stays: this process then takes it over on the next delivery, while another
        instance sees a live owner and ignores that delivery.
        """
        self._running.discard(key)
        task = asyncio.create_task(self._drop(key), name="drop-unfinished-claim")
        self._dropping[key] = task
        task.add_done_callback(lambda _task: self._dropping.pop(key, None))

    async def _drop(self, key: str) -> None:
        try:
            async with self._engine.begin() as connection:
                await connection.execute(
                    sa.delete(delivered_activities).where(
                        delivered_activities.c.key == key, delivered_activities.c.owner == self._owner
                    )
                )
        except Exception as exc:  # noqa: BLE001 - best effort, see abandon()
            log.info("could not drop an unfinished claim: %s", type(exc).__name__)

    async def _claim(self, key: str, now: dt.datetime) -> bool:
        while True:
            try:
                async with self._engine.begin() as connection:
                    await connection.execute(
                        sa.insert(delivered_activities).values(key=key, received_at=now, owner=self._owner)
                    )
                return True
            except IntegrityError:
                pass
            async with self._engine.connect() as connection:
                row = (
                    await connection.execute(
                        sa.select(delivered_activities.c.owner).where(delivered_activities.c.key == key)
                    )
                ).first()
            if row is not None:
                return await self._take_over(key, row.owner, now)
            # Dropped between the insert and the read (an abandoned claim): claim it afresh.

    async def _take_over(self, key: str, owner: str | None, now: dt.datetime) -> bool:
        if owner is None:
            return False  # its turn finished
        if owner != self._owner and (self._instances is None or await self._instances.alive(owner)):
            return False  # still running in a live process
        # Its turn died with its process, or failed here earlier: take the claim over (once).
        async with self._engine.begin() as connection:
            taken = await connection.execute(
                sa.update(delivered_activities)
                .where(delivered_activities.c.key == key, delivered_activities.c.owner == owner)
                .values(owner=self._owner, received_at=now)
            )
        if taken.rowcount == 1:
            log.info("re-running a delivery whose turn never finished")
        return taken.rowcount == 1

    async def forget_before(self, cutoff: dt.datetime) -> int:
        """Drop claims older than `cutoff`; returns how many."""
        async with self._engine.begin() as connection:
            result = await connection.execute(
                sa.delete(delivered_activities).where(delivered_activities.c.received_at < cutoff)
            )
        return result.rowcount or 0
