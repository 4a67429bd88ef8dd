"""Delivers the ticket outbox through the Bot Connector, after the turn that queued it.

At-least-once: a message leaves the outbox only once the connector accepted it. Throttling and
transient failures (408, 412, 429, 5xx, network errors) are retried with exponential backoff and
jitter, never sooner than a `Retry-After` the connector sent; other 4xx (the bot was removed from
the team, say) are given up and logged. Queued messages survive a restart: the next start sends
them. A crash between the connector accepting the HR post and the store recording it can post the
card twice; the reference on the card lets the HR helpdesk spot that.

Kept apart from the in-turn send retry (`outbound_delivery.py`) on purpose: this schedule is
durable. The SDK sends through `ChannelPoster`; either SDK's implementation reports a refusal as
`ConnectorRefused` and a connector it cannot reach as `ConnectorUnreachable`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from adapters.store.tickets import SqlTicketStore
from bot import Organisation, Outbound, ticket_cards
from bot.tickets import HrChannel, OutboxKind, OutboxMessage

log = logging.getLogger(__name__)

RETRYABLE = frozenset({408, 412, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff `base * 2**(attempt-1)` seconds, capped, ±`jitter`; a lease longer than one send."""

    base_seconds: float = 2.0
    cap_seconds: float = 300.0
    jitter: float = 0.2
    lease_seconds: float = 120.0
    poll_seconds: float = 1.0

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        backoff = min(self.cap_seconds, self.base_seconds * 2 ** max(attempt - 1, 0))
        backoff *= 1 + rng.uniform(-self.jitter, self.jitter)
        return max(backoff, retry_after or 0.0)


class ConnectorRefused(Exception):
    """The Bot Connector answered an outbound call with HTTP `status` (and maybe a Retry-After)."""

    def __init__(self, status: int, retry_after: str | None = None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


class ConnectorUnreachable(Exception):
    """The Bot Connector could not be reached (network error or timeout)."""


@dataclass(frozen=True)
class ChannelPost:
    """Where a new thread goes: the HR channel, in the tenant and on the connector of the requester."""

    service_url: str
    channel_id: str
    tenant_id: str | None
    bot_id: str | None
    bot_name: str | None


@dataclass(frozen=True)
class Posted:
    """The new thread's conversation reference (JSON) and the id of its first message."""

    reference: dict[str, Any]
    activity_id: str


class ChannelPoster(Protocol):
    """What the courier needs from the SDK: proactive messages through the Bot Connector."""

    async def post(self, where: ChannelPost, message: Outbound) -> Posted:
        """Start a new thread in a channel with `message`."""

    async def update(self, reference: Mapping[str, Any], activity_id: str, message: Outbound) -> None:
        """Replace the bot's message `activity_id` in the referenced conversation."""

    async def send(self, reference: Mapping[str, Any], message: Outbound) -> None:
        """Post `message` in the referenced conversation."""


class NotYet(Exception):
    """The message cannot be sent yet (e.g. the card to update is not posted); try again later."""


class GiveUp(Exception):
    """The connector refused for good; retrying cannot help."""


def retry_after(headers: Mapping[str, str] | None, now: dt.datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), if any."""
    value = (headers or {}).get("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max((when - now).total_seconds(), 0.0)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class TicketCourier:
    """Drains the outbox: posts ticket cards to the HR helpdesk, updates them, notifies staff."""

    def __init__(
        self,
        poster: ChannelPoster,
        store: SqlTicketStore,
        hr_channel: Callable[[], Awaitable[HrChannel | None]],
        *,
        organisation: Organisation,
        policy: RetryPolicy | None = None,
        clock: Callable[[], dt.datetime] = _utcnow,
        rng: random.Random | None = None,
    ) -> None:
        self._poster = poster
        self._store = store
        self._hr_channel = hr_channel
        self._organisation = organisation
        self._policy = policy or RetryPolicy()
        self._clock = clock
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not security
        self._wake = asyncio.Event()

    def nudge(self) -> None:
        """Something was queued: look now rather than at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        """Deliver until cancelled; a failing database is logged and retried, never fatal."""
        while True:
            try:
                await self.drain()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the worker must outlive a database outage
                log.error("outbox drain failed: %s", type(exc).__name__)
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), self._policy.poll_seconds)
            except TimeoutError:
                pass

    async def drain(self) -> int:
        """Send every message due now; returns how many were delivered."""
        lease = dt.timedelta(seconds=self._policy.lease_seconds)
        delivered = 0
        for message in await self._store.claim_due(now=self._clock(), lease=lease):
            if await self._attempt(message):
                delivered += 1
        return delivered

    async def _attempt(self, message: OutboxMessage) -> bool:
        try:
            await self._deliver(message)
        except NotYet as exc:
            due = self._clock() + dt.timedelta(seconds=self._policy.base_seconds)
            await self._store.retry_at(message.id, due, error=f"waiting:{exc}")
            return False
        except GiveUp as exc:
            log.error("outbox gave up on %s for ticket %s: %s", message.kind.value, message.ticket_number, exc)
            await self._store.give_up(message.id, now=self._clock(), error=str(exc))
            return False
        except ConnectorRefused as exc:
            if exc.status not in RETRYABLE:
                log.error("outbox gave up on %s for ticket %s: HTTP %s", message.kind.value, message.ticket_number,
                          exc.status)
                await self._store.give_up(message.id, now=self._clock(), error=f"http:{exc.status}")
                return False
            wait = retry_after({"Retry-After": exc.retry_after} if exc.retry_after else None, self._clock())
            await self._reschedule(message, f"http:{exc.status}", wait)
            return False
        except ConnectorUnreachable as exc:
            await self._reschedule(message, str(exc) or type(exc).__name__, None)
            return False
        await self._store.delivered(message.id, now=self._clock())
        log.info("outbox delivered %s for ticket %s", message.kind.value, message.ticket_number)
        return True

    async def _reschedule(self, message: OutboxMessage, error: str, wait: float | None) -> None:
        delay = self._policy.delay(message.attempts, wait, self._rng)
        log.warning("outbox retry of %s for ticket %s in %.1fs (%s)", message.kind.value, message.ticket_number,
                    delay, error)
        await self._store.retry_at(message.id, self._clock() + dt.timedelta(seconds=delay), error=error)

    async def _deliver(self, message: OutboxMessage) -> None:
        ticket = await self._store.get(message.ticket_number)
        if ticket is None:
            raise GiveUp("ticket erased")
        match message.kind:
            case OutboxKind.POST_TICKET:
                await self._post_ticket(message.ticket_number)
            case OutboxKind.UPDATE_CARD:
                reference, activity_id = await self._store.hr_post(message.ticket_number)
                if reference is None or activity_id is None:
                    raise NotYet("card not posted")
                card = ticket_cards.hr_ticket(ticket, await self._store.history(ticket.number))
                await self._poster.update(reference, activity_id, card)
            case OutboxKind.NOTIFY_STAFF:
                reference = await self._store.requester_reference(message.ticket_number)
                if reference is None:
                    raise GiveUp("no reference")
                await self._poster.send(reference, ticket_cards.staff_notice(ticket, message.payload, self._organisation))

    async def _post_ticket(self, number: int) -> None:
        channel = await self._hr_channel()
        if channel is None:
            raise NotYet("no HR channel")
        requester = await self._store.requester_reference(number)
        ticket = await self._store.get(number)
        if requester is None or ticket is None:
            raise GiveUp("ticket erased")
        service_url = channel.service_url or requester.get("serviceUrl")
        if not service_url:
            raise GiveUp("no service url")
        bot = requester.get("bot") or {}
        where = ChannelPost(
            service_url=service_url,
            channel_id=channel.channel_id,
            tenant_id=(requester.get("conversation") or {}).get("tenantId"),
            bot_id=bot.get("id"),
            bot_name=bot.get("name"),
        )
        posted = await self._poster.post(where, ticket_cards.hr_ticket(ticket, await self._store.history(number)))
        await self._store.set_hr_post(number, posted.reference, posted.activity_id)
