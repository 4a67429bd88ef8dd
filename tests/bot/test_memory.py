"""The in-memory stores keep the contracts of their ports (the same ones tests/adapters/store holds
the SQL stores to), so tests that use them show what the real stores do."""

from __future__ import annotations

import datetime as dt

from bot.memory import InMemoryFeedbackBox, InMemoryQuestionLog, InMemoryTicketStore, InMemoryWelcomeBook
from bot.questions import AskedQuestion, Outcome
from bot.replies import Vote
from bot.tickets import (
    Actor,
    BestGuess,
    FaqDraft,
    HrAction,
    HrChannel,
    NewTicket,
    OutboxKind,
    OutboxRequest,
    Requester,
    TicketStatus,
    apply,
)

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
AGENT = Actor("29:hr", "aad-hr", "Bea Agent")


def submission(key: str = "k" * 64, *, user: str = "29:staff") -> NewTicket:
    return NewTicket(
        idempotency_key=key,
        token="secret-token",
        requester=Requester(user, "aad-staff", "Ada Staff", False),
        question="Can I swap shifts?",
        details="Nights",
        best_guess=BestGuess("swap-shifts", "How do I swap a shift?", 0.42),
        requester_reference={"conversation": {"id": "a:staff"}},
        created_at=NOW,
    )


async def test_a_submission_is_stored_once_with_its_delivery_queued_once() -> None:
    store = InMemoryTicketStore()
    first, created = await store.create(submission(), [OutboxRequest(OutboxKind.POST_TICKET, {})])
    again, created_again = await store.create(submission(), [OutboxRequest(OutboxKind.POST_TICKET, {})])
    assert created and not created_again and again == first
    assert first.reference == "HRD-000001" and first.status is TicketStatus.OPEN and first.version == 1
    assert len(store.queued) == 1
    second, _ = await store.create(submission("x" * 64, user="29:other"), [])
    await store.create(submission("y" * 64), [])
    assert [t.number for t in await store.for_requester("29:staff")] == [3, 1]  # newest first
    assert second.number == 2 and await store.get(9) is None


async def test_record_applies_only_to_the_version_it_read() -> None:
    store = InMemoryTicketStore()
    ticket, _ = await store.create(submission(), [])
    assigned, event = apply(ticket, HrAction.ASSIGN_ME, AGENT, text="", now=NOW)
    assert await store.record(ticket, assigned, event, AGENT, [OutboxRequest(OutboxKind.UPDATE_CARD, {})])
    stale, stale_event = apply(ticket, HrAction.RESOLVE, AGENT, text="", now=NOW)
    assert not await store.record(ticket, stale, stale_event, AGENT, [OutboxRequest(OutboxKind.UPDATE_CARD, {})])
    stored = await store.get(1)
    assert stored is not None and stored.status is TicketStatus.ASSIGNED and stored.assignee == "Bea Agent"
    assert [e.kind for e in await store.history(1)] == ["created", "assigned"]
    assert [q.delivery.kind for q in store.queued] == [OutboxKind.UPDATE_CARD]


async def test_drafts_and_the_registered_channel() -> None:
    store = InMemoryTicketStore()
    assert await store.hr_channel() is None and await store.faq_drafts() == ()
    await store.register_channel(HrChannel("19:a", "t", None), by="aad-reg", now=NOW)
    await store.register_channel(HrChannel("19:b", "t", None), by="aad-reg", now=NOW)
    assert await store.hr_channel() == HrChannel("19:b", "t", None)
    ticket, _ = await store.create(submission(), [])
    replied, event = apply(ticket, HrAction.REPLY, AGENT, text="Yes.", now=NOW)
    draft = FaqDraft(1, ticket.question, "Yes.", AGENT.name, NOW)
    assert await store.record(ticket, replied, event, AGENT, [], draft)
    assert await store.faq_drafts() == (draft,)


async def test_a_welcome_is_claimed_once_until_released() -> None:
    book = InMemoryWelcomeBook()
    assert await book.claim_welcome("user", "aad-1")
    assert not await book.claim_welcome("user", "aad-1")
    assert await book.claim_welcome("team", "aad-1")
    await book.release_welcome("user", "aad-1")
    assert await book.claim_welcome("user", "aad-1")


async def test_a_changed_mind_replaces_the_vote() -> None:
    box = InMemoryFeedbackBox()
    await box.record_vote("aad-1", "leave", Vote.UP, None)
    await box.record_vote("aad-1", "leave", Vote.DOWN, "dates")
    assert box.votes == {("aad-1", "leave"): (Vote.DOWN, "dates")}


async def test_question_events_update_the_record_and_ignore_unknown_ids() -> None:
    log = InMemoryQuestionLog()
    await log.record(AskedQuestion("q1", NOW, "can i swap shifts", Outcome.DID_YOU_MEAN, "swap-shifts", 0.5))
    await log.mark_resolved("q1", "swap-shifts")
    await log.mark_feedback("q1", helpful=False)
    await log.mark_escalated("q1")
    await log.mark_escalated("purged")
    (recorded,) = log.questions
    assert (recorded.resolved_entry_id, recorded.helpful, recorded.escalated) == ("swap-shifts", False, True)
