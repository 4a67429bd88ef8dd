"""The store failing under a running bot: a database that stops answering, refuses connections,
or (SQLite) whose folder is removed. Requests are answered 503 with Retry-After within 10 s,
nothing is confirmed that is not stored, and the bot recovers without a restart."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.engine.url import make_url

from adapters.config.settings import Settings
from app import create_app
from tests import activities
from tests.databases import database_url
from tests.fake_connector import FakeConnector
from tests.support import REGISTRAR, file_ticket, register
from tests.tcp_proxy import TcpProxy, tcp_proxy

TEAMS_WINDOW_TARGET = 10.0  # seconds: an answer (reply or 503) well inside Teams' 15 s
QUESTION = "What counts as a social media profile?"


@pytest_asyncio.fixture
async def behind_proxy(tmp_path: Path) -> AsyncIterator[tuple[TestClient, TcpProxy]]:
    """The bot on a fresh PostgreSQL database reached through a proxy the test controls."""
    async with database_url("postgresql", tmp_path) as url:
        parsed = make_url(url)
        async with tcp_proxy(parsed.host or "127.0.0.1", parsed.port or 5432) as proxy:
            proxied = parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
            app = create_app(Settings(database_url=proxied, local_mode=True, metrics_port=0))
            async with TestClient(TestServer(app, host="127.0.0.1")) as client:
                try:
                    yield client, proxy
                finally:
                    await proxy.restore()  # the app's shutdown talks to the database


async def timed_post(client: TestClient, activity: dict[str, Any]) -> tuple[int, str | None, float]:
    started = time.monotonic()
    response = await client.post("/api/messages", json=activity)
    body = await response.text()
    assert "Traceback" not in body
    return response.status, response.headers.get("Retry-After"), time.monotonic() - started


async def test_a_database_that_stops_answering_or_refuses_gets_503_and_the_bot_recovers(
    behind_proxy: tuple[TestClient, TcpProxy], connector: FakeConnector
) -> None:
    client, proxy = behind_proxy
    assert (await timed_post(client, activities.message(connector.url, QUESTION)))[0] == 201

    proxy.blackhole()
    unanswered = activities.message(connector.url, QUESTION)
    status, retry_after, took = await timed_post(client, unanswered)
    assert (status, retry_after is not None) == (503, True)
    assert took < TEAMS_WINDOW_TARGET
    assert (await client.get("/readyz")).status == 503

    await proxy.refuse()
    status, retry_after, took = await timed_post(client, activities.message(connector.url, QUESTION))
    assert (status, retry_after is not None) == (503, True)
    assert took < TEAMS_WINDOW_TARGET

    await proxy.restore()
    before = len(connector.activities())
    # The Bot Connector delivers the refused activity again: its turn runs now, once.
    statuses = []
    async with asyncio.timeout(20):
        while (status := (await timed_post(client, unanswered))[0]) != 201:
            statuses.append(status)
    assert set(statuses) <= {503}
    assert len(await connector.wait_for(before + 1)) == before + 1
    assert (await timed_post(client, unanswered))[0] == 200
    assert (await client.get("/readyz")).status == 200


async def test_removing_the_sqlite_folder_is_detected_and_nothing_is_confirmed(
    tmp_path: Path, connector: FakeConnector
) -> None:
    folder = tmp_path / "store"
    settings = Settings(
        database_url=f"sqlite:///{folder / 'bot.sqlite3'}", hr_registrars=REGISTRAR, local_mode=True, metrics_port=0
    )
    async with TestClient(TestServer(create_app(settings), host="127.0.0.1")) as client:
        await register(client, connector)
        assert (await client.get("/readyz")).status == 200
        shutil.rmtree(folder)
        assert (await client.get("/readyz")).status == 503
        before = len(connector.activities())
        with pytest.raises(AssertionError, match="503"):
            await file_ticket(client, connector)
        sent = connector.activities()[before:]
        assert not any("HRD-" in str(activity) for activity in sent)
        assert not folder.exists()
