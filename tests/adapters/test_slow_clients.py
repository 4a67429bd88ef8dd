"""Slow clients cannot hold connections open: a stalled body gets 408, a stalled request head is cut
off at the header deadline, and connections beyond the cap are refused."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from adapters.config.settings import Settings
from adapters.web.hosting import BoundedRunner, HostingLimits
from app import create_app, serve
from tests.databases import temporary_sqlite_url
from tests.support import ROOT, environment, free_port, until


async def test_stalled_body_is_answered_408_and_closed() -> None:
    app = create_app(Settings(local_mode=True, metrics_port=0, database_url=temporary_sqlite_url(), body_timeout=0.5))
    async with TestServer(app, host="127.0.0.1") as server:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(
            b"POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 1000\r\n\r\n{"type": "mess'
        )
        await writer.drain()
        started = time.perf_counter()
        answer = await asyncio.wait_for(reader.read(), timeout=5)  # read() returns at EOF: the server closed
        elapsed = time.perf_counter() - started
        writer.close()
        assert answer.startswith(b"HTTP/1.1 408")
        assert 0.4 <= elapsed < 3.0


async def test_a_slow_but_steady_body_within_the_timeout_is_served() -> None:
    app = create_app(Settings(local_mode=True, metrics_port=0, database_url=temporary_sqlite_url(), body_timeout=2.0))
    async with TestServer(app, host="127.0.0.1") as server:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        body = b'{"type": "typing", "channelId": "msteams"}'
        writer.write(
            b"POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        )
        for index in range(0, len(body), 10):
            writer.write(body[index : index + 10])
            await writer.drain()
            await asyncio.sleep(0.05)
        answer = await asyncio.wait_for(reader.read(), timeout=5)
        writer.close()
        # Read in several chunks and parsed whole: refused by the serviceUrl policy (no serviceUrl), not a 400.
        assert answer.split(b"\r\n", 1)[0] == b"HTTP/1.1 403 Forbidden"


# --- Request heads: the header deadline and the connection cap (adapters/web/hosting.py) ---------------

HEAD = b"POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Pad: " + b"a" * 500


async def dribble_until_closed(port: int, *, every: float = 0.1, limit: float = 6.0) -> float | None:
    """Send a request head one byte every `every` seconds; seconds until the server closed, None if it never did."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    started = time.perf_counter()
    try:
        for byte in HEAD:
            if time.perf_counter() - started > limit:
                return None
            try:
                writer.write(bytes([byte]))
                await writer.drain()
                if await asyncio.wait_for(reader.read(1024), timeout=every) == b"":
                    return time.perf_counter() - started
            except TimeoutError:
                continue
            except ConnectionError:
                return time.perf_counter() - started
        return None
    finally:
        writer.close()


async def seconds_until_idle_connection_closed(port: int, *, limit: float = 6.0) -> float | None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    started = time.perf_counter()
    try:
        await asyncio.wait_for(reader.read(), timeout=limit)
        return time.perf_counter() - started
    except TimeoutError:
        return None
    finally:
        writer.close()


async def _is(status: Awaitable[bytes], expected: bytes) -> bool:
    return await status == expected


async def get_status(port: int, path: str = "/healthz") -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        answer = await asyncio.wait_for(reader.read(), timeout=5)
    finally:
        # Also when a bot still starting resets or times out the connection: the caller retries,
        # and a writer left open would be reported unclosed when collected, failing another test.
        writer.close()
    return answer.split(b"\r\n", 1)[0]


@contextlib.asynccontextmanager
async def bounded_server(header_timeout: float, max_connections: int = 100) -> AsyncIterator[int]:
    """The real application behind the runner `faqbot run` and gunicorn use; yields its port."""
    settings = Settings(local_mode=True, metrics_port=0, database_url=temporary_sqlite_url())
    runner = BoundedRunner(create_app(settings), HostingLimits(header_timeout, max_connections))
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        yield int(runner.addresses[0][1])
    finally:
        await runner.cleanup()


async def test_a_request_head_sent_one_byte_at_a_time_is_cut_off_at_the_header_deadline() -> None:
    async with bounded_server(header_timeout=0.5) as port:
        closed_after = await dribble_until_closed(port)
        assert closed_after is not None, "the server kept a dribbling connection open"
        assert 0.4 <= closed_after < 3.0
        assert await get_status(port) == b"HTTP/1.1 200 OK"  # and it goes on serving


async def test_an_idle_connection_is_closed_at_the_header_deadline() -> None:
    async with bounded_server(header_timeout=0.5) as port:
        closed_after = await seconds_until_idle_connection_closed(port)
        assert closed_after is not None, "the server kept an idle connection open"
        assert 0.4 <= closed_after < 3.0


async def test_a_slow_but_complete_head_within_the_deadline_is_served() -> None:
    async with bounded_server(header_timeout=3.0) as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        for index in range(0, len(head), 8):
            writer.write(head[index : index + 8])
            await writer.drain()
            await asyncio.sleep(0.05)
        answer = await asyncio.wait_for(reader.read(), timeout=5)
        writer.close()
        assert answer.startswith(b"HTTP/1.1 200 OK")


async def test_connections_beyond_the_cap_get_503_and_are_closed_until_one_frees_up() -> None:
    async with bounded_server(header_timeout=30.0, max_connections=2) as port:
        held = [await asyncio.open_connection("127.0.0.1", port) for _ in range(2)]
        # Both are registered by the server within a few loop turns.
        await until(lambda: _is(get_status(port), b"HTTP/1.1 503 Service Unavailable"), timeout=5)
        _, writer = held.pop()
        writer.close()
        # The server notices the close within a few loop turns.
        await until(lambda: _is(get_status(port), b"HTTP/1.1 200 OK"), timeout=5)
        for _, writer in held:
            writer.close()


async def test_the_gunicorn_factory_serves_with_the_configured_header_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "FAQBOT_LOCAL_MODE": "1",
        "FAQBOT_METRICS_PORT": "0",
        "FAQBOT_HEADER_TIMEOUT": "0.5",
        "FAQBOT_DATABASE_URL": temporary_sqlite_url(),
    }.items():
        monkeypatch.setenv(name, value)
    runner = await serve()  # what aiohttp.GunicornWebWorker is given by `gunicorn app:serve`
    assert isinstance(runner, BoundedRunner)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        closed_after = await dribble_until_closed(int(runner.addresses[0][1]))
    finally:
        await runner.cleanup()
    assert closed_after is not None and closed_after < 3.0


async def test_faqbot_run_cuts_off_a_dribbling_request_head(tmp_path: Path) -> None:
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "app.py",
        "run",
        cwd=ROOT,
        env=environment(
            PORT=str(port), FAQBOT_HEADER_TIMEOUT="0.5", FAQBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'bot.sqlite3'}"
        ),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                if await get_status(port) == b"HTTP/1.1 200 OK":
                    break
            except OSError:
                await asyncio.sleep(0.1)
        else:
            pytest.fail("the bot did not start")
        closed_after = await dribble_until_closed(port)
        assert closed_after is not None, "faqbot run kept a dribbling connection open"
        assert closed_after < 3.0
    finally:
        process.terminate()
        assert await process.wait() == 0
