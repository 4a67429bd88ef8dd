from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.store import AlternateDecisions, QuestionStore, create_engine, migrate
from bot.questions import AskedQuestion, Outcome, RecordedQuestion

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


@pytest_asyncio.fixture
async def engine(store_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(store_url)
    await migrate(engine)
    yield engine
    await engine.dispose()


def asked(
    qid: str, at: dt.datetime, outcome: Outcome = Outcome.ANSWERED, entry: str | None = "sar-how-far-back"
) -> AskedQuestion:
    return AskedQuestion(qid.ljust(32, "0"), at, f"question {qid}", outcome, entry, 0.9 if entry else None)


async def test_questions_and_later_events_are_read_back(engine: AsyncEngine) -> None:
    store = QuestionStore(engine)
    answered = asked("a", NOW)
    clarified = asked("b", NOW + dt.timedelta(minutes=1), Outcome.DID_YOU_MEAN)
    escalated = asked("c", NOW + dt.timedelta(minutes=2), Outcome.ESCALATED, None)
    for question in (escalated, answered, clarified):
        await store.record(question)
    await store.mark_feedback(answered.id, helpful=False)
    await store.mark_escalated(answered.id)
    await store.mark_resolved(clarified.id, "sar-individuals-informed")
    await store.mark_feedback(clarified.id, helpful=True)
    await store.mark_feedback("f" * 32, helpful=True)  # unknown (or purged) id: nothing happens
    assert await store.history() == (
        RecordedQuestion(answered, helpful=False, escalated=True),
        RecordedQuestion(clarified, resolved_entry_id="sar-individuals-informed", helpful=True),
        RecordedQuestion(escalated),
    )


async def test_history_since_and_retention(engine: AsyncEngine) -> None:
    store = QuestionStore(engine)
    old, new = asked("old", NOW - dt.timedelta(days=400)), asked("new", NOW)
    await store.record(old)
    await store.record(new)
    assert [r.asked.id for r in await store.history(since=NOW - dt.timedelta(days=1))] == [new.id]
    assert await store.forget_before(NOW - dt.timedelta(days=365)) == 1
    assert [r.asked.id for r in await store.history()] == [new.id]


async def test_alternate_decisions_are_remembered_and_replaced(engine: AsyncEngine) -> None:
    decisions = AlternateDecisions(engine)
    assert await decisions.decided() == frozenset()
    await decisions.decide("how far back can i ask", "sar-how-far-back", "dismissed", now=NOW)
    await decisions.decide("how far back can i ask", "sar-how-far-back", "accepted", now=NOW)
    assert await decisions.decided() == {("how far back can i ask", "sar-how-far-back")}
