"""`faqbot run`: serve the bot on /api/messages until stopped."""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import Protocol

from aiohttp import web

from adapters.config.settings import Settings
from adapters.corpus.corpus_watch import serve_reload_signal
from adapters.web.hosting import BoundedRunner, HostingLimits, serve_until_stopped
from adapters.web.listening import Listeners, bind_listeners

log = logging.getLogger("faqbot")


def hosting_limits(settings: Settings) -> HostingLimits:
    """The header deadline and connection cap of the public listener."""
    return HostingLimits(header_timeout=settings.header_timeout, max_connections=settings.max_connections)


class AppFactory(Protocol):
    """Builds the served application; `metrics_socket`: the metrics port, already bound."""

    def __call__(self, settings: Settings, *, metrics_socket: socket.socket | None = None) -> web.Application: ...


def run_server(settings: Settings, create_app: AppFactory) -> int:
    """Serve the application `create_app` builds; answers SIGHUP with a corpus reload.

    Both ports are bound first of all: a port in use stops the command (CannotListen, naming the
    setting) before anything is logged, migrated or written."""
    listeners = bind_listeners(
        settings.bind_host, settings.port, settings.metrics_port, shared_metrics=settings.metrics_dir is not None
    )
    try:
        return _serve(settings, create_app, listeners)
    finally:
        listeners.close()


def _serve(settings: Settings, create_app: AppFactory, listeners: Listeners) -> int:
    if settings.local_mode:
        log.warning(
            "LOCAL MODE (FAQBOT_LOCAL_MODE): requests are NOT authenticated. Listening on %s and "
            "accepting this machine only. Never expose this to a network.",
            settings.bind_host,
        )
    if not settings.pseudonym_salt:
        log.warning("FAQBOT_PSEUDONYM_SALT is not set: using the fixed development salt (local mode only)")
    app = create_app(settings, metrics_socket=listeners.metrics)
    serve_reload_signal(app, settings.pid_path)
    log.info("listening on http://%s:%d/api/messages", settings.bind_host, settings.port)
    asyncio.run(serve_until_stopped(BoundedRunner(app, hosting_limits(settings)), listeners.bot))
    return 0
