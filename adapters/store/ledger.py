"""Which inbound activities have been delivered already, shared by every instance."""

from __future__ import annotations

import datetime as dt
import hashlib

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.store.tables import delivered_activities


def delivery_key(channel_id: str, conversation_id: str, activity_id: str) -> str:
    """A fixed-length key for one activity (ids are opaque and may be long)."""
    raw = "\x1f".join((channel_id, conversation_id, activity_id)).encode()
    return hashlib.sha256(raw).hexdigest()


class DeliveryLedger:
    """Claims an activity the first time it is delivered; later deliveries are refused."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def claim(self, key: str, *, now: dt.datetime) -> bool:
        """True for the first delivery of `key`, False for every repeat (across instances)."""
        try:
            async with self._engine.begin() as connection:
                await connection.execute(sa.insert(delivered_activities).values(key=key, received_at=now))
        except IntegrityError:
            return False
        return True

    async def forget_before(self, cutoff: dt.datetime) -> int:
        """Drop claims older than `cutoff`; returns how many."""
        async with self._engine.begin() as connection:
            result = await connection.execute(
                sa.delete(delivered_activities).where(delivered_activities.c.received_at < cutoff)
            )
        return result.rowcount or 0
