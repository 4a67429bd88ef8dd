"""Kill -9 of a real bot process in the middle of an escalation, on SQLite and PostgreSQL.

The bot runs as `python app.py run` in a subprocess. Each test stops it at one dangerous point of
the form submit (the delivery claimed, the ticket not yet written; the ticket written, the staff
confirmation in flight), kills it with SIGKILL, starts a new process on the same database and
delivers the identical activity again, as the Bot Connector does after a timeout. Every test ends
with one ticket, posted to HR once, and the staff member holding their reference.
"""

from __future__ import annotations

import asyncio
import re
import signal
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine.url import make_url

from adapters.store import create_engine
from adapters.store.tables import delivered_activities, ticket_outbox, tickets
from tests import activities
from tests.databases import database_url
from tests.fake_connector import ConnectorCall, FakeConnector, card_of
from tests.support import (
    CREATE,
    QUESTION,
    REGISTRAR,
    ROOT,
    creates,
    environment,
    free_port,
    in_hr_channel,
    submit_data,
    until,
)

STAFF_REPLIES = "/v3/conversations/a:staff-conversation/activities/"


class Bot:
    """One `faqbot run` process on `database`, answering through the fake connector."""

    def __init__(self, database: str, port: int, sdk: str) -> None:
        self.database = database
        self.sdk = sdk
        self.url = f"http://127.0.0.1:{port}"
        self._port = port
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "app.py",
            "run",
            cwd=ROOT,
            env=environment(
                PORT=str(self._port),
                FAQBOT_DATABASE_URL=self.database,
                FAQBOT_HR_REGISTRARS=REGISTRAR,
                FAQBOT_DATABASE_TIMEOUT="6",
                FAQBOT_SDK=self.sdk,
            ),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        async with aiohttp.ClientSession() as session:

            async def ready() -> bool:
                try:
                    async with session.get(f"{self.url}/readyz") as response:
                        return response.status == 200
                except aiohttp.ClientConnectionError:
                    return False

            async with asyncio.timeout(30):
                while not await ready():
                    await asyncio.sleep(0.1)

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
        if self.process is not None:
            await self.process.wait()

    async def post(self, activity: dict[str, Any]) -> int:
        async with aiohttp.ClientSession() as session, session.post(f"{self.url}/api/messages", json=activity) as r:
            return r.status


@asynccontextmanager
async def bot_on(database: str, sdk: str) -> AsyncIterator[Bot]:
    bot = Bot(database, free_port(), sdk)
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()


async def count(database: str, table: sa.Table, *where: Any) -> int:
    engine = create_engine(database)
    try:
        async with engine.connect() as connection:
            return (await connection.execute(sa.select(sa.func.count()).select_from(table).where(*where))).scalar_one()
    finally:
        await engine.dispose()


def replies_to(connector: FakeConnector, activity: dict[str, Any]) -> list[ConnectorCall]:
    return [c for c in connector.calls if c.method == "POST" and c.path == STAFF_REPLIES + activity["id"]]


async def reply(bot: Bot, connector: FakeConnector, activity: dict[str, Any]) -> dict[str, Any]:
    assert await bot.post(activity) == 201
    return (await until(lambda: replies_to(connector, activity), timeout=10))[-1].body


async def the_form_submit(bot: Bot, connector: FakeConnector) -> dict[str, Any]:
    """Register the HR channel, ask what the FAQ cannot answer and fill in the form: the submit
    activity, not yet sent."""
    assert (
        await bot.post(
            in_hr_channel(
                connector.url, text="register this channel", user_id="29:lead", aad_object_id=REGISTRAR, name="Lead"
            )
        )
        == 201
    )
    no_answer = await reply(bot, connector, activities.message(connector.url, QUESTION))
    ask = next(a for a in card_of(no_answer)["actions"] if a["title"] == "Ask HR Direct")
    form = card_of(await reply(bot, connector, activities.message(connector.url, value=ask["data"])))
    value = {**submit_data(form), "question": QUESTION, "details": "", "identity": "named"}
    return activities.message(connector.url, value=value)


async def the_redelivery_files_one_ticket_and_answers_with_its_reference(
    database: str, sdk: str, connector: FakeConnector, submit: dict[str, Any]
) -> None:
    connector.hold = lambda _call: False
    async with bot_on(database, sdk) as bot:
        confirmation = await reply(bot, connector, submit)
        assert re.search(r"HRD-\d{6}", confirmation["text"])
        await until(lambda: creates(connector), timeout=10)
        assert await count(database, tickets) == 1
        reference = re.search(r"HRD-\d{6}", confirmation["text"]).group()  # type: ignore[union-attr]
        assert reference in str(creates(connector)[-1].body)
        # The turn has finished now: one more delivery is a plain repeat.
        answered = len(replies_to(connector, submit))
        assert await bot.post(submit) == 200
        assert len(replies_to(connector, submit)) == answered
        assert await count(database, ticket_outbox, ticket_outbox.c.delivered_at.is_(None)) == 0
    assert len(creates(connector)) == 1
    assert await count(database, tickets) == 1


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_kill_while_the_confirmation_is_in_flight(
    kind: str, sdk: str, tmp_path: Path, connector: FakeConnector
) -> None:
    async with database_url(kind, tmp_path) as database:
        async with bot_on(database, sdk) as bot:
            submit = await the_form_submit(bot, connector)
            connector.hold = lambda call: call.path == STAFF_REPLIES + submit["id"]
            posted = asyncio.create_task(bot.post(submit))
            await until(lambda: replies_to(connector, submit), timeout=10)  # the confirmation is on its way
            await until(lambda: creates(connector), timeout=10)
            async with asyncio.timeout(10):  # the HR post recorded as delivered
                while await count(database, ticket_outbox, ticket_outbox.c.delivered_at.is_not(None)) < 1:
                    await asyncio.sleep(0.05)
            bot.kill()
            with pytest.raises(aiohttp.ClientError):
                await posted
        assert await count(database, tickets) == 1
        assert await count(database, delivered_activities, delivered_activities.c.owner.is_not(None)) == 1
        await the_redelivery_files_one_ticket_and_answers_with_its_reference(database, sdk, connector, submit)


async def test_kill_after_the_claim_before_the_ticket_is_written(
    sdk: str, tmp_path: Path, connector: FakeConnector
) -> None:
    """PostgreSQL: another session's lock on `tickets` stops the turn between the two writes.
    (SQLite's single writer lock would stop the claim itself; the SQLite case of a dead owner is
    the test above.)"""
    async with database_url("postgresql", tmp_path) as database:
        async with bot_on(database, sdk) as bot:
            submit = await the_form_submit(bot, connector)
            blocker = await asyncpg.connect(make_url(database).set(drivername="postgresql").render_as_string(False))
            try:
                transaction = blocker.transaction()
                await transaction.start()
                await blocker.execute("LOCK TABLE tickets IN EXCLUSIVE MODE")
                posted = asyncio.create_task(bot.post(submit))
                async with asyncio.timeout(5):  # claimed by the bot, ticket still unwritten
                    while not await blocker.fetchval(
                        "SELECT count(*) FROM delivered_activities WHERE owner IS NOT NULL"
                    ):
                        await asyncio.sleep(0.02)
                bot.kill()
                with pytest.raises(aiohttp.ClientError):
                    await posted
                await transaction.rollback()
            finally:
                await blocker.close()
        assert await count(database, tickets) == 0
        assert not creates(connector) and not replies_to(connector, submit)
        await the_redelivery_files_one_ticket_and_answers_with_its_reference(database, sdk, connector, submit)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_kill_during_the_hr_post_resumes_it_within_seconds(
    kind: str, sdk: str, tmp_path: Path, connector: FakeConnector
) -> None:
    async with database_url(kind, tmp_path) as database:
        async with bot_on(database, sdk) as bot:
            submit = await the_form_submit(bot, connector)
            connector.hold = lambda call: call.method == "POST" and call.path == CREATE  # the HR post hangs
            confirmation = await reply(bot, connector, submit)
            await until(lambda: creates(connector), timeout=10)
            await asyncio.sleep(4)  # mid-send long enough for the lease to have been renewed
            bot.kill()
            killed = time.monotonic()
        connector.hold = lambda _call: False
        async with bot_on(database, sdk) as bot:
            restarted = time.monotonic()
            await until(lambda: len(creates(connector)) == 2, timeout=30)
            resumed = time.monotonic()
            async with asyncio.timeout(5):
                while await count(database, ticket_outbox, ticket_outbox.c.delivered_at.is_not(None)) < 1:
                    await asyncio.sleep(0.05)
        print(f"HR post resumed {resumed - killed:.1f} s after the kill, {resumed - restarted:.1f} s after the restart")
        assert resumed - restarted < 10
        reference = re.search(r"HRD-\d{6}", confirmation["text"]).group()  # type: ignore[union-attr]
        assert reference in str(creates(connector)[-1].body)
        assert await count(database, tickets) == 1
