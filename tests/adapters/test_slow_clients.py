"""A client that stops sending its body does not hold the connection open."""

from __future__ import annotations

import asyncio
import time

from aiohttp.test_utils import TestServer

from adapters.settings import Settings
from tests.databases import temporary_sqlite_url
from app import create_app


async def test_stalled_body_is_answered_408_and_closed() -> None:
    app = create_app(Settings(local_mode=True, metrics_port=0, database_url=temporary_sqlite_url(), body_timeout=0.5))
    async with TestServer(app, host="127.0.0.1") as server:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(b"POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 1000\r\n\r\n{\"type\": \"mess")
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
        writer.write(b"POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode())
        for index in range(0, len(body), 10):
            writer.write(body[index:index + 10])
            await writer.drain()
            await asyncio.sleep(0.05)
        answer = await asyncio.wait_for(reader.read(), timeout=5)
        writer.close()
        # Read in several chunks and parsed whole: refused by the serviceUrl policy (no serviceUrl), not a 400.
        assert answer.split(b"\r\n", 1)[0] == b"HTTP/1.1 403 Forbidden"
