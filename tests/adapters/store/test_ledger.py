from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.store import Instances, RedeliveryLedger, create_engine, migrate, redelivery_key

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


@pytest_asyncio.fixture
async def engine(store_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(store_url)
    await migrate(engine)
    yield engine
    await engine.dispose()


async def test_a_finished_delivery_is_never_run_again(engine: AsyncEngine) -> None:
    ledger = RedeliveryLedger(engine)
    key = redelivery_key("msteams", "a:conv", "1700000000001")
    assert await ledger.claim(key, now=NOW)
    await ledger.finish(key)
    assert not await ledger.claim(key, now=NOW + dt.timedelta(minutes=30))
    assert not await RedeliveryLedger(engine).claim(key, now=NOW)  # nor by another process
    assert await ledger.claim(redelivery_key("msteams", "a:conv", "1700000000002"), now=NOW)


async def test_a_delivery_whose_turn_is_running_is_not_run_twice(engine: AsyncEngine) -> None:
    ledger = RedeliveryLedger(engine)
    key = redelivery_key("msteams", "a:conv", "running")
    assert sorted(await asyncio.gather(*(ledger.claim(key, now=NOW) for _ in range(5)))) == [False] * 4 + [True]


async def test_concurrent_claims_across_engines_let_exactly_one_through(store_url: str) -> None:
    first, second = create_engine(store_url), create_engine(store_url)
    try:
        await asyncio.gather(migrate(first), migrate(second))
        key = redelivery_key("msteams", "a:conv", "race")
        results = await asyncio.gather(
            *(RedeliveryLedger(engine).claim(key, now=NOW) for engine in (first, second) * 5)
        )
        assert sorted(results) == [False] * 9 + [True]
    finally:
        await first.dispose()
        await second.dispose()


async def test_an_abandoned_turn_runs_again_on_its_next_delivery(engine: AsyncEngine) -> None:
    ledger = RedeliveryLedger(engine)
    key = redelivery_key("msteams", "a:conv", "store-failed")
    assert await ledger.claim(key, now=NOW)
    ledger.abandon(key)
    assert await ledger.claim(key, now=NOW)
    await ledger.finish(key)
    assert not await ledger.claim(key, now=NOW)


async def test_a_claim_of_a_process_that_died_is_taken_over_once(engine: AsyncEngine) -> None:
    dead, alive, survivor, other = Instances(engine), Instances(engine), Instances(engine), Instances(engine)
    for instances in (dead, alive, survivor, other):
        await instances.hold()
    try:
        orphan, running = redelivery_key("msteams", "a:conv", "orphan"), redelivery_key("msteams", "a:conv", "running")
        assert await RedeliveryLedger(engine, dead).claim(orphan, now=NOW)
        assert await RedeliveryLedger(engine, alive).claim(running, now=NOW)
        await dead.release()  # what the kernel or the database server does when a process is killed
        ledgers = [RedeliveryLedger(engine, survivor), RedeliveryLedger(engine, other)]
        assert sorted(await asyncio.gather(*(ledger.claim(orphan, now=NOW) for ledger in ledgers))) == [False, True]
        assert not await RedeliveryLedger(engine, survivor).claim(running, now=NOW)
        assert await alive.alive(alive.owner) and not await survivor.alive(dead.owner)
    finally:
        for instances in (alive, survivor, other):
            await instances.release()


async def test_old_claims_are_forgotten(engine: AsyncEngine) -> None:
    ledger = RedeliveryLedger(engine)
    for key, at in (("old", NOW - dt.timedelta(hours=3)), ("new", NOW)):
        await ledger.claim(key, now=at)
        await ledger.finish(key)
    assert await ledger.forget_before(NOW - dt.timedelta(hours=2)) == 1
    assert await ledger.claim("old", now=NOW)
    assert not await ledger.claim("new", now=NOW)
