"""Retention purge, subject-access export and erasure, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator

import pytest_asyncio
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.store import create_engine, migrate
from adapters.store.personal_data import PersonalData, Retention
from adapters.store.pseudonym import Pseudonymizer
from adapters.store.tables import (
    delivered_activities,
    feedback_votes,
    metadata,
    ticket_events,
    ticket_outbox,
    tickets,
    welcomes,
)
from tests.support import ADA, BEN, HR, RETENTION_NOW, add_ticket

NOW = RETENTION_NOW
PSEUDONYMS = Pseudonymizer("test-salt")


def KEYS(person: str, namespace: str) -> str:  # noqa: N802 - a function standing in for a constant
    return PSEUDONYMS.key(person, namespace=namespace)


@pytest_asyncio.fixture
async def engine(store_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(store_url)
    await migrate(engine)
    yield engine
    await engine.dispose()


async def count(engine: AsyncEngine, table: sa.Table) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(sa.select(sa.func.count()).select_from(table)) or 0)


async def test_export_holds_all_of_one_person_and_nothing_of_others(engine: AsyncEngine) -> None:
    await add_ticket(engine, 1, ADA, status="resolved", age_days=3, question="my sick pay question")
    await add_ticket(engine, 2, BEN, status="open", age_days=1, question="ben's private matter")
    exported = await PersonalData(engine, KEYS).export(ADA)
    text = json.dumps(exported)
    assert [t["question"] for t in exported["tickets_asked"]] == ["my sick pay question"]
    assert "answer to my sick pay question" in text
    assert len(exported["ticket_history"]) == 1
    assert "ben" not in text.lower()


async def test_export_of_an_hr_agent_lists_their_actions(engine: AsyncEngine) -> None:
    await add_ticket(engine, 1, ADA, status="assigned", age_days=3, question="q")
    exported = await PersonalData(engine, KEYS).export(HR)
    assert exported["tickets_asked"] == []
    assert [e["kind"] for e in exported["hr_actions_taken"]] == ["assigned"]


async def test_erase_removes_the_person_and_keeps_open_tickets_when_configured(engine: AsyncEngine) -> None:
    await add_ticket(engine, 1, ADA, status="resolved", age_days=3, question="old question")
    await add_ticket(engine, 2, ADA, status="open", age_days=1, question="open question")
    await add_ticket(engine, 3, BEN, status="resolved", age_days=1, question="ben's question")
    data = PersonalData(engine, KEYS)
    removed = await data.erase(ADA, keep_open_tickets=True)
    assert removed.counts["tickets"] == 1
    assert removed.kept == {"open tickets (FAQBOT_ERASE_KEEPS_OPEN_TICKETS)": 1}
    assert [t["question"] for t in (await data.export(ADA))["tickets_asked"]] == ["open question"]
    await data.erase(ADA, keep_open_tickets=False)
    assert (await data.export(ADA))["tickets_asked"] == []
    assert (await data.export(ADA))["ticket_messages"] == []
    assert [t["question"] for t in (await data.export(BEN))["tickets_asked"]] == ["ben's question"]


async def test_erasing_an_hr_agent_keeps_history_without_their_identity(engine: AsyncEngine) -> None:
    await add_ticket(engine, 1, ADA, status="assigned", age_days=3, question="q")
    await PersonalData(engine, KEYS).erase(HR, keep_open_tickets=True)
    async with engine.connect() as connection:
        (event,) = (await connection.execute(sa.select(ticket_events))).all()
    assert (event.actor_aad_id, event.actor_name) == (None, "(erased)")
    assert (await PersonalData(engine, KEYS).export(HR))["hr_actions_taken"] == []


async def test_purge_enforces_retention_but_keeps_work_in_progress(engine: AsyncEngine) -> None:
    await add_ticket(engine, 1, ADA, status="resolved", age_days=400, question="expired")
    await add_ticket(engine, 2, ADA, status="open", age_days=400, question="still being handled")
    await add_ticket(engine, 3, BEN, status="resolved", age_days=10, question="recent")
    async with engine.begin() as connection:
        await connection.execute(
            sa.insert(delivered_activities).values(key="old", received_at=NOW - dt.timedelta(days=2))
        )
        await connection.execute(sa.insert(delivered_activities).values(key="new", received_at=NOW))
    removed = await PersonalData(engine, KEYS).purge(Retention(), now=NOW)
    assert removed.counts["tickets"] == 1
    assert removed.kept == {"open tickets past retention": 1}
    assert removed.counts["delivered_activities"] == 1
    assert await count(engine, tickets) == 2
    assert await count(engine, ticket_events) == 2
    assert removed.counts["ticket_outbox"] == 1  # the surviving tickets' delivered messages are 10 and 400 days old
    assert await count(engine, ticket_outbox) == 1


PERSONAL_COLUMNS = ("aad_id", "user_id", "name", "reference", "question", "details", "reply", "answer", "payload")


def test_every_table_with_personal_data_is_covered() -> None:
    covered = {
        "tickets",
        "ticket_events",
        "ticket_outbox",
        "faq_drafts",
        "hr_channel",
        "delivered_activities",
        "feedback_votes",
        "welcomes",
        "asked_questions",
        "alternate_decisions",
    }
    for table in metadata.sorted_tables:
        if any(marker in column.name for column in table.columns for marker in PERSONAL_COLUMNS):
            assert table.name in covered, f"{table.name} holds personal data: cover it in personal_data.py"


async def test_feedback_and_welcome_are_found_and_erased_by_the_hashed_id(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(
            sa.insert(feedback_votes).values(
                voter=KEYS(ADA, "feedback"),
                entry_id="liking-posts",
                vote="down",
                missing="it skipped my case",
                voted_at=NOW,
            )
        )
        await connection.execute(
            sa.insert(feedback_votes).values(
                voter=KEYS(BEN, "feedback"), entry_id="liking-posts", vote="up", missing=None, voted_at=NOW
            )
        )
        await connection.execute(
            sa.insert(welcomes).values(key=KEYS(ADA, "welcome:user"), kind="user", welcomed_at=NOW)
        )
    data = PersonalData(engine, KEYS)
    exported = await data.export(ADA)
    assert [v["missing"] for v in exported["feedback_votes"]] == ["it skipped my case"]
    assert len(exported["welcomed"]) == 1
    removed = await data.erase(ADA, keep_open_tickets=True)
    assert (removed.counts["feedback_votes"], removed.counts["welcomes"]) == (1, 1)
    assert await count(engine, feedback_votes) == 1


async def test_purge_drops_old_feedback_and_questions(engine: AsyncEngine) -> None:
    old = NOW - dt.timedelta(days=400)
    async with engine.begin() as connection:
        await connection.execute(
            sa.insert(feedback_votes).values(voter="v1", entry_id="liking-posts", vote="up", missing=None, voted_at=old)
        )
        await connection.execute(
            sa.insert(feedback_votes).values(voter="v2", entry_id="liking-posts", vote="up", missing=None, voted_at=NOW)
        )
    removed = await PersonalData(engine, KEYS).purge(Retention(), now=NOW)
    assert removed.counts["feedback_votes"] == 1
    assert await count(engine, feedback_votes) == 1
