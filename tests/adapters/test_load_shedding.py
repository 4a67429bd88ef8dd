"""Load shedding over real HTTP: beyond FAQBOT_MAX_TURNS_IN_FLIGHT turns, 503 + Retry-After, nothing stored."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest_asyncio
import sqlalchemy as sa
from aiohttp.test_utils import TestClient, TestServer

from adapters.config.settings import Settings
from adapters.store import create_engine
from adapters.store.tables import asked_questions, delivered_activities
from app import METRICS_KEY, Components, create_app
from bot import Dialogue, Inbound, Reply, texts
from bot.submits import HR_DIRECT_FORM_ACTION as FORM_ACTION
from tests import activities
from tests.fake_connector import FakeConnector
from tests.support import until

QUESTION = "Can liking a post on social media be a cause for concern for me?"


@dataclass
class HeldDialogue:
    """The real dialogue, except that every answer waits until the test lets it go."""

    inner: Dialogue
    entered: asyncio.Event = field(default_factory=asyncio.Event)
    released: asyncio.Event = field(default_factory=asyncio.Event)

    async def respond(self, message: Inbound) -> Reply:
        self.entered.set()
        await self.released.wait()
        return await self.inner.respond(message)


@dataclass
class Busy:
    client: TestClient
    held: HeldDialogue
    database_url: str


@pytest_asyncio.fixture
async def one_turn_at_a_time(dialogue: Dialogue, tmp_path: Path, sdk: str) -> AsyncIterator[Busy]:
    """The bot allowing one turn in flight, its dialogue held until released."""
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    settings = Settings(
        local_mode=True, metrics_port=0, database_url=url, max_turns_in_flight=1, busy_retry_after=3, sdk=sdk
    )
    held = HeldDialogue(dialogue)
    async with TestClient(
        TestServer(
            create_app(settings, replace(Components.real(settings), dialogue=lambda _knowledge: held)), host="127.0.0.1"
        )
    ) as client:
        yield Busy(client, held, url)


async def rows(url: str, table: sa.Table) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return (await connection.execute(sa.select(sa.func.count()).select_from(table))).scalar_one()
    finally:
        await engine.dispose()


def replies_to(connector: FakeConnector, activity: dict[str, object]) -> int:
    return len([c for c in connector.calls if c.method == "POST" and c.path.endswith(f"/activities/{activity['id']}")])


async def test_beyond_the_limit_a_request_gets_503_with_retry_after_and_runs_no_turn(
    one_turn_at_a_time: Busy, connector: FakeConnector
) -> None:
    client, held = one_turn_at_a_time.client, one_turn_at_a_time.held
    metrics = client.server.app[METRICS_KEY]
    first = asyncio.create_task(client.post("/api/messages", json=activities.message(connector.url, QUESTION)))
    await asyncio.wait_for(held.entered.wait(), 10)
    held.entered.clear()
    assert metrics.in_flight.value == 1

    shed = activities.message(connector.url, QUESTION, conversation_id="a:another-conversation")
    response = await asyncio.wait_for(client.post("/api/messages", json=shed), 10)  # never waits for the held turn
    assert response.status == 503
    assert response.headers["Retry-After"] == "3"
    assert metrics.shed.value() == 1
    assert metrics.requests.value(status="503") == 1
    assert not held.entered.is_set()  # the dialogue never saw it
    assert await rows(one_turn_at_a_time.database_url, delivered_activities) == 1  # the first one's claim only
    assert await rows(one_turn_at_a_time.database_url, asked_questions) == 0

    held.released.set()
    assert (await first).status == 201
    assert replies_to(connector, shed) == 0
    assert metrics.in_flight.value == 0
    assert "faqbot_shed_requests_total 1" in metrics.render()


async def test_a_redelivery_after_shedding_is_processed_once(
    one_turn_at_a_time: Busy, connector: FakeConnector
) -> None:
    client, held = one_turn_at_a_time.client, one_turn_at_a_time.held
    first = asyncio.create_task(client.post("/api/messages", json=activities.message(connector.url, QUESTION)))
    await asyncio.wait_for(held.entered.wait(), 10)
    shed = activities.message(connector.url, QUESTION, conversation_id="a:another-conversation")
    assert (await asyncio.wait_for(client.post("/api/messages", json=shed), 10)).status == 503
    held.released.set()
    assert (await first).status == 201

    redelivered = await client.post("/api/messages", json=shed)  # as the Bot Connector re-delivers: same id
    again = await client.post("/api/messages", json=shed)
    assert (redelivered.status, again.status) == (201, 200)
    assert replies_to(connector, shed) == 1
    assert await rows(one_turn_at_a_time.database_url, asked_questions) == 2


async def test_a_button_press_is_admitted_while_questions_are_shed(
    one_turn_at_a_time: Busy, connector: FakeConnector
) -> None:
    client, held = one_turn_at_a_time.client, one_turn_at_a_time.held
    first = asyncio.create_task(client.post("/api/messages", json=activities.message(connector.url, QUESTION)))
    await asyncio.wait_for(held.entered.wait(), 10)
    question = activities.message(connector.url, QUESTION, conversation_id="a:another-conversation")
    form = activities.message(
        connector.url, value={"action": FORM_ACTION, "question": QUESTION}, conversation_id="a:another-conversation"
    )
    assert (await asyncio.wait_for(client.post("/api/messages", json=question), 10)).status == 503
    assert (await asyncio.wait_for(client.post("/api/messages", json=form), 10)).status == 201
    held.released.set()
    assert (await first).status == 201
    assert replies_to(connector, form) == 1


async def test_one_chat_flooding_neither_starves_other_people_nor_holds_requests(
    tmp_path: Path, sdk: str, connector: FakeConnector
) -> None:
    """Scaled down from the issue's 300 messages beside 20 people (benchmarks/flood.py runs that)."""
    database_url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    settings = Settings(local_mode=True, metrics_port=0, database_url=database_url, max_turns_in_flight=16, sdk=sdk)
    async with TestClient(TestServer(create_app(settings), host="127.0.0.1")) as client:

        async def send(conversation: str, user: str, text: str) -> tuple[int, float]:
            started = time.monotonic()
            response = await client.post(
                "/api/messages",
                json=activities.message(connector.url, text, conversation_id=conversation, user_id=user),
            )
            return response.status, time.monotonic() - started

        flood = [asyncio.create_task(send("a:flood", "29:flooder", f"{QUESTION} {n}")) for n in range(80)]
        await asyncio.sleep(0.3)  # the flood holds what it can
        others = await asyncio.gather(*(send(f"a:person-{n}", f"29:person-{n}", QUESTION) for n in range(10)))
        flooded = await asyncio.gather(*flood)

        assert [status for status, _ in others] == [201] * 10  # nobody else refused
        answered = {c.path.split("/")[3] for c in connector.calls if c.method == "POST"}
        assert {f"a:person-{n}" for n in range(10)} <= answered
        assert max(seconds for _, seconds in [*others, *flooded]) < 5
        statuses = [status for status, _ in flooded]
        assert set(statuses) == {200, 201}  # some answered, the rest acknowledged without a turn
        skipped = statuses.count(200)
        notices = await until(lambda: [a for a in connector.activities() if a.get("text") == texts.SLOW_DOWN])
        await asyncio.sleep(0.5)
        assert len([a for a in connector.activities() if a.get("text") == texts.SLOW_DOWN]) == 1  # asked once
        assert "a:flood" in next(c.path for c in connector.calls if c.body is notices[0])
        assert client.server.app[METRICS_KEY].conversation_refusals.value() == skipped
