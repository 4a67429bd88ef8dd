"""Load shedding: a bound on how many turns one process runs at once, and on how many of them one
conversation may hold (`ConversationLimit`, in front).

Without a bound a burst queues inside the process: every turn waits behind all the others, and
once acknowledgements take longer than Teams' 15 s the Bot Connector re-delivers anyway. Beyond
`limit` turns in flight, a request is refused at once with 503 and a Retry-After hint. That
happens after authentication and before the delivery is claimed in the store, so a refused
request ran no turn and stored nothing, and its re-delivery is processed as a first delivery.

Button presses and form sends (activities carrying card data: the helpdesk form, the helpdesk's
ticket buttons, votes) continue something already under way and are rare, so they may use twice
the limit: a burst of questions does not refuse an escalation.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from adapters.web.inbound_guard import TurnRunner
from adapters.web.turn_result import TurnResult


class LoadObserver(Protocol):
    """Told about every refusal and every change in the number of turns in flight."""

    def turn_shed(self) -> None: ...

    def turns_in_flight(self, turns: int) -> None: ...


class TurnLimit:
    """Runs at most `limit` turns of `runner` at once (0: no limit), `2 * limit` when the activity
    carries card data, and refuses the rest with a 503 and Retry-After.

    One event loop, so a plain counter is exact; it is per process (with several workers or
    instances, each has its own bound).
    """

    def __init__(self, runner: TurnRunner, *, limit: int, retry_after: int, observer: LoadObserver) -> None:
        self._runner = runner
        self._limit = limit
        self._retry_after = retry_after
        self._observer = observer
        self._in_flight = 0

    @property
    def in_flight(self) -> int:
        return self._in_flight

    async def run(self, body: Mapping[str, Any], claims: Mapping[str, Any] | None) -> TurnResult:
        limit = self._limit * 2 if isinstance(body.get("value"), dict) else self._limit
        if limit and self._in_flight >= limit:
            self._observer.turn_shed()
            return TurnResult(503, {"error": "busy: retry later"}, retry_after=self._retry_after)
        self._in_flight += 1
        self._observer.turns_in_flight(self._in_flight)
        try:
            return await self._runner.run(body, claims)
        finally:
            self._in_flight -= 1
            self._observer.turns_in_flight(self._in_flight)


class SlowDownNotifier(Protocol):
    """Tells the sender of `activity` (raw JSON) to slow down, without holding up the caller."""

    def slow_down(self, activity: Mapping[str, Any]) -> None: ...


class ConversationObserver(Protocol):
    def conversation_shed(self) -> None: ...


# One "slow down" per conversation at most this often: a flood must not become a flood of notices.
SLOW_DOWN_NOTICE_SECONDS = 10.0


class ConversationLimit:
    """In front of `TurnLimit`: at most `limit` turns of one conversation in flight (0: no limit),
    `2 * limit` for activities carrying card data.

    One chat sending faster than its turns finish would otherwise fill the process's turn slots
    (each waiting for that chat's send pace, Teams' 7 per second per conversation) and push
    everybody else into 503s. Beyond its limit a message is acknowledged (200) without running a
    turn or taking a slot, and the chat is asked to slow down (`notifier`, in the background, at
    most once per SLOW_DOWN_NOTICE_SECONDS). Acknowledging rather than refusing: a 503 would
    have the Bot Connector re-deliver the flood.
    """

    def __init__(
        self,
        runner: TurnRunner,
        *,
        limit: int,
        notifier: SlowDownNotifier,
        observer: ConversationObserver,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._runner = runner
        self._limit = limit
        self._notifier = notifier
        self._observer = observer
        self._clock = clock
        self._in_flight: dict[str, int] = {}
        self._noticed: dict[str, float] = {}

    async def run(self, body: Mapping[str, Any], claims: Mapping[str, Any] | None) -> TurnResult:
        conversation = body.get("conversation")
        key = conversation.get("id") if isinstance(conversation, Mapping) else None
        if not self._limit or not isinstance(key, str):
            return await self._runner.run(body, claims)
        limit = self._limit * 2 if isinstance(body.get("value"), dict) else self._limit
        running = self._in_flight.get(key, 0)
        if running >= limit:
            self._observer.conversation_shed()
            self._notice(key, body)
            return TurnResult(200, {})  # acknowledged without a turn
        self._in_flight[key] = running + 1
        try:
            return await self._runner.run(body, claims)
        finally:
            left = self._in_flight[key] - 1
            if left:
                self._in_flight[key] = left
            else:
                del self._in_flight[key]

    def _notice(self, key: str, body: Mapping[str, Any]) -> None:
        now = self._clock()
        if now - self._noticed.get(key, -SLOW_DOWN_NOTICE_SECONDS) < SLOW_DOWN_NOTICE_SECONDS:
            return
        if len(self._noticed) > 10_000:
            self._noticed = {k: t for k, t in self._noticed.items() if now - t < SLOW_DOWN_NOTICE_SECONDS}
        self._noticed[key] = now
        self._notifier.slow_down(body)
