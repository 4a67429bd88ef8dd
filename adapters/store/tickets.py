"""Helpdesk tickets on SQLite or PostgreSQL: the `TicketStore` port plus the outbox the
delivery worker drains.

A ticket and the deliveries it needs are written in one transaction; the outbox is claimed with
a lease so several instances never send the same message at the same time.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.store.tables import faq_drafts, hr_channel, ticket_events, ticket_outbox, tickets
from bot.tickets import (
    Actor,
    BestGuess,
    FaqDraft,
    HrChannel,
    NewTicket,
    OutboxKind,
    OutboxMessage,
    OutboxRequest,
    Requester,
    Ticket,
    TicketEvent,
    TicketStatus,
)

_CHANNEL_ROW = 1


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands datetimes back without a zone; everything stored is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _ticket(row: Any) -> Ticket:
    guess = None
    if row.best_guess_entry is not None:
        guess = BestGuess(row.best_guess_entry, row.best_guess_question or "", row.best_guess_confidence or 0.0)
    return Ticket(
        number=row.number,
        token=row.token,
        requester=Requester(row.requester_user_id, row.requester_aad_id, row.requester_name, row.anonymous),
        question=row.question,
        details=row.details,
        best_guess=guess,
        status=TicketStatus(row.status),
        assignee=row.assignee,
        hr_reply=row.hr_reply,
        suggested_as_faq=row.suggested_as_faq,
        version=row.version,
        created_at=_utc(row.created_at),
        updated_at=_utc(row.updated_at),
        hr_post_failing=row.hr_post_failing_since is not None and row.hr_activity_id is None,
    )


class SqlTicketStore:
    """Tickets, history, HR channel, outbox and FAQ drafts in the application database.

    The HR channel is read for every 1:1 message (to offer the helpdesk form), so it is
    remembered for `channel_cache_seconds` (0: read every time). `register_channel` on this
    store replaces the remembered channel at once; a registration made through another instance
    is seen here once the remembered one expires.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        channel_cache_seconds: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = engine
        self._channel_cache_seconds = channel_cache_seconds
        self._clock = clock
        self._channel: tuple[float, HrChannel | None] | None = None  # (read at, channel)
        self._channel_writes = 0  # a read that overlapped a write must not remember what it read

    # --- TicketStore port ------------------------------------------------------------------

    async def create(self, ticket: NewTicket, deliveries: Sequence[OutboxRequest]) -> tuple[Ticket, bool]:
        requester = ticket.requester
        guess = ticket.best_guess
        existing = await self.filed_with(ticket.idempotency_key)
        if existing is not None:  # the usual re-submit; the unique key still guards a race
            return existing, False
        try:
            async with self._engine.begin() as connection:
                result = await connection.execute(
                    sa.insert(tickets)
                    .values(
                        idempotency_key=ticket.idempotency_key,
                        token=ticket.token,
                        requester_user_id=requester.user_id,
                        requester_aad_id=requester.aad_object_id,
                        requester_name=requester.name,
                        anonymous=requester.anonymous,
                        requester_reference=dict(ticket.requester_reference),
                        question=ticket.question,
                        details=ticket.details,
                        best_guess_entry=guess.entry_id if guess else None,
                        best_guess_question=guess.question if guess else None,
                        best_guess_confidence=guess.confidence if guess else None,
                        status=TicketStatus.OPEN.value,
                        suggested_as_faq=False,
                        version=1,
                        created_at=ticket.created_at,
                        updated_at=ticket.created_at,
                    )
                    .returning(tickets.c.number)
                )
                number = result.scalar_one()
                await connection.execute(
                    sa.insert(ticket_events).values(ticket_number=number, at=ticket.created_at, kind="created")
                )
                await self._enqueue(connection, number, deliveries, ticket.created_at)
        except IntegrityError:
            existing = await self.filed_with(ticket.idempotency_key)
            if existing is None:
                raise
            return existing, False
        stored = await self.get(number)
        assert stored is not None  # just committed
        return stored, True

    async def queue(self, number: int, deliveries: Sequence[OutboxRequest], *, now: dt.datetime) -> None:
        async with self._engine.begin() as connection:
            await self._enqueue(connection, number, deliveries, now)

    async def filed_with(self, key: str) -> Ticket | None:
        async with self._engine.connect() as connection:
            row = (await connection.execute(sa.select(tickets).where(tickets.c.idempotency_key == key))).first()
        return _ticket(row) if row else None

    async def get(self, number: int) -> Ticket | None:
        async with self._engine.connect() as connection:
            row = (await connection.execute(sa.select(tickets).where(tickets.c.number == number))).first()
        return _ticket(row) if row else None

    async def record(
        self,
        before: Ticket,
        after: Ticket,
        event: TicketEvent,
        actor: Actor,
        deliveries: Sequence[OutboxRequest],
        draft: FaqDraft | None = None,
    ) -> bool:
        async with self._engine.begin() as connection:
            result = await connection.execute(
                sa.update(tickets)
                .where(tickets.c.number == before.number, tickets.c.version == before.version)
                .values(
                    status=after.status.value,
                    assignee=after.assignee,
                    hr_reply=after.hr_reply,
                    suggested_as_faq=after.suggested_as_faq,
                    version=after.version,
                    updated_at=after.updated_at,
                )
            )
            if result.rowcount != 1:
                return False  # another action got there first; the transaction writes nothing
            await connection.execute(
                sa.insert(ticket_events).values(
                    ticket_number=before.number,
                    at=event.at,
                    kind=event.kind,
                    actor_name=event.actor,
                    actor_aad_id=actor.aad_object_id,
                    note=event.note,
                )
            )
            if draft is not None:
                await connection.execute(
                    sa.insert(faq_drafts).values(
                        ticket_number=draft.ticket_number,
                        question=draft.question,
                        answer=draft.answer,
                        suggested_by_name=draft.suggested_by,
                        suggested_by_aad_id=actor.aad_object_id,
                        status="draft",
                        created_at=draft.created_at,
                    )
                )
            await self._enqueue(connection, before.number, deliveries, event.at)
        return True

    async def for_requester(self, user_id: str) -> tuple[Ticket, ...]:
        async with self._engine.connect() as connection:
            rows = await connection.execute(
                sa.select(tickets).where(tickets.c.requester_user_id == user_id).order_by(tickets.c.number.desc())
            )
            return tuple(_ticket(row) for row in rows)

    async def history(self, number: int) -> tuple[TicketEvent, ...]:
        async with self._engine.connect() as connection:
            rows = await connection.execute(
                sa.select(ticket_events).where(ticket_events.c.ticket_number == number).order_by(ticket_events.c.id)
            )
            return tuple(TicketEvent(_utc(r.at), r.kind, r.actor_name, r.note) for r in rows)

    async def hr_channel(self) -> HrChannel | None:
        now = self._clock()
        if self._channel is not None and now - self._channel[0] < self._channel_cache_seconds:
            return self._channel[1]
        writes = self._channel_writes
        async with self._engine.connect() as connection:
            row = (await connection.execute(sa.select(hr_channel).where(hr_channel.c.id == _CHANNEL_ROW))).first()
        channel = HrChannel(row.channel_id, row.team_id, row.service_url) if row else None
        if writes == self._channel_writes:
            self._channel = (now, channel)
        return channel

    async def register_channel(self, channel: HrChannel, *, by: str | None, now: dt.datetime) -> None:
        values = {
            "channel_id": channel.channel_id,
            "team_id": channel.team_id,
            "service_url": channel.service_url,
            "registered_by_aad_id": by,
            "registered_at": now,
        }
        self._channel_writes += 1
        self._channel = None
        async with self._engine.begin() as connection:
            updated = await connection.execute(
                sa.update(hr_channel).where(hr_channel.c.id == _CHANNEL_ROW).values(values)
            )
            if updated.rowcount == 0:
                await connection.execute(sa.insert(hr_channel).values(id=_CHANNEL_ROW, **values))
        self._channel_writes += 1
        self._channel = (self._clock(), channel)

    async def faq_drafts(self) -> tuple[FaqDraft, ...]:
        async with self._engine.connect() as connection:
            rows = await connection.execute(
                sa.select(faq_drafts).where(faq_drafts.c.status == "draft").order_by(faq_drafts.c.id)
            )
            return tuple(
                FaqDraft(r.ticket_number, r.question, r.answer, r.suggested_by_name, _utc(r.created_at)) for r in rows
            )

    # --- conversation references ---------------------------------------------------------

    async def requester_reference(self, number: int) -> Mapping[str, Any] | None:
        async with self._engine.connect() as connection:
            return (
                await connection.execute(sa.select(tickets.c.requester_reference).where(tickets.c.number == number))
            ).scalar_one_or_none()

    async def hr_post(self, number: int) -> tuple[Mapping[str, Any] | None, str | None]:
        """The HR channel thread reference and ticket card id, once the card was posted."""
        async with self._engine.connect() as connection:
            row = (
                await connection.execute(
                    sa.select(tickets.c.hr_reference, tickets.c.hr_activity_id).where(tickets.c.number == number)
                )
            ).first()
        return (row.hr_reference, row.hr_activity_id) if row else (None, None)

    async def set_hr_post(self, number: int, reference: Mapping[str, Any], activity_id: str) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                sa.update(tickets)
                .where(tickets.c.number == number)
                .values(hr_reference=dict(reference), hr_activity_id=activity_id)
            )

    async def hr_post_failing(self, number: int, *, now: dt.datetime) -> bool:
        """Mark the ticket's HR post as failing and queue the staff member's notice, both once:
        True when this call marked it (the notice was queued), False when it already was."""
        async with self._engine.begin() as connection:
            marked = await connection.execute(
                sa.update(tickets)
                .where(
                    tickets.c.number == number,
                    tickets.c.hr_post_failing_since.is_(None),
                    tickets.c.hr_activity_id.is_(None),
                )
                .values(hr_post_failing_since=now)
            )
            if marked.rowcount != 1:
                return False
            await self._enqueue(
                connection, number, [OutboxRequest(OutboxKind.NOTIFY_STAFF, {"notice": "undelivered"})], now
            )
        return True

    async def failing_hr_posts(self) -> int:
        """How many tickets have not reached the HR helpdesk because posting them keeps failing."""
        async with self._engine.connect() as connection:
            return (
                await connection.execute(
                    sa.select(sa.func.count())
                    .select_from(tickets)
                    .where(tickets.c.hr_post_failing_since.is_not(None), tickets.c.hr_activity_id.is_(None))
                )
            ).scalar_one()

    # --- outbox ----------------------------------------------------------------------------

    @staticmethod
    async def _enqueue(
        connection: AsyncConnection, number: int, deliveries: Sequence[OutboxRequest], now: dt.datetime
    ) -> None:
        if deliveries:
            await connection.execute(
                sa.insert(ticket_outbox),
                [
                    {
                        "ticket_number": number,
                        "kind": d.kind.value,
                        "payload": dict(d.payload),
                        "attempts": 0,
                        "due_at": now,
                        "created_at": now,
                    }
                    for d in deliveries
                ],
            )

    async def claim_due(self, *, now: dt.datetime, lease: dt.timedelta, limit: int = 20) -> list[OutboxMessage]:
        """Messages due for delivery, leased to this caller until `now + lease`, oldest first."""
        pending = (
            (ticket_outbox.c.delivered_at.is_(None))
            & (ticket_outbox.c.failed_at.is_(None))
            & (ticket_outbox.c.due_at <= now)
            & (ticket_outbox.c.locked_until.is_(None) | (ticket_outbox.c.locked_until < now))
        )
        claimed: list[OutboxMessage] = []
        async with self._engine.connect() as connection:
            rows = (
                await connection.execute(
                    sa.select(ticket_outbox).where(pending).order_by(ticket_outbox.c.id).limit(limit)
                )
            ).all()
        for row in rows:
            async with self._engine.begin() as connection:
                # Compare-and-set: only one instance wins a row whose lease it saw free.
                won = await connection.execute(
                    sa.update(ticket_outbox)
                    .where(ticket_outbox.c.id == row.id, pending)
                    .values(locked_until=now + lease, attempts=ticket_outbox.c.attempts + 1)
                )
            if won.rowcount == 1:
                claimed.append(
                    OutboxMessage(row.id, OutboxKind(row.kind), row.ticket_number, row.payload, row.attempts + 1)
                )
        return claimed

    async def renew_lease(self, message_id: int, *, held_until: dt.datetime, until: dt.datetime) -> bool:
        """Extend this caller's lease (the one ending at `held_until`) to `until`; False when the
        message is no longer leased to it (delivered, rescheduled, or taken over after expiry)."""
        async with self._engine.begin() as connection:
            renewed = await connection.execute(
                sa.update(ticket_outbox)
                .where(
                    ticket_outbox.c.id == message_id,
                    ticket_outbox.c.locked_until == held_until,
                    ticket_outbox.c.delivered_at.is_(None),
                )
                .values(locked_until=until)
            )
        return renewed.rowcount == 1

    async def delivered(self, message_id: int, *, now: dt.datetime) -> None:
        await self._set(message_id, delivered_at=now, locked_until=None, last_error=None)

    async def retry_at(self, message_id: int, due: dt.datetime, *, error: str) -> None:
        await self._set(message_id, due_at=due, locked_until=None, last_error=error[:100])

    async def give_up(self, message_id: int, *, now: dt.datetime, error: str) -> None:
        await self._set(message_id, failed_at=now, locked_until=None, last_error=error[:100])

    async def _set(self, message_id: int, **values: Any) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(sa.update(ticket_outbox).where(ticket_outbox.c.id == message_id).values(values))

    async def undelivered(self) -> int:
        """How many messages still wait for delivery (for tests and health reporting)."""
        async with self._engine.connect() as connection:
            return (
                await connection.execute(
                    sa.select(sa.func.count())
                    .select_from(ticket_outbox)
                    .where(ticket_outbox.c.delivered_at.is_(None), ticket_outbox.c.failed_at.is_(None))
                )
            ).scalar_one()
