"""The ticket store's contract, run against real SQLite and real PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest_asyncio

from adapters.store import create_engine, migrate
from adapters.store.tickets import SqlTicketStore
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
REFERENCE = {"serviceUrl": "https://smba.example/", "conversation": {"id": "a:staff"}, "bot": {"id": "28:bot"}}


def submission(key: str = "k" * 64, *, user: str = "29:staff", anonymous: bool = False) -> NewTicket:
    return NewTicket(
        idempotency_key=key,
        token="secret-token",
        requester=Requester(user, "aad-staff", None if anonymous else "Ada Staff", anonymous),
        question="Can I swap shifts?",
        details="Nights",
        best_guess=BestGuess("swap-shifts", "How do I swap a shift?", 0.42),
        requester_reference=REFERENCE,
        created_at=NOW,
    )


@pytest_asyncio.fixture
async def store(store_url: str) -> AsyncIterator[SqlTicketStore]:
    engine = create_engine(store_url)
    await migrate(engine)
    try:
        yield SqlTicketStore(engine)
    finally:
        await engine.dispose()


async def test_a_submission_is_stored_once_with_its_post_queued(store: SqlTicketStore) -> None:
    results = await asyncio.gather(
        *(store.create(submission(), [OutboxRequest(OutboxKind.POST_TICKET, {})]) for _ in range(4))
    )
    assert sorted(created for _, created in results) == [False, False, False, True]
    assert {ticket.number for ticket, _ in results} == {1}
    ticket = results[0][0]
    assert ticket.reference == "HRD-000001" and ticket.status is TicketStatus.OPEN and ticket.version == 1
    assert ticket.best_guess == BestGuess("swap-shifts", "How do I swap a shift?", 0.42)
    assert ticket.created_at == NOW
    assert await store.requester_reference(1) == REFERENCE
    assert await store.undelivered() == 1
    second, created = await store.create(submission("x" * 64, user="29:other"), [])
    assert created and second.number > 1  # PostgreSQL sequences may skip numbers refused by a duplicate
    assert [t.number for t in await store.for_requester("29:staff")] == [1]


async def test_record_applies_only_to_the_version_it_read(store: SqlTicketStore) -> None:
    ticket, _ = await store.create(submission(), [])
    assigned, event = apply(ticket, HrAction.ASSIGN_ME, AGENT, text="", now=NOW)
    assert await store.record(ticket, assigned, event, AGENT, [OutboxRequest(OutboxKind.UPDATE_CARD, {})])
    stale, stale_event = apply(ticket, HrAction.RESOLVE, AGENT, text="", now=NOW)
    assert not await store.record(ticket, stale, stale_event, AGENT, [OutboxRequest(OutboxKind.UPDATE_CARD, {})])
    stored = await store.get(1)
    assert stored is not None and stored.status is TicketStatus.ASSIGNED and stored.assignee == "Bea Agent"
    assert [e.kind for e in await store.history(1)] == ["created", "assigned"]
    assert await store.undelivered() == 1  # the refused change queued nothing


async def test_faq_drafts_are_listed_for_review(store: SqlTicketStore) -> None:
    ticket, _ = await store.create(submission(), [])
    replied, event = apply(ticket, HrAction.REPLY, AGENT, text="Yes, with your manager's agreement.", now=NOW)
    await store.record(ticket, replied, event, AGENT, [])
    resolved, event = apply(replied, HrAction.RESOLVE, AGENT, text="", now=NOW)
    await store.record(replied, resolved, event, AGENT, [])
    suggested, event = apply(resolved, HrAction.SUGGEST_FAQ, AGENT, text="", now=NOW)
    draft = FaqDraft(1, ticket.question, "Yes, with your manager's agreement.", AGENT.name, NOW)
    assert await store.record(resolved, suggested, event, AGENT, [], draft)
    assert await store.faq_drafts() == (draft,)


async def test_registering_a_channel_replaces_the_previous_one(store: SqlTicketStore) -> None:
    assert await store.hr_channel() is None
    await store.register_channel(HrChannel("19:a@thread.tacv2", "19:t", "https://smba/"), by="aad-1", now=NOW)
    await store.register_channel(HrChannel("19:b@thread.tacv2", "19:t", "https://smba/"), by="aad-1", now=NOW)
    assert await store.hr_channel() == HrChannel("19:b@thread.tacv2", "19:t", "https://smba/")


async def test_outbox_leases_retries_and_delivers(store: SqlTicketStore) -> None:
    await store.create(
        submission(),
        [OutboxRequest(OutboxKind.POST_TICKET, {}), OutboxRequest(OutboxKind.NOTIFY_STAFF, {"notice": "assigned"})],
    )
    lease = dt.timedelta(seconds=60)
    first = await store.claim_due(now=NOW, lease=lease)
    assert [(m.kind, m.attempts) for m in first] == [(OutboxKind.POST_TICKET, 1), (OutboxKind.NOTIFY_STAFF, 1)]
    assert first[1].payload == {"notice": "assigned"}
    assert await store.claim_due(now=NOW + dt.timedelta(seconds=30), lease=lease) == []  # leased elsewhere
    # A worker that died mid-send: its lease runs out and the message is sent again.
    again = await store.claim_due(now=NOW + dt.timedelta(seconds=61), lease=lease)
    assert [m.attempts for m in again] == [2, 2]
    post, notify = again
    await store.retry_at(post.id, NOW + dt.timedelta(seconds=300), error="http:429")
    await store.delivered(notify.id, now=NOW)
    assert await store.claim_due(now=NOW + dt.timedelta(seconds=299), lease=lease) == []
    (retried,) = await store.claim_due(now=NOW + dt.timedelta(seconds=300), lease=lease)
    assert retried.id == post.id
    await store.give_up(retried.id, now=NOW, error="http:403")
    assert await store.undelivered() == 0


async def test_hr_post_is_remembered(store: SqlTicketStore) -> None:
    await store.create(submission(), [])
    assert await store.hr_post(1) == (None, None)
    thread = {"conversation": {"id": "19:hr@thread.tacv2;messageid=7"}, "serviceUrl": "https://smba/"}
    await store.set_hr_post(1, thread, "7")
    assert await store.hr_post(1) == (thread, "7")


async def test_anonymous_tickets_store_no_name(store: SqlTicketStore) -> None:
    ticket, _ = await store.create(submission(anonymous=True), [])
    assert ticket.requester.name is None and ticket.requester.anonymous
    assert replace(ticket.requester, name=None) == ticket.requester


async def test_the_hr_channel_is_remembered_for_its_expiry_and_replaced_at_once_by_a_registration(
    store_url: str,
) -> None:
    engine = create_engine(store_url)
    await migrate(engine)
    now = [0.0]
    try:
        this = SqlTicketStore(engine, channel_cache_seconds=10, clock=lambda: now[0])
        other = SqlTicketStore(engine)  # another instance on the same database
        first = HrChannel("19:a@thread.tacv2", "19:t", "https://smba/")
        second = HrChannel("19:b@thread.tacv2", "19:t", "https://smba/")
        assert await this.hr_channel() is None
        await other.register_channel(first, by="aad-1", now=NOW)
        now[0] = 9.9
        assert await this.hr_channel() is None  # still the remembered answer
        now[0] = 10.0
        assert await this.hr_channel() == first  # expired: read again
        await this.register_channel(second, by="aad-1", now=NOW)
        assert await this.hr_channel() == second  # its own registration at once
        await other.register_channel(first, by="aad-1", now=NOW)
        assert await this.hr_channel() == second
        now[0] = 20.0
        assert await this.hr_channel() == first
    finally:
        await engine.dispose()
