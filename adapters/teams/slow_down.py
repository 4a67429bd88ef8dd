"""The "slow down" notice to a chat over its turn limit, through whichever SDK carries activities."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from adapters.teams.ticket_courier import ChannelPoster
from bot import Outbound

log = logging.getLogger(__name__)

# The parts of an activity that make its conversation reference (the Bot Framework's JSON names).
_REFERENCE_PARTS = {
    "id": "activityId",
    "from": "user",
    "recipient": "bot",
    "conversation": "conversation",
    "channelId": "channelId",
    "serviceUrl": "serviceUrl",
    "locale": "locale",
}


def reference_of(activity: Mapping[str, Any]) -> dict[str, Any]:
    """The conversation reference of an inbound activity (checked JSON), for a proactive send."""
    return {name: activity[part] for part, name in _REFERENCE_PARTS.items() if activity.get(part) is not None}


class SlowDownNotices:
    """`SlowDownNotifier` through the Bot Connector: a proactive message into the activity's
    conversation, sent in the background (the request being acknowledged does not wait for it)."""

    def __init__(self, poster: ChannelPoster, *, text: str) -> None:
        self._poster = poster
        self._notice = Outbound(summary=text)
        self._sending: set[asyncio.Task[None]] = set()

    def slow_down(self, activity: Mapping[str, Any]) -> None:
        task = asyncio.create_task(self._send(reference_of(activity)), name="slow-down-notice")
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _send(self, reference: dict[str, Any]) -> None:
        try:
            await self._poster.send(reference, self._notice)
        except Exception as exc:  # noqa: BLE001 - a notice is best effort; never the message text
            log.info("slow-down notice not sent: %s", type(exc).__name__)
