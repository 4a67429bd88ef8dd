"""Sending to the Bot Connector: retries on throttling and gateway errors, paced per conversation.

botframework-connector 4.17.1 tries each send once. Teams asks bots to retry 429, 412, 502 and
504 with jittered exponential backoff, honouring Retry-After, and limits each bot to 7 sends per
second (8 per 2 s, 60 per 30 s) per conversation. `ConnectorSender.send` wraps one HTTP
attempt function with both; it knows nothing of Bot Framework types.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Protocol, TypeVar

RETRYABLE_STATUSES = frozenset({412, 429, 502, 504})
# Teams' published per-conversation send limits: (window seconds, max sends in it).
TEAMS_CONVERSATION_LIMITS = ((1.0, 7), (2.0, 8), (30.0, 60))
# Teams' per-app-per-tenant ceiling is 50 RPS in the current documentation (30 in an older
# revision); FAQBOT_OUTBOUND_PER_SECOND lowers it for tenants that still see 429s at 50, or for
# several processes sharing the ceiling, and 0 turns the app-wide pace off (benchmarks).
TEAMS_APP_SENDS_PER_SECOND = 50


def app_limits(per_second: int) -> tuple[tuple[float, int], ...]:
    return ((1.0, per_second),)


TEAMS_APP_LIMITS = app_limits(TEAMS_APP_SENDS_PER_SECOND)
MAX_OUTBOUND_BYTES = 28 * 1024

Response = TypeVar("Response")


@dataclass(frozen=True)
class SendRetry:
    """At most `max_attempts` tries, all started within `budget` seconds of the first.

    Delay before retry n (1-based) is `base_delay * 2**(n-1)`, capped at `max_delay`, randomised
    by ±`jitter`; a Retry-After header replaces it when longer. A Retry-After that would overrun
    the budget ends the retries (the caller sees the failure, not a late duplicate).
    """

    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    jitter: float = 0.2
    budget: float = 12.0

    def backoff(self, retry: int, rng: random.Random) -> float:
        delay = min(self.max_delay, self.base_delay * 2.0 ** (retry - 1))
        return delay * (1 + rng.uniform(-self.jitter, self.jitter))


class RetryObserver(Protocol):
    def retried(self, status: int) -> None: ...


@dataclass
class _Lane:
    """One key's recent sends, and the line of senders waiting for it (first come, first served)."""

    sent: deque[float] = field(default_factory=deque)
    turn: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


@dataclass
class SlidingWindowPacer:
    """Waits until one more send fits every (window, limit) pair, per key.

    Senders for one key go in arrival order: without that, every waiter woke at the same moment
    and raced for the free slot, and an unlucky turn could lose for many seconds under load.
    """

    limits: tuple[tuple[float, int], ...]
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    max_keys: int = 10_000
    _lanes: dict[str, _Lane] = field(default_factory=dict)

    async def acquire(self, key: str) -> None:
        longest = max(window for window, _ in self.limits)
        lane = self._lanes.setdefault(key, _Lane())
        lane.users += 1
        try:
            async with lane.turn:
                await self._wait_for_room(lane.sent, longest)
        finally:
            lane.users -= 1
        self._forget_idle(self.clock(), longest)

    async def _wait_for_room(self, sent: deque[float], longest: float) -> None:
        while True:
            now = self.clock()
            while sent and now - sent[0] >= longest:
                sent.popleft()
            wait = 0.0
            for window, limit in self.limits:
                recent = [t for t in sent if now - t < window]
                if len(recent) >= limit:
                    wait = max(wait, recent[-limit] + window - now)
            if wait <= 0:
                sent.append(now)
                return
            await self.sleep(wait)

    def _forget_idle(self, now: float, longest: float) -> None:
        if len(self._lanes) <= self.max_keys:
            return
        for key in [
            k for k, lane in self._lanes.items() if not lane.users and (not lane.sent or now - lane.sent[-1] >= longest)
        ]:
            del self._lanes[key]


@dataclass
class ConnectorSender:
    """Sends with pacing and retries. `attempt` performs one HTTP call and returns its response;
    `status_of` reads (status, Retry-After header) from it. `app_pacer` None: no app-wide pace
    (the per-conversation pace always applies)."""

    policy: SendRetry = field(default_factory=SendRetry)
    conversation_pacer: SlidingWindowPacer = field(
        default_factory=lambda: SlidingWindowPacer(TEAMS_CONVERSATION_LIMITS)
    )
    app_pacer: SlidingWindowPacer | None = field(default_factory=lambda: SlidingWindowPacer(TEAMS_APP_LIMITS))
    observer: RetryObserver | None = None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    rng: random.Random = field(default_factory=random.Random)

    async def send(
        self,
        conversation: str | None,
        attempt: Callable[[], Awaitable[Response]],
        status_of: Callable[[Response], tuple[int, str | None]],
    ) -> Response:
        """The first non-retryable response, or the last one when the attempts or budget run out."""
        started = self.clock()
        retry = 0
        while True:
            if conversation is not None:
                await self.conversation_pacer.acquire(conversation)
            if self.app_pacer is not None:
                await self.app_pacer.acquire("app")
            response = await attempt()
            status, retry_after = status_of(response)
            retry += 1
            if status not in RETRYABLE_STATUSES or retry >= self.policy.max_attempts:
                return response
            delay = max(self.policy.backoff(retry, self.rng), parse_retry_after(retry_after) or 0.0)
            if self.clock() - started + delay > self.policy.budget:
                return response
            if self.observer is not None:
                self.observer.retried(status)
            await self.sleep(delay)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def conversation_of(path: str) -> str | None:
    """The conversation id segment of a connector URL path `/v3/conversations/{id}/...`."""
    parts = path.split("/")
    try:
        index = parts.index("conversations")
    except ValueError:
        return None
    return parts[index + 1] if len(parts) > index + 2 and parts[index + 1] else None
