"""JSON-lines logging. Callers log event names and ids they own, never staff text or identity.

Third-party libraries (aiohttp, botbuilder, msrest, urllib3, the Microsoft 365 Agents SDK…) log
request lines, URLs with conversation ids and whole HTTP bodies at DEBUG/INFO; the Agents SDK's
connector client logs conversation and activity ids at INFO, and at ERROR when a call fails. Their
records therefore pass only at WARNING or above, and only as their message template, without the
arguments that could carry request data. Exceptions are logged as type and frames, never their
message.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import sys
import time
import traceback
from typing import TextIO

# Loggers of this project; everything else is third-party.
OWN_LOGGERS = ("faqbot", "adapters", "bot", "knowledge", "app", "__main__")
THIRD_PARTY_MIN_LEVEL = logging.WARNING
# Loggers that speak for a request: held at THIRD_PARTY_MIN_LEVEL where they are made (so the SDKs
# do not even format their per-call INFO records), and routed through our handler only, even if a
# library's own logging set-up gave them a handler of theirs.
QUIET_LOGGERS = ("aiohttp.access", "botbuilder", "botframework", "msrest", "msal", "microsoft_agents")


def _is_own(name: str) -> bool:
    return any(name == own or name.startswith(own + ".") for own in OWN_LOGGERS)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message (and traceback when present)."""

    def format(self, record: logging.LogRecord) -> str:
        # Third-party arguments may be URLs, headers or bodies: keep only the fixed template.
        message = record.getMessage() if _is_own(record.name) else str(record.msg)
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": message,
        }
        if record.exc_info and record.exc_info[0] is not None:
            # Type and frames only: an exception's message can quote what a user typed.
            entry["exception"] = record.exc_info[0].__name__
            entry["traceback"] = "".join(traceback.format_tb(record.exc_info[2]))
        return json.dumps(entry, ensure_ascii=False)


class ThirdPartyFilter(logging.Filter):
    """Drops third-party records below WARNING, whatever level their logger is set to."""

    def filter(self, record: logging.LogRecord) -> bool:
        return _is_own(record.name) or record.levelno >= THIRD_PARTY_MIN_LEVEL


def configure_logging(level: str, stream: TextIO | None = None) -> logging.Handler:
    """Send all logging to `stream` (stderr) as JSON lines at `level`; returns the handler."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ThirdPartyFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # aiohttp's access log would record client addresses and paths of every request; the SDKs, ids.
    for name in QUIET_LOGGERS:
        quiet = logging.getLogger(name)
        quiet.setLevel(THIRD_PARTY_MIN_LEVEL)
        quiet.handlers.clear()
        quiet.propagate = True
    return handler


def user_ref(user_id: str, salt: str) -> str:
    """A salted hash of a user id for correlating log events: not reversible without the salt."""
    digest = hmac.new(salt.encode("utf-8"), user_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return digest[:16]
