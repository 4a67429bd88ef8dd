"""The aiohttp routes: `POST /api/messages` for the Bot Connector, `GET /healthz` for probes.

Requests are checked here before any Bot Framework code sees them, so bad input gets a clear
4xx instead of an SDK crash.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any, Protocol

from aiohttp import web

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024
# Activity types the bot acts on; anything else is acknowledged and ignored.
HANDLED_TYPES = frozenset({"message", "invoke", "conversationUpdate", "installationUpdate"})


class TurnResultLike(Protocol):
    status: int
    body: Any


class ActivityProcessor(Protocol):
    """Runs one activity (already parsed JSON) with the request's Authorization header."""

    async def process(self, body: Mapping[str, Any], authorization: str) -> TurnResultLike: ...


def create_routes(processor: ActivityProcessor, *, local_mode: bool) -> list[web.RouteDef]:
    """Routes for the bot endpoint and the health probe."""

    async def messages(request: web.Request) -> web.StreamResponse:
        body = await _read_activity(request)
        if body["type"] not in HANDLED_TYPES:
            return web.Response(status=200)
        result = await processor.process(body, request.headers.get("Authorization", ""))
        if result.body is None:
            return web.Response(status=result.status)
        return web.json_response(result.body, status=result.status)

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "mode": "local" if local_mode else "production"})

    return [web.post("/api/messages", messages), web.get("/healthz", healthz)]


async def _read_activity(request: web.Request) -> Mapping[str, Any]:
    if "application/json" not in request.headers.get("Content-Type", ""):
        raise _error(web.HTTPUnsupportedMediaType, "Content-Type must be application/json")
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise _error(web.HTTPRequestEntityTooLarge, "activity too large", max_size=MAX_BODY_BYTES)
    raw = await request.content.read(MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        raise _error(web.HTTPRequestEntityTooLarge, "activity too large", max_size=MAX_BODY_BYTES)
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        raise _error(web.HTTPBadRequest, "body is not valid JSON") from None
    if not isinstance(body, dict):
        raise _error(web.HTTPBadRequest, "activity must be a JSON object")
    if not isinstance(body.get("type"), str) or not body["type"]:
        raise _error(web.HTTPBadRequest, "activity needs a 'type'")
    if body["type"] in HANDLED_TYPES:
        for field in ("from", "conversation", "recipient"):
            part = body.get(field)
            if not isinstance(part, dict) or not isinstance(part.get("id"), str) or not part["id"]:
                raise _error(web.HTTPBadRequest, f"activity needs '{field}.id'")
        service_url = body.get("serviceUrl")
        if not isinstance(service_url, str) or not service_url.startswith(("https://", "http://")):
            raise _error(web.HTTPBadRequest, "activity needs a 'serviceUrl'")
    return body


def _error(kind: type[web.HTTPException], reason: str, **extra: int) -> web.HTTPException:
    payload = json.dumps({"error": reason})
    if kind is web.HTTPRequestEntityTooLarge:
        return web.HTTPRequestEntityTooLarge(
            max_size=extra["max_size"], actual_size=extra["max_size"] + 1, text=payload,
            content_type="application/json",
        )
    return kind(text=payload, content_type="application/json")
