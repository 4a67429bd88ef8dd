"""Runs each delivered activity's turn once, whichever SDK runs it.

Teams delivers a message or invoke again when the bot was slow or answered 5xx; a second turn
would repeat side effects (a second reply, a second ticket). A turn runs only when the ledger
grants the activity's claim; a turn that fails before finishing gives the claim back so the next
delivery runs it again. When the store is down the turn is not run and the channel is told to
deliver again later (503 with Retry-After).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

from adapters.store import is_outage, redelivery_key
from adapters.web.turn_result import TurnResult

log = logging.getLogger(__name__)

# Teams re-delivers these when the bot is slow; running them twice would repeat side effects.
_DEDUPLICATED_TYPES = frozenset({"message", "invoke"})
# Seconds a client should wait before re-sending an activity the store could not take.
STORE_RETRY_AFTER_SECONDS = 5


UNAVAILABLE = TurnResult(503, {"error": "temporarily unavailable"}, retry_after=STORE_RETRY_AFTER_SECONDS)
UNREADABLE = TurnResult(400, {"error": "activity fields have invalid values"})
REPEATED = TurnResult(200)


class DeliveryClaims(Protocol):
    """Remembers delivered activities so a re-delivery runs no second turn, unless the first
    turn never finished (see `adapters/store/ledger.py`)."""

    async def claim(self, key: str, *, now: dt.datetime) -> bool: ...

    async def finish(self, key: str) -> None: ...

    def abandon(self, key: str) -> None: ...


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class RedeliveryGuard:
    """Wraps the turn of one readable activity: at most one finished turn per delivered activity.

    A turn that ran to its end has replied, so a store that fails only when the turn is marked
    finished does not make the delivery a 503 (the Bot Connector would deliver it again and staff
    would get the reply twice): the result stands, and this process remembers the activity as a
    repeat (its claim in the store still names this live process, so other instances refuse it).
    """

    def __init__(
        self, claims: DeliveryClaims, *, clock: Callable[[], dt.datetime] = _utcnow, remembered: int = 10_000
    ) -> None:
        self._claims = claims
        self._clock = clock
        self._unrecorded: OrderedDict[str, None] = OrderedDict()  # finished turns the store missed
        self._remembered = remembered

    async def once(self, activity: Mapping[str, Any], turn: Callable[[], Awaitable[TurnResult]]) -> TurnResult:
        """`turn()`'s result; `REPEATED` for a re-delivery, `UNAVAILABLE` while the store is down."""
        key = None
        activity_id = activity.get("id")
        conversation = activity.get("conversation")
        if activity.get("type") in _DEDUPLICATED_TYPES and activity_id and isinstance(conversation, dict):
            key = redelivery_key(activity.get("channelId") or "", conversation.get("id") or "", activity_id)
        try:
            if key is not None and (key in self._unrecorded or not await self._claims.claim(key, now=self._clock())):
                log.info("ignored a re-delivered %s activity", activity.get("type"))
                return REPEATED
            try:
                result = await turn()
            except BaseException:
                if key is not None:
                    self._claims.abandon(key)  # its next delivery runs the turn again
                raise
        except Exception as exc:
            if not is_outage(exc):
                raise
            log.warning("turn not run: store unavailable (%s)", type(exc).__name__)
            return UNAVAILABLE
        if key is not None:
            await self._finish(key)
        return result

    async def _finish(self, key: str) -> None:
        """Mark `key`'s turn finished; when the store fails, remember it here instead."""
        try:
            await self._claims.finish(key)
        except Exception as exc:
            if not is_outage(exc):
                raise
            log.warning("turn finished but not recorded: store unavailable (%s)", type(exc).__name__)
            self._unrecorded[key] = None
            if len(self._unrecorded) > self._remembered:
                self._unrecorded.popitem(last=False)
