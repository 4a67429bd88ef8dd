"""The store ports kept in memory: for one terminal chat and for fast tests. No I/O.

Each class keeps the contract of its port in `bot.ports` the way the SQL stores in
adapters/store/ do (idempotent ticket creation, optimistic versions, one vote per person and
answer, a welcome claimed once), so behaviour shown with them holds with the real ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.questions import AskedQuestion, RecordedQuestion
from bot.replies import Vote
from bot.tickets import (
    Actor,
    FaqDraft,
    HrChannel,
    NewTicket,
    OutboxRequest,
    Ticket,
    TicketEvent,
    TicketStatus,
)


@dataclass(frozen=True)
class Queued:
    """A delivery queued with a ticket change (the outbox row, without delivery state)."""

    ticket_number: int
    delivery: OutboxRequest


class InMemoryTicketStore:
    """`TicketStore` in memory. `queued` lists every delivery queued, in order."""

    def __init__(self) -> None:
        self._tickets: dict[int, Ticket] = {}
        self._keys: dict[str, int] = {}
        self._history: dict[int, list[TicketEvent]] = {}
        self._drafts: list[FaqDraft] = []
        self._channel: HrChannel | None = None
        self.queued: list[Queued] = []

    async def create(self, ticket: NewTicket, deliveries: Sequence[OutboxRequest]) -> tuple[Ticket, bool]:
        existing = self._keys.get(ticket.idempotency_key)
        if existing is not None:
            return self._tickets[existing], False
        number = len(self._tickets) + 1
        stored = Ticket(
            number=number,
            token=ticket.token,
            requester=ticket.requester,
            question=ticket.question,
            details=ticket.details,
            best_guess=ticket.best_guess,
            status=TicketStatus.OPEN,
            assignee=None,
            hr_reply=None,
            suggested_as_faq=False,
            version=1,
            created_at=ticket.created_at,
            updated_at=ticket.created_at,
        )
        self._tickets[number] = stored
        self._keys[ticket.idempotency_key] = number
        self._history[number] = [TicketEvent(ticket.created_at, "created", None)]
        self.queued.extend(Queued(number, delivery) for delivery in deliveries)
        return stored, True

    async def get(self, number: int) -> Ticket | None:
        return self._tickets.get(number)

    async def filed_with(self, idempotency_key: str) -> Ticket | None:
        number = self._keys.get(idempotency_key)
        return None if number is None else self._tickets[number]

    async def queue(self, number: int, deliveries: Sequence[OutboxRequest], *, now: dt.datetime) -> None:
        self.queued.extend(Queued(number, delivery) for delivery in deliveries)

    async def record(
        self,
        before: Ticket,
        after: Ticket,
        event: TicketEvent,
        actor: Actor,
        deliveries: Sequence[OutboxRequest],
        draft: FaqDraft | None = None,
    ) -> bool:
        current = self._tickets.get(before.number)
        if current is None or current.version != before.version:
            return False
        # The SQL store keeps the requester and question as filed; only the workflow fields change.
        self._tickets[before.number] = replace(
            current,
            status=after.status,
            assignee=after.assignee,
            hr_reply=after.hr_reply,
            suggested_as_faq=after.suggested_as_faq,
            version=after.version,
            updated_at=after.updated_at,
        )
        self._history[before.number].append(event)
        if draft is not None:
            self._drafts.append(draft)
        self.queued.extend(Queued(before.number, delivery) for delivery in deliveries)
        return True

    async def for_requester(self, user_id: str) -> tuple[Ticket, ...]:
        mine = [t for t in self._tickets.values() if t.requester.user_id == user_id]
        return tuple(sorted(mine, key=lambda t: t.number, reverse=True))

    async def history(self, number: int) -> tuple[TicketEvent, ...]:
        return tuple(self._history.get(number, ()))

    async def hr_channel(self) -> HrChannel | None:
        return self._channel

    async def register_channel(self, channel: HrChannel, *, by: str | None, now: dt.datetime) -> None:
        self._channel = channel

    async def faq_drafts(self) -> tuple[FaqDraft, ...]:
        return tuple(self._drafts)


class InMemoryWelcomeBook:
    """`WelcomeBook` in memory."""

    def __init__(self) -> None:
        self._claimed: set[tuple[str, str]] = set()

    async def claim_welcome(self, kind: str, subject_id: str) -> bool:
        if (kind, subject_id) in self._claimed:
            return False
        self._claimed.add((kind, subject_id))
        return True

    async def release_welcome(self, kind: str, subject_id: str) -> None:
        self._claimed.discard((kind, subject_id))


class InMemoryFeedbackBox:
    """`FeedbackBox` in memory. `votes` maps (voter, entry) to the latest vote and what was missing."""

    def __init__(self) -> None:
        self.votes: dict[tuple[str, str], tuple[Vote, str | None]] = {}

    async def record_vote(self, voter_id: str, entry_id: str, vote: Vote, missing: str | None) -> None:
        self.votes[(voter_id, entry_id)] = (vote, missing)


class InMemoryQuestionLog:
    """`QuestionLog` in memory. `questions` holds each record with what happened after the reply,
    in the order asked."""

    def __init__(self) -> None:
        self._questions: dict[str, RecordedQuestion] = {}

    @property
    def questions(self) -> tuple[RecordedQuestion, ...]:
        return tuple(self._questions.values())

    async def record(self, question: AskedQuestion) -> None:
        self._questions.setdefault(question.id, RecordedQuestion(question))

    async def mark_resolved(self, question_id: str, entry_id: str) -> None:
        if question_id in self._questions:  # an unknown or purged id changes nothing
            self._questions[question_id] = replace(self._questions[question_id], resolved_entry_id=entry_id)

    async def mark_feedback(self, question_id: str, *, helpful: bool) -> None:
        if question_id in self._questions:
            self._questions[question_id] = replace(self._questions[question_id], helpful=helpful)

    async def mark_escalated(self, question_id: str) -> None:
        if question_id in self._questions:
            self._questions[question_id] = replace(self._questions[question_id], escalated=True)
