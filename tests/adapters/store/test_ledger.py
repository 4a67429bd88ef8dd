from __future__ import annotations

import asyncio
import datetime as dt

from adapters.store import DeliveryLedger, create_engine, delivery_key, migrate

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


async def test_first_delivery_is_claimed_once(store_url: str) -> None:
    engine = create_engine(store_url)
    try:
        await migrate(engine)
        ledger = DeliveryLedger(engine)
        key = delivery_key("msteams", "a:conv", "1700000000001")
        assert await ledger.claim(key, now=NOW)
        assert not await ledger.claim(key, now=NOW + dt.timedelta(minutes=30))
        assert await ledger.claim(delivery_key("msteams", "a:conv", "1700000000002"), now=NOW)
    finally:
        await engine.dispose()


async def test_concurrent_claims_across_engines_let_exactly_one_through(store_url: str) -> None:
    first, second = create_engine(store_url), create_engine(store_url)
    try:
        await asyncio.gather(migrate(first), migrate(second))
        key = delivery_key("msteams", "a:conv", "race")
        results = await asyncio.gather(
            *(DeliveryLedger(engine).claim(key, now=NOW) for engine in (first, second) * 5)
        )
        assert sorted(results) == [False] * 9 + [True]
    finally:
        await first.dispose()
        await second.dispose()


async def test_old_claims_are_forgotten(store_url: str) -> None:
    engine = create_engine(store_url)
    try:
        await migrate(engine)
        ledger = DeliveryLedger(engine)
        await ledger.claim("old", now=NOW - dt.timedelta(hours=3))
        await ledger.claim("new", now=NOW)
        assert await ledger.forget_before(NOW - dt.timedelta(hours=2)) == 1
        assert await ledger.claim("old", now=NOW)
        assert not await ledger.claim("new", now=NOW)
    finally:
        await engine.dispose()
