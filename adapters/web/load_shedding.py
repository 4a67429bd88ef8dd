"""Load shedding: a bound on how many turns one process runs at once.

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

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from adapters.web.inbound_guard import TurnResultLike, TurnRunner


class LoadObserver(Protocol):
    """Told about every refusal and every change in the number of turns in flight."""

    def turn_shed(self) -> None: ...

    def turns_in_flight(self, turns: int) -> None: ...


@dataclass(frozen=True)
class Busy:
    """The answer to a refused request: 503 with Retry-After, no turn run."""

    retry_after: int
    status: int = 503
    body: Any = field(default_factory=lambda: {"error": "busy: retry later"})


class TurnLimit:
    """Runs at most `limit` turns of `runner` at once (0: no limit), `2 * limit` when the activity
    carries card data, and refuses the rest with `Busy`.

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

    async def run(self, body: Mapping[str, Any], claims: Mapping[str, Any] | None) -> TurnResultLike:
        limit = self._limit * 2 if isinstance(body.get("value"), dict) else self._limit
        if limit and self._in_flight >= limit:
            self._observer.turn_shed()
            return Busy(self._retry_after)
        self._in_flight += 1
        self._observer.turns_in_flight(self._in_flight)
        try:
            return await self._runner.run(body, claims)
        finally:
            self._in_flight -= 1
            self._observer.turns_in_flight(self._in_flight)
