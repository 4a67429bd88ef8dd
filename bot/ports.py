"""What the dialogue needs from the outside world, as small Protocols it owns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from bot.questions import AskedQuestion
from bot.replies import Vote
from bot.tickets import Actor, FaqDraft, HrChannel, NewTicket, OutboxRequest, Ticket, TicketEvent
from knowledge import Entry, Match


class KnowledgeSource(Protocol):
    """Ranked matches for a question, and entries by id."""

    def rank(self, question: str, *, limit: int = 3) -> tuple[Match, ...]: ...

    def entry(self, entry_id: str) -> Entry | None: ...


class TicketStore(Protocol):
    """Tickets, their history, the helpdesk's channel and the outbox, stored durably.

    `create` and `record` write the ticket and the deliveries it needs in one transaction, so a
    confirmed ticket always has its HR post queued.
    """

    async def create(self, ticket: NewTicket, deliveries: Sequence[OutboxRequest]) -> tuple[Ticket, bool]:
        """Store `ticket` (True) or return the one already filed with its idempotency key (False)."""
        ...

    async def get(self, number: int) -> Ticket | None: ...

    async def filed_with(self, idempotency_key: str) -> Ticket | None:
        """The ticket filed with `idempotency_key`, if any."""
        ...

    async def queue(self, number: int, deliveries: Sequence[OutboxRequest], *, now: dt.datetime) -> None:
        """Queue `deliveries` for ticket `number` on their own (no ticket change)."""
        ...

    async def record(
        self,
        before: Ticket,
        after: Ticket,
        event: TicketEvent,
        actor: Actor,
        deliveries: Sequence[OutboxRequest],
        draft: FaqDraft | None = None,
    ) -> bool:
        """Save `after` only if the ticket is still at `before.version`; False if it moved on."""
        ...

    async def for_requester(self, user_id: str) -> tuple[Ticket, ...]: ...

    async def history(self, number: int) -> tuple[TicketEvent, ...]: ...

    async def hr_channel(self) -> HrChannel | None: ...

    async def register_channel(self, channel: HrChannel, *, by: str | None, now: dt.datetime) -> None: ...

    async def faq_drafts(self) -> tuple[FaqDraft, ...]: ...


class WelcomeBook(Protocol):
    """Remembers who has been welcomed, so install events that repeat welcome only once."""

    async def claim_welcome(self, kind: str, subject_id: str) -> bool:
        """True the first time (`kind`, `subject_id`) is claimed, False until the claim is released."""
        ...

    async def release_welcome(self, kind: str, subject_id: str) -> None:
        """Forget a claim whose welcome was never delivered, so the next install event welcomes."""
        ...


class FeedbackBox(Protocol):
    """Keeps one vote per person per answer; a new vote replaces the old one."""

    async def record_vote(self, voter_id: str, entry_id: str, vote: Vote, missing: str | None) -> None: ...


class QuestionLog(Protocol):
    """Where handled questions are recorded without identity (see bot.questions).

    Every method may fail (the store is down); callers log and carry on, a turn never depends on it.
    Updates for an unknown or purged id do nothing.
    """

    async def record(self, question: AskedQuestion) -> None: ...

    async def mark_resolved(self, question_id: str, entry_id: str) -> None:
        """The question ended at `entry_id` (a "did you mean" click, or the HR helpdesk answered with it)."""

    async def mark_feedback(self, question_id: str, *, helpful: bool) -> None:
        """The person said whether the answer helped (the latest feedback wins)."""

    async def mark_escalated(self, question_id: str) -> None:
        """The person asked the HR helpdesk after this reply."""
