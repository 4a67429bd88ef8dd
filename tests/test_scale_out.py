"""Two instances of the bot on one PostgreSQL database behave as one bot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer

from adapters.settings import Settings
from app import create_app
from tests import activities
from tests.databases import database_url
from tests.fake_connector import FakeConnector


@pytest_asyncio.fixture
async def two_instances(tmp_path: Path) -> AsyncIterator[tuple[TestClient, TestClient]]:
    """Instances A and B on different ports, sharing one fresh PostgreSQL database."""
    async with database_url("postgresql", tmp_path) as url, AsyncExitStack() as stack:
        clients = []
        for _ in range(2):
            app = create_app(Settings(database_url=url))
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
    await connector.wait_for(1)
    await asyncio.sleep(0.2)
    assert len(connector.activities()) == 1


async def test_either_instance_answers_new_messages(
    two_instances: tuple[TestClient, TestClient], connector: FakeConnector
) -> None:
    for client in two_instances:
        response = await client.post("/api/messages", json=activities.message(connector.url, "What counts as a social media profile?"))
        assert response.status == 201
    assert len(await connector.wait_for(2)) == 2
