"""Delivers the ticket outbox through the Bot Connector, after the turn that queued it.

At-least-once: a message leaves the outbox only once the connector accepted it. Throttling and
transient failures (408, 412, 429, 5xx, network errors) are retried with exponential backoff and
jitter, never sooner than a `Retry-After` the connector sent. Other 4xx (the bot was removed from
the team, say) end a card update or a staff notice, logged; the HR post itself is never given up,
because the helpdesk's channel can be fixed: once refused (or failing `failing_after_attempts`
times) the staff member is told, once, that it has not reached the helpdesk yet and how to reach
them directly, "my requests" says so, and `faqbot_hr_posts_failing` counts it. Queued messages
survive a restart: the next start sends them. A crash between the connector accepting the HR post
and the store recording it can post the card twice; the reference on the card lets the HR helpdesk
spot that.

Kept apart from the in-turn send retry (`connector_sender.py`) on purpose: this schedule is
durable. The SDK sends through `ChannelPoster`; either SDK's implementation reports a refusal as
`ConnectorRefused` and a connector it cannot reach as `ConnectorUnreachable`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import email.utils
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from adapters.store.tickets import SqlTicketStore
from bot import Organisation, Outbound, ticket_cards
from bot.tickets import HrChannel, OutboxKind, OutboxMessage
from knowledge.errors import FaqbotError

log = logging.getLogger(__name__)

RETRYABLE = frozenset({408, 412, 429, 500, 502, 503, 504})
_MESSAGES_PER_DRAIN = 50  # then the loop looks at its wake-up again


@dataclass(frozen=True)
class OutboxBackoff:
    """Backoff `base * 2**(attempt-1)` seconds, capped, ±`jitter`.

    A message is leased for `lease_seconds` and the lease renewed every third of that while it is
    being sent, however long the send takes: a process that dies mid-send stops renewing, and
    another process (or this one restarted) takes the message over within `lease_seconds`.
    """

    base_seconds: float = 2.0
    cap_seconds: float = 300.0
    jitter: float = 0.2
    lease_seconds: float = 9.0
    poll_seconds: float = 1.0
    # An HR post failing this many times in a row (or refused outright) is surfaced: staff are told
    # once, "my requests" and the metrics show it; it is still retried.
    failing_after_attempts: int = 4

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        backoff = min(self.cap_seconds, self.base_seconds * 2.0 ** max(attempt - 1, 0))
        backoff *= 1 + rng.uniform(-self.jitter, self.jitter)
        return max(backoff, retry_after or 0.0)


class ConnectorRefused(FaqbotError):
    """The Bot Connector answered an outbound call with HTTP `status` (and maybe a Retry-After)."""

    exit_code = 1
    summary = "the Bot Connector refused the call"

    def __init__(self, status: int, retry_after: str | None = None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


class ConnectorUnreachable(FaqbotError):
    """The Bot Connector could not be reached (network error or timeout)."""

    exit_code = 1
    summary = "the Bot Connector could not be reached"


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


class NotYet(FaqbotError):
    """The message cannot be sent yet (e.g. the card to update is not posted); try again later."""

    exit_code = 1
    summary = "not deliverable yet"


class DeliveryObserver(Protocol):
    """Told how many tickets have not reached the HR helpdesk because posting them keeps failing."""

    def failing_hr_posts(self, count: int) -> None: ...


class GiveUp(FaqbotError):
    """The connector refused for good; retrying cannot help."""

    exit_code = 1
    summary = "the connector refused the delivery"


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


async def _settled(write: Awaitable[None]) -> None:
    """Await `write` to the end even if the courier is cancelled meanwhile, then let the
    cancellation through. A shutdown that cut an attempt's record short would leave the message
    leased, and a restarted bot would wait out the lease before sending it."""
    task = asyncio.ensure_future(write)
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError:
        await task
        raise


class TicketCourier:
    """Drains the outbox: posts ticket cards to the HR helpdesk, updates them, notifies staff."""

    def __init__(
        self,
        poster: ChannelPoster,
        store: SqlTicketStore,
        hr_channel: Callable[[], Awaitable[HrChannel | None]],
        *,
        organisation: Organisation,
        wakeup: asyncio.Event,
        policy: OutboxBackoff | None = None,
        observer: DeliveryObserver | None = None,
        clock: Callable[[], dt.datetime] = _utcnow,
        rng: random.Random | None = None,
    ) -> None:
        """`wakeup` is set by whoever queues a message: the courier looks at once, not at the next poll."""
        self._poster = poster
        self._store = store
        self._hr_channel = hr_channel
        self._organisation = organisation
        self._policy = policy or OutboxBackoff()
        self._observer = observer
        self._failing_counted = False
        self._clock = clock
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not security
        self._wake = wakeup

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
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._policy.poll_seconds)

    async def drain(self) -> int:
        """Send every message due now; returns how many were delivered."""
        lease = dt.timedelta(seconds=self._policy.lease_seconds)
        delivered = claimed = 0
        # One message at a time, each under its own short lease, so none waits leased behind another.
        while claimed < _MESSAGES_PER_DRAIN:
            now = self._clock()
            messages = await self._store.claim_due(now=now, lease=lease, limit=1)
            if not messages:
                break
            claimed += 1
            async with self._leased(messages[0], now + lease):
                if await self._attempt(messages[0]):
                    delivered += 1
        if self._observer is not None and (claimed or not self._failing_counted):
            self._observer.failing_hr_posts(await self._store.failing_hr_posts())
            self._failing_counted = True
        return delivered

    @contextlib.asynccontextmanager
    async def _leased(self, message: OutboxMessage, held_until: dt.datetime) -> AsyncIterator[None]:
        """Renew the lease on `message` every third of its length until the block ends."""
        lease = dt.timedelta(seconds=self._policy.lease_seconds)

        async def renew() -> None:
            held = held_until
            while True:
                await asyncio.sleep(self._policy.lease_seconds / 3)
                until = self._clock() + lease
                try:
                    if not await self._store.renew_lease(message.id, held_until=held, until=until):
                        return
                except Exception as exc:  # noqa: BLE001 - the send goes on; the lease may lapse
                    log.warning("outbox lease not renewed: %s", type(exc).__name__)
                    continue
                held = until

        renewing = asyncio.create_task(renew(), name="outbox-lease")
        try:
            yield
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing

    async def _attempt(self, message: OutboxMessage) -> bool:
        try:
            await self._deliver(message)
        except NotYet as exc:
            due = self._clock() + dt.timedelta(seconds=self._policy.base_seconds)
            await _settled(self._store.retry_at(message.id, due, error=f"waiting:{exc}"))
            return False
        except GiveUp as exc:
            log.error("outbox gave up on %s for ticket %s: %s", message.kind.value, message.ticket_number, exc)
            await _settled(self._store.give_up(message.id, now=self._clock(), error=str(exc)))
            return False
        except ConnectorRefused as exc:
            if exc.status not in RETRYABLE and message.kind is not OutboxKind.POST_TICKET:
                log.error(
                    "outbox gave up on %s for ticket %s: HTTP %s", message.kind.value, message.ticket_number, exc.status
                )
                await _settled(self._store.give_up(message.id, now=self._clock(), error=f"http:{exc.status}"))
                return False
            wait = retry_after({"Retry-After": exc.retry_after} if exc.retry_after else None, self._clock())
            await self._reschedule(message, f"http:{exc.status}", wait, refused=exc.status not in RETRYABLE)
            return False
        except ConnectorUnreachable as exc:
            await self._reschedule(message, str(exc) or type(exc).__name__, None)
            return False
        await _settled(self._store.delivered(message.id, now=self._clock()))
        log.info("outbox delivered %s for ticket %s", message.kind.value, message.ticket_number)
        return True

    async def _reschedule(
        self, message: OutboxMessage, error: str, wait: float | None, *, refused: bool = False
    ) -> None:
        """Try again later. The HR post is never given up (the helpdesk's channel may be fixed, e.g.
        the bot added back to the team), but one refused outright or failing `failing_after_attempts`
        times is surfaced to the staff member once."""
        delay = self._policy.delay(message.attempts, wait, self._rng)
        level = logging.ERROR if refused else logging.WARNING
        log.log(
            level,
            "outbox retry of %s for ticket %s in %.1fs (%s)",
            message.kind.value,
            message.ticket_number,
            delay,
            error,
        )
        await _settled(self._store.retry_at(message.id, self._clock() + dt.timedelta(seconds=delay), error=error))
        failing = refused or message.attempts >= self._policy.failing_after_attempts
        if (
            message.kind is OutboxKind.POST_TICKET
            and failing
            # True only the first time, so the requester is told once.
            and await self._store.hr_post_failing(message.ticket_number, now=self._clock())
        ):
            log.error("outbox: ticket %s has not reached the HR helpdesk; the requester is told", message.ticket_number)

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
                notice = ticket_cards.staff_notice(ticket, message.payload, self._organisation)
                await self._poster.send(reference, notice)

    async def _post_ticket(self, number: int) -> None:
        _reference, posted = await self._store.hr_post(number)
        if posted is not None:
            return  # posted and recorded by a process that died before marking the message delivered
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
        posted_now = await self._poster.post(where, ticket_cards.hr_ticket(ticket, await self._store.history(number)))
        await self._store.set_hr_post(number, posted_now.reference, posted_now.activity_id)
