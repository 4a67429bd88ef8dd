"""Helpdesk tickets: frozen models and the state machine deciding which HR action is allowed.

A ticket is one staff question escalated to the HR helpdesk. Identity fields of the requester are
personal data: they are stored (to relay the answer and for subject-access requests) but never
logged, and never shown to HR on anonymous tickets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from knowledge.errors import FaqbotError

REFERENCE_PREFIX = "HRD-"


class TicketStatus(str, Enum):
    OPEN = "open"
    ASSIGNED = "assigned"
    RESOLVED = "resolved"


class HrAction(str, Enum):
    """What the HR helpdesk can do on a ticket card."""

    ASSIGN_ME = "assign_me"
    ASSIGN_TO = "assign_to"
    REPLY = "reply"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    SUGGEST_FAQ = "suggest_faq"


def reference(number: int) -> str:
    """The reference staff and HR quote, e.g. HRD-000042."""
    return f"{REFERENCE_PREFIX}{number:06d}"


@dataclass(frozen=True)
class Requester:
    """Who asked. `name` is None on anonymous tickets; ids are kept to relay the answer."""

    user_id: str
    aad_object_id: str | None
    name: str | None
    anonymous: bool


@dataclass(frozen=True)
class Actor:
    """A helpdesk member acting on a card."""

    user_id: str
    aad_object_id: str | None
    name: str


@dataclass(frozen=True)
class BestGuess:
    """The corpus entry the bot thought closest when the ticket was filed, and its confidence."""

    entry_id: str
    question: str
    confidence: float


@dataclass(frozen=True)
class NewTicket:
    """A submission, before the store numbers it. `idempotency_key` makes re-submits harmless."""

    idempotency_key: str
    token: str
    requester: Requester
    question: str
    details: str
    best_guess: BestGuess | None
    requester_reference: Mapping[str, Any]
    created_at: dt.datetime


@dataclass(frozen=True)
class Ticket:
    """A stored ticket. `version` grows on every change, so a stale card can be recognised."""

    number: int
    token: str
    requester: Requester
    question: str
    details: str
    best_guess: BestGuess | None
    status: TicketStatus
    assignee: str | None
    hr_reply: str | None
    suggested_as_faq: bool
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    hr_post_failing: bool = False
    """The card has not reached the HR helpdesk and posting it keeps failing (it is still retried)."""

    @property
    def reference(self) -> str:
        return reference(self.number)


@dataclass(frozen=True)
class TicketEvent:
    """One line of a ticket's history: who did what, when."""

    at: dt.datetime
    kind: str
    actor: str | None
    note: str | None = None


class Refused(FaqbotError):
    """The action does not apply to the ticket in its current state (nothing changes)."""

    exit_code = 1
    summary = "the ticket action does not apply"


def apply(ticket: Ticket, action: HrAction, actor: Actor, *, text: str, now: dt.datetime) -> tuple[Ticket, TicketEvent]:
    """The ticket after `action` by `actor`, and the history line; raises Refused if not allowed."""
    status = ticket.status
    changed: Ticket
    match action:
        case HrAction.ASSIGN_ME | HrAction.ASSIGN_TO:
            assignee = actor.name if action is HrAction.ASSIGN_ME else text.strip()
            if status is TicketStatus.RESOLVED or not assignee:
                raise Refused
            changed = replace(ticket, status=TicketStatus.ASSIGNED, assignee=assignee)
            event = TicketEvent(now, "assigned", actor.name, assignee)
        case HrAction.REPLY:
            if status is TicketStatus.RESOLVED or not text.strip():
                raise Refused
            changed = replace(
                ticket,
                hr_reply=text.strip(),
                status=TicketStatus.ASSIGNED,
                assignee=ticket.assignee or actor.name,
            )
            event = TicketEvent(now, "replied", actor.name)
        case HrAction.RESOLVE:
            if status is TicketStatus.RESOLVED:
                raise Refused
            changed = replace(ticket, status=TicketStatus.RESOLVED)
            event = TicketEvent(now, "resolved", actor.name)
        case HrAction.REOPEN:
            if status is not TicketStatus.RESOLVED:
                raise Refused
            changed = replace(ticket, status=TicketStatus.ASSIGNED if ticket.assignee else TicketStatus.OPEN)
            event = TicketEvent(now, "reopened", actor.name)
        case HrAction.SUGGEST_FAQ:
            if status is not TicketStatus.RESOLVED or not ticket.hr_reply or ticket.suggested_as_faq:
                raise Refused
            changed = replace(ticket, suggested_as_faq=True)
            event = TicketEvent(now, "suggested_as_faq", actor.name)
    return replace(changed, version=ticket.version + 1, updated_at=now), event


@dataclass(frozen=True)
class HrChannel:
    """Where the HR helpdesk works: a channel of a team where the bot is installed."""

    channel_id: str
    team_id: str | None
    service_url: str | None


@dataclass(frozen=True)
class FaqDraft:
    """A question and HR's answer filed for curators to review; never published without review."""

    ticket_number: int
    question: str
    answer: str
    suggested_by: str
    created_at: dt.datetime


class OutboxKind(str, Enum):
    """Messages the bot must deliver outside a turn, at least once."""

    POST_TICKET = "post_ticket"
    UPDATE_CARD = "update_card"
    NOTIFY_STAFF = "notify_staff"


@dataclass(frozen=True)
class OutboxMessage:
    """A queued delivery; `payload` is plain JSON (the notice text for staff)."""

    id: int
    kind: OutboxKind
    ticket_number: int
    payload: Mapping[str, Any]
    attempts: int


@dataclass(frozen=True)
class OutboxRequest:
    """A message to queue in the outbox with a ticket change."""

    kind: OutboxKind
    payload: Mapping[str, Any]
