"""An HR post the connector refuses for good (403: the bot was removed from the HR team) is not
silent: the staff member is told once, "my requests" and the metrics show it, and once the
channel works again the card is posted."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

import aiohttp
from aiohttp.test_utils import TestClient, TestServer

from adapters.config.settings import Settings
from app import Components, create_app
from tests import activities
from tests.fake_connector import FakeConnector
from tests.support import (
    CREATE,
    FAST,
    REGISTRAR,
    creates,
    file_ticket,
    free_port,
    register,
    reply_to,
    staff_messages,
    until,
)

NOT_REACHED = "your question hasn't reached HR Direct yet"


@asynccontextmanager
async def serve_with_metrics(store_url: str, metrics_port: int, sdk: str) -> AsyncIterator[TestClient]:
    settings = Settings(
        database_url=store_url, hr_registrars=REGISTRAR, local_mode=True, metrics_port=metrics_port, sdk=sdk
    )
    parts = replace(Components.real(settings), outbox_backoff=FAST)
    async with TestClient(TestServer(create_app(settings, parts), host="127.0.0.1")) as client:
        yield client


async def scrape(port: int) -> dict[str, str]:
    async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}/metrics") as response:
        text = await response.text()
    return dict(line.rsplit(" ", 1) for line in text.splitlines() if line and not line.startswith("#"))


async def test_a_refused_hr_post_is_surfaced_to_staff_once_to_my_requests_and_to_metrics(
    store_url: str, sdk: str, connector: FakeConnector
) -> None:
    port = free_port()
    async with serve_with_metrics(store_url, port, sdk) as client:
        await register(client, connector)
        connector.scripted_paths[CREATE] = [(403, {})] * 1000  # the bot is no longer in the HR team
        confirmation = await file_ticket(client, connector)
        assert "HRD-000001" in confirmation["text"]

        notices = await until(lambda: [m for m in staff_messages(connector) if NOT_REACHED in (m.get("text") or "")])
        (notice,) = notices
        assert notice["text"].startswith("HRD-000001: ")
        assert "contact HR Direct directly" in notice["text"]
        await until(lambda: len(creates(connector)) >= 4)  # still retrying...
        assert len([m for m in staff_messages(connector) if NOT_REACHED in (m.get("text") or "")]) == 1  # ...told once

        mine = await reply_to(client, connector, activities.message(connector.url, "my requests"))
        assert "HRD-000001 (Open, not delivered to HR Direct yet: retrying" in mine["text"]
        assert (await scrape(port))["faqbot_hr_posts_failing"] == "1"

        connector.scripted_paths[CREATE].clear()  # someone adds the bot back to the team
        refused = len(creates(connector))
        await until(lambda: len(creates(connector)) > refused, timeout=10)
        # The post has reached the connector; the courier records it once the reply is read.
        async with asyncio.timeout(5):
            while True:
                mine = await reply_to(client, connector, activities.message(connector.url, "my requests"))
                if "not delivered" not in mine["text"]:
                    break
                await asyncio.sleep(0.1)
        assert "HRD-000001 (Open, " in mine["text"]
        async with asyncio.timeout(5):
            while (await scrape(port))["faqbot_hr_posts_failing"] != "0":
                await asyncio.sleep(0.1)
