"""`faqbot run`: serve the bot on /api/messages until stopped."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from aiohttp import web

from adapters.config.settings import Settings
from adapters.corpus.corpus_watch import serve_reload_signal
from adapters.web.hosting import BoundedRunner, HostingLimits, serve_until_stopped

log = logging.getLogger("faqbot")


def hosting_limits(settings: Settings) -> HostingLimits:
    """The header deadline and connection cap of the public listener."""
    return HostingLimits(header_timeout=settings.header_timeout, max_connections=settings.max_connections)


def run_server(settings: Settings, create_app: Callable[[Settings], web.Application]) -> int:
    """Serve the application `create_app` builds; answers SIGHUP with a corpus reload."""
    if settings.local_mode:
        log.warning(
            "LOCAL MODE (FAQBOT_LOCAL_MODE): requests are NOT authenticated. Listening on %s and "
            "accepting this machine only. Never expose this to a network.",
            settings.bind_host,
        )
    if not settings.pseudonym_salt:
        log.warning("FAQBOT_PSEUDONYM_SALT is not set: using the fixed development salt (local mode only)")
    app = create_app(settings)
    serve_reload_signal(app, settings.pid_path)
    log.info("listening on http://%s:%d/api/messages", settings.bind_host, settings.port)
    asyncio.run(serve_until_stopped(BoundedRunner(app, hosting_limits(settings)), settings.bind_host, settings.port))
    return 0
