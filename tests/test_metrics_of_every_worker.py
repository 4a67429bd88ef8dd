"""Two bot processes sharing a metrics folder and port (as gunicorn's workers do): a scrape,
whichever process answers it, counts the requests both served, and keeps counting them after
one process stops."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp

from tests import activities
from tests.fake_connector import FakeConnector
from tests.support import ROOT, environment, free_port

COUNTED = 'faqbot_http_requests_total{status="201"}'


@asynccontextmanager
async def worker(tmp_path: Path, name: str, metrics_port: int) -> AsyncIterator[tuple[str, asyncio.subprocess.Process]]:
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "app.py",
        "run",
        cwd=ROOT,
        env=environment(
            PORT=str(port),
            FAQBOT_METRICS_PORT=str(metrics_port),
            FAQBOT_METRICS_DIR=str(tmp_path / "metrics"),
            FAQBOT_DATABASE_URL=f"sqlite:///{tmp_path / name}.sqlite3",
        ),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session, asyncio.timeout(60):
            while True:
                try:
                    async with session.get(f"{url}/readyz") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
        yield url, process
    finally:
        if process.returncode is None:
            process.terminate()
        await process.wait()


async def counted(metrics_port: int) -> float:
    # A new connection per scrape: the kernel hands each to either process.
    async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{metrics_port}/metrics") as response:
        text = await response.text()
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(COUNTED))


async def test_a_scrape_counts_what_every_worker_served(tmp_path: Path, connector: FakeConnector) -> None:
    metrics_port = free_port()
    async with worker(tmp_path, "a", metrics_port) as (first, _), worker(tmp_path, "b", metrics_port) as (second, b):
        async with aiohttp.ClientSession() as session:
            for url, times in ((first, 3), (second, 5)):
                for n in range(times):
                    message = activities.message(connector.url, "hello", conversation_id=f"a:{url[-5:]}-{n}")
                    async with session.post(f"{url}/api/messages", json=message) as response:
                        assert response.status == 201
        async with asyncio.timeout(10):  # each process writes its figures every second
            while await counted(metrics_port) != 8:
                await asyncio.sleep(0.2)
        assert [await counted(metrics_port) for _ in range(10)] == [8] * 10
        b.terminate()
        await b.wait()
        assert [await counted(metrics_port) for _ in range(5)] == [8] * 5  # a stopped worker's counts stay
