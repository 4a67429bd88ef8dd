"""Two instances of the bot on one PostgreSQL database behave as one bot."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer

from adapters.config.settings import Settings
from app import create_app
from tests import activities
from tests.databases import database_url
from tests.fake_connector import FakeConnector, card_of, card_text
from tests.support import (
    QUESTION,
    creates,
    file_ticket,
    hr_action,
    hr_card,
    in_hr_channel,
    outbox_drained,
    post,
    register,
    reply_to,
    serve,
    staff_messages,
    submit_data,
    until,
)


@pytest_asyncio.fixture
async def two_instances(tmp_path: Path) -> AsyncIterator[tuple[TestClient, TestClient]]:
    """Instances A and B on different ports, sharing one fresh PostgreSQL database."""
    async with database_url("postgresql", tmp_path) as url, AsyncExitStack() as stack:
        clients = []
        for _ in range(2):
            app = create_app(Settings(database_url=url, local_mode=True, metrics_port=0))
            clients.append(await stack.enter_async_context(TestClient(TestServer(app, host="127.0.0.1"))))
        yield clients[0], clients[1]


async def test_a_delivery_sent_to_both_instances_is_answered_once(
    two_instances: tuple[TestClient, TestClient], connector: FakeConnector
) -> None:
    first, second = two_instances
    assert first.port != second.port
    activity = activities.message(connector.url, "Can liking a post on social media be a cause for concern for me?")
    responses = await asyncio.gather(
        first.post("/api/messages", json=activity), second.post("/api/messages", json=activity)
    )
    assert sorted(r.status for r in responses) == [200, 201]
    # A turn replies before its response: once both are in, every reply has reached the connector.
    assert len(connector.activities()) == 1


async def test_either_instance_answers_new_messages(
    two_instances: tuple[TestClient, TestClient], connector: FakeConnector
) -> None:
    for client in two_instances:
        response = await client.post(
            "/api/messages", json=activities.message(connector.url, "What counts as a social media profile?")
        )
        assert response.status == 201
    assert len(await connector.wait_for(2)) == 2


@asynccontextmanager
async def two_bots(url: str) -> AsyncIterator[tuple[TestClient, TestClient]]:
    async with serve(url) as first, serve(url) as second:
        yield first, second


async def test_ticket_filed_on_a_is_answered_on_b_and_posted_and_notified_once(
    tmp_path: Path, connector: FakeConnector
) -> None:
    async with database_url("postgresql", tmp_path) as url, two_bots(url) as (a, b):
        await register(a, connector)
        confirmation = await file_ticket(a, connector)
        assert "HRD-000001" in confirmation["text"]
        (create,) = await until(lambda: creates(connector))
        await outbox_drained(url)  # delivered once marked: neither instance's worker posts it again
        assert len(creates(connector)) == 1

        thread = "19:hr-direct@thread.tacv2;messageid=2"
        card = hr_card(create)
        await post(b, in_hr_channel(connector.url, value=hr_action(card, "Assign to me"), thread=thread))
        assigned = card_of((await until(lambda: [c for c in connector.calls if c.method == "PUT"]))[-1].body)
        await post(
            b,
            in_hr_channel(
                connector.url, value={**hr_action(assigned, "Reply"), "reply": "Yes, you can."}, thread=thread
            ),
        )

        def answers() -> list[dict[str, Any]]:
            return [m for m in staff_messages(connector) if "answered" in (m.get("summary") or "")]

        await until(answers)
        await outbox_drained(url)
        assert len(answers()) == 1
        assert "Yes, you can." in card_text(card_of(answers()[0]))


async def test_the_same_form_sent_to_both_instances_makes_one_ticket(tmp_path: Path, connector: FakeConnector) -> None:
    async with database_url("postgresql", tmp_path) as url, two_bots(url) as (a, b):
        await register(a, connector)
        no_answer = await reply_to(a, connector, activities.message(connector.url, QUESTION))
        ask = next(x for x in card_of(no_answer)["actions"] if x["title"] == "Ask HR Direct")
        form = card_of(await reply_to(a, connector, activities.message(connector.url, value=ask["data"])))
        submitted = {**submit_data(form), "question": QUESTION, "details": "", "identity": "named"}
        same = activities.message(connector.url, value=submitted)
        resubmitted = activities.message(connector.url, value=submitted)  # a new activity id, same form
        await asyncio.gather(post(a, same), post(b, same), post(b, resubmitted))
        await outbox_drained(url)
        assert len(creates(connector)) == 1
        mine = await reply_to(b, connector, activities.message(connector.url, "my requests"))
        # One ticket; its number may skip on PostgreSQL, where a refused racing insert still uses a sequence value.
        assert len(re.findall(r"HRD-\d{6}", mine["text"])) == 1
