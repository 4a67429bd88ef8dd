"""Welcomes and votes on real SQLite and PostgreSQL, under pseudonymous keys only."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa

from adapters.store import FeedbackStore, WelcomeStore, create_engine, migrate
from adapters.store.pseudonym import Pseudonymizer
from adapters.store.tables import feedback_votes, welcomes
from bot.replies import Vote

AAD_ID = "4a7c1f0e-aad-object-id"


async def all_rows(engine, table) -> list[tuple]:
    async with engine.connect() as connection:
        return [tuple(row) for row in await connection.execute(sa.select(table))]


async def test_welcome_is_claimed_once_even_when_install_events_race(store_url: str) -> None:
    engine = create_engine(store_url)
    try:
        await migrate(engine)
        book = WelcomeStore(engine, Pseudonymizer("salt"))
        results = await asyncio.gather(*(book.claim_welcome("user", AAD_ID) for _ in range(5)))
        assert sorted(results) == [False] * 4 + [True]
        assert await book.claim_welcome("team", AAD_ID)  # kinds are separate
        await book.release_welcome("team", AAD_ID)  # the welcome could not be delivered
        assert await book.claim_welcome("team", AAD_ID)
        assert not await book.claim_welcome("user", AAD_ID)  # releasing one kind left the other claimed
        assert AAD_ID not in repr(await all_rows(engine, welcomes))
    finally:
        await engine.dispose()


async def test_a_changed_mind_replaces_the_vote_and_no_identity_is_stored(store_url: str) -> None:
    engine = create_engine(store_url)
    try:
        await migrate(engine)
        box = FeedbackStore(engine, Pseudonymizer("salt"))
        await box.record_vote(AAD_ID, "sar-how-far-back", Vote.UP, None)
        await box.record_vote(AAD_ID, "sar-how-far-back", Vote.DOWN, "deleted chats")
        await box.record_vote("someone-else", "sar-how-far-back", Vote.UP, None)
        await box.record_vote(AAD_ID, "whatsapp-formal-process", Vote.UP, None)
        assert await box.tally() == {
            "sar-how-far-back": {"up": 1, "down": 1},
            "whatsapp-formal-process": {"up": 1, "down": 0},
        }
        rows = await all_rows(engine, feedback_votes)
        assert len(rows) == 3
        assert AAD_ID not in repr(rows) and "someone-else" not in repr(rows)
    finally:
        await engine.dispose()


def test_pseudonyms_are_stable_salted_and_opaque() -> None:
    one, other = Pseudonymizer("salt-a"), Pseudonymizer("salt-b")
    assert one.key(AAD_ID) == one.key(AAD_ID)
    assert one.key(AAD_ID) != other.key(AAD_ID)
    assert one.key(AAD_ID) != one.key(AAD_ID, namespace="welcome:user")
    assert len(one.key(AAD_ID)) == 64 and AAD_ID not in one.key(AAD_ID)
