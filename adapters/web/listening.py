"""The sockets `faqbot run` listens on, bound before anything else happens.

A port another program holds must stop the bot with one line naming the setting to change,
before it logs, migrates the database or writes its pid file: so both ports (the bot's and the
metrics listener's) are bound first, and the bound sockets are then served as they are (no second
bind that could race another program).
"""

from __future__ import annotations

import errno
import socket
from dataclasses import dataclass

from knowledge.errors import FaqbotError


class CannotListen(FaqbotError):
    """A port cannot be listened on; the message names the setting to change."""

    exit_code = 7
    summary = "cannot listen"


@dataclass(frozen=True)
class Listeners:
    """The bound sockets: the bot's endpoint, and the metrics listener's (None when metrics are off)."""

    bot: socket.socket
    metrics: socket.socket | None

    def close(self) -> None:
        self.bot.close()
        if self.metrics is not None:
            self.metrics.close()


def bind(
    host: str, port: int, *, setting: str, host_setting: str | None = None, reuse_port: bool = False
) -> socket.socket:
    """A listening TCP socket on host:port; raises CannotListen naming `setting` (the port's) or
    `host_setting` (for an address this machine does not have) when that fails.

    `reuse_port` lets processes of one user share the port (the workers' metrics listener); a
    program that did not ask for it still keeps the port to itself.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        # As asyncio does: a restart is not refused for connections of the last run in TIME_WAIT.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise CannotListen(
                f"port {port} on {host} is already in use by another program: set {setting} to a free port"
            ) from None
        reason = exc.strerror or type(exc).__name__
        blame = host_setting if exc.errno == errno.EADDRNOTAVAIL and host_setting else setting
        raise CannotListen(f"cannot listen on {host}:{port} ({reason}): check {blame}") from None
    sock.setblocking(False)
    return sock


def bind_listeners(host: str, port: int, metrics_port: int, *, shared_metrics: bool = False) -> Listeners:
    """Bind the bot's port (setting PORT, on `host`) and, unless `metrics_port` is 0, the metrics
    port on loopback (FAQBOT_METRICS_PORT; `shared_metrics`: other processes of this bot may listen
    on it too); nothing stays bound when either fails."""
    bot = bind(host, port, setting="PORT", host_setting="HOST")
    try:
        metrics = (
            bind("127.0.0.1", metrics_port, setting="FAQBOT_METRICS_PORT", reuse_port=shared_metrics)
            if metrics_port
            else None
        )
    except CannotListen:
        bot.close()
        raise
    return Listeners(bot, metrics)
