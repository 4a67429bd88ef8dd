"""How the bot's HTTP server is run: one runner for `faqbot run` and for gunicorn (`app:serve`),
with bounds on slow and on numerous clients.

aiohttp has no deadline of its own for a request's *head*: a client that sends its request line and
headers one byte every few seconds keeps its connection until aiohttp's keep-alive timer fires
(75 s under `web.run_app`, 3630 s for a bare `AppRunner`, gunicorn's `--keep-alive` under gunicorn).
That timer starts when a connection opens, is re-armed only after a response has been sent, and
closes the connection if no complete request head has arrived by then. So it *is* a header deadline,
and the runner sets it to `header_timeout`: a client must deliver a complete request head within
that many seconds of connecting (or of the previous response); an idle keep-alive connection is
closed after the same time. Bodies have their own deadline (`body_timeout`, 408, adapters/web/http.py).

At most `max_connections` connections are open per process: one more is answered 503 and closed
at once, without its request being read, so a flood of slow clients cannot use up the process's
file descriptors and memory.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
from dataclasses import dataclass

from aiohttp import web

log = logging.getLogger(__name__)

REFUSAL = b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"


@dataclass(frozen=True)
class HostingLimits:
    """Bounds on what clients may hold; both come from settings (FAQBOT_HEADER_TIMEOUT, FAQBOT_MAX_CONNECTIONS)."""

    header_timeout: float
    max_connections: int


class BoundedRunner(web.AppRunner):
    """An `AppRunner` whose connections have a header deadline and whose number is capped.

    Usable wherever aiohttp takes a runner: `serve_until_stopped` below, and gunicorn's
    `aiohttp.GunicornWebWorker`, which serves a runner returned by the application factory as it is.
    """

    def __init__(self, app: web.Application, limits: HostingLimits) -> None:
        super().__init__(app, access_log=None, keepalive_timeout=limits.header_timeout)
        self._limits = limits
        self._refusing = False

    async def setup(self) -> None:
        await super().setup()
        server = self.server
        assert server is not None
        admit = server.connection_made

        # Counted where aiohttp registers a connection, not when the socket is accepted: a burst
        # of accepts creates many protocols before any of them is registered.
        def connection_made(handler: web.RequestHandler, transport: asyncio.Transport) -> None:
            admit(handler, transport)
            if len(server.connections) > self._limits.max_connections:
                if not self._refusing:
                    log.warning(
                        "connection limit reached (%d): refusing new connections with 503", self._limits.max_connections
                    )
                self._refusing = True
                transport.write(REFUSAL)
                transport.close()
            else:
                self._refusing = False

        server.connection_made = connection_made  # type: ignore[method-assign]


async def serve_until_stopped(runner: web.AppRunner, listener: socket.socket) -> None:
    """Serve `runner` on the bound `listener` until SIGINT or SIGTERM, then shut down cleanly."""
    await runner.setup()
    try:
        await web.SockSite(runner, listener).start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()
    finally:
        await runner.cleanup()
