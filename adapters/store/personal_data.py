"""Retention and subject access over everything the store keeps about people.

`purge` enforces the retention periods; `export` and `erase` answer a subject access or
erasure request for one person, found by their Entra (AAD) object id (feedback and welcomes are
stored under a keyed hash of it, so they are found by recomputing that hash). Questions are
recorded without identity (`asked_questions`) and cannot be linked to a person; they are only purged. Each
table that holds
personal data is covered here, so a new table must be added here too (a test lists them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.store.tables import (
    asked_questions,
    delivered_activities,
    faq_drafts,
    feedback_votes,
    hr_channel,
    ticket_events,
    ticket_outbox,
    tickets,
    welcomes,
)

# How a person's id becomes the stored pseudonym for a namespace (adapters/store/pseudonym.py).
PseudonymKey = Callable[[str, str], str]

ERASED = "(erased)"
OPEN_STATUSES = ("open", "assigned")


@dataclass(frozen=True)
class Retention:
    """How long each kind of record is kept."""

    tickets: dt.timedelta = dt.timedelta(days=365)
    feedback: dt.timedelta = dt.timedelta(days=365)
    questions: dt.timedelta = dt.timedelta(days=365)
    deliveries: dt.timedelta = dt.timedelta(days=30)
    delivery_claims: dt.timedelta = dt.timedelta(days=1)


@dataclass(frozen=True)
class Removed:
    """What a purge or an erasure removed (and kept), per table."""

    counts: Mapping[str, int]
    kept: Mapping[str, int]


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime) else value


def _rows(result: sa.CursorResult[Any]) -> list[dict[str, Any]]:
    return [{key: _json(value) for key, value in row.items()} for row in result.mappings()]


class PersonalData:
    """Retention, export and erasure over the SQL store."""

    def __init__(self, engine: AsyncEngine, pseudonym: PseudonymKey) -> None:
        self._engine = engine
        self._pseudonym = pseudonym

    def _keys(self, aad_object_id: str) -> tuple[str, str]:
        """The person's feedback and welcome keys (stored instead of their id)."""
        return self._pseudonym(aad_object_id, "feedback"), self._pseudonym(aad_object_id, "welcome:user")

    async def purge(self, retention: Retention, *, now: dt.datetime) -> Removed:
        """Delete what is older than its retention period. Tickets HR is still working on are kept."""
        counts: dict[str, int] = {}
        async with self._engine.begin() as connection:
            expired = sa.select(tickets.c.number).where(
                tickets.c.updated_at < now - retention.tickets, tickets.c.status.not_in(OPEN_STATUSES)
            )
            counts["tickets"] = await self._delete_tickets(connection, expired)
            done = sa.or_(ticket_outbox.c.delivered_at.is_not(None), ticket_outbox.c.failed_at.is_not(None))
            result = await connection.execute(
                sa.delete(ticket_outbox).where(done, ticket_outbox.c.created_at < now - retention.deliveries)
            )
            counts["ticket_outbox"] = result.rowcount or 0
            result = await connection.execute(
                sa.delete(delivered_activities).where(
                    delivered_activities.c.received_at < now - retention.delivery_claims
                )
            )
            counts["delivered_activities"] = result.rowcount or 0
            result = await connection.execute(
                sa.delete(feedback_votes).where(feedback_votes.c.voted_at < now - retention.feedback)
            )
            counts["feedback_votes"] = result.rowcount or 0
            result = await connection.execute(
                sa.delete(asked_questions).where(asked_questions.c.asked_at < now - retention.questions)
            )
            counts["asked_questions"] = result.rowcount or 0
            kept = await connection.scalar(
                sa.select(sa.func.count())
                .select_from(tickets)
                .where(tickets.c.updated_at < now - retention.tickets, tickets.c.status.in_(OPEN_STATUSES))
            )
        return Removed(counts, {"open tickets past retention": int(kept or 0)})

    async def export(self, aad_object_id: str) -> dict[str, Any]:
        """Everything stored about the person with `aad_object_id`, as JSON-ready data."""
        async with self._engine.connect() as connection:
            own = await connection.execute(sa.select(tickets).where(tickets.c.requester_aad_id == aad_object_id))
            own_tickets = _rows(own)
            numbers = [row["number"] for row in own_tickets]
            events = await connection.execute(
                sa.select(ticket_events).where(ticket_events.c.ticket_number.in_(numbers)).order_by(ticket_events.c.id)
            )
            notices = await connection.execute(
                sa.select(
                    ticket_outbox.c.ticket_number,
                    ticket_outbox.c.kind,
                    ticket_outbox.c.payload,
                    ticket_outbox.c.created_at,
                    ticket_outbox.c.delivered_at,
                ).where(ticket_outbox.c.ticket_number.in_(numbers))
            )
            acted = await connection.execute(
                sa.select(ticket_events).where(ticket_events.c.actor_aad_id == aad_object_id)
            )
            drafted = await connection.execute(
                sa.select(faq_drafts).where(faq_drafts.c.suggested_by_aad_id == aad_object_id)
            )
            registered = await connection.execute(
                sa.select(hr_channel).where(hr_channel.c.registered_by_aad_id == aad_object_id)
            )
            voter, welcomed = self._keys(aad_object_id)
            votes = await connection.execute(sa.select(feedback_votes).where(feedback_votes.c.voter == voter))
            welcome = await connection.execute(sa.select(welcomes).where(welcomes.c.key == welcomed))
            return {
                "subject": {"aad_object_id": aad_object_id},
                "feedback_votes": _rows(votes),
                "welcomed": _rows(welcome),
                "questions_asked": "not linkable: questions are recorded without identity",
                "tickets_asked": own_tickets,
                "ticket_history": _rows(events),
                "ticket_messages": _rows(notices),
                "hr_actions_taken": _rows(acted),
                "faq_drafts_suggested": _rows(drafted),
                "hr_channel_registered": _rows(registered),
            }

    async def erase(self, aad_object_id: str, *, keep_open_tickets: bool) -> Removed:
        """Erase the person's data. With `keep_open_tickets`, tickets HR is still working on stay
        (and are reported as kept); HR actions they took stay in ticket history without their identity."""
        counts: dict[str, int] = {}
        kept: dict[str, int] = {}
        async with self._engine.begin() as connection:
            mine = sa.select(tickets.c.number).where(tickets.c.requester_aad_id == aad_object_id)
            if keep_open_tickets:
                kept["open tickets (FAQBOT_ERASE_KEEPS_OPEN_TICKETS)"] = int(
                    await connection.scalar(
                        sa.select(sa.func.count()).select_from(
                            mine.where(tickets.c.status.in_(OPEN_STATUSES)).subquery()
                        )
                    )
                    or 0
                )
                mine = mine.where(tickets.c.status.not_in(OPEN_STATUSES))
            counts["tickets"] = await self._delete_tickets(connection, mine)
            result = await connection.execute(
                sa.update(ticket_events)
                .where(ticket_events.c.actor_aad_id == aad_object_id)
                .values(actor_aad_id=None, actor_name=ERASED)
            )
            counts["ticket_events (identity removed)"] = result.rowcount or 0
            result = await connection.execute(
                sa.update(faq_drafts)
                .where(faq_drafts.c.suggested_by_aad_id == aad_object_id)
                .values(suggested_by_aad_id=None, suggested_by_name=ERASED)
            )
            counts["faq_drafts (identity removed)"] = result.rowcount or 0
            result = await connection.execute(
                sa.update(hr_channel)
                .where(hr_channel.c.registered_by_aad_id == aad_object_id)
                .values(registered_by_aad_id=None)
            )
            counts["hr_channel (identity removed)"] = result.rowcount or 0
            voter, welcomed = self._keys(aad_object_id)
            result = await connection.execute(sa.delete(feedback_votes).where(feedback_votes.c.voter == voter))
            counts["feedback_votes"] = result.rowcount or 0
            result = await connection.execute(sa.delete(welcomes).where(welcomes.c.key == welcomed))
            counts["welcomes"] = result.rowcount or 0
        return Removed(counts, kept)

    @staticmethod
    async def _delete_tickets(connection: AsyncConnection, numbers: sa.Select[Any]) -> int:
        chosen = [row.number for row in await connection.execute(numbers)]
        if not chosen:
            return 0
        # Children first: SQLite enforces ON DELETE CASCADE only when foreign keys are switched on.
        for child, column in (
            (ticket_events, ticket_events.c.ticket_number),
            (ticket_outbox, ticket_outbox.c.ticket_number),
            (faq_drafts, faq_drafts.c.ticket_number),
        ):
            await connection.execute(sa.delete(child).where(column.in_(chosen)))
        result = await connection.execute(sa.delete(tickets).where(tickets.c.number.in_(chosen)))
        return result.rowcount or 0
