"""The aiohttp routes: `POST /api/messages` for the Bot Connector, `/healthz` and `/readyz` for probes.

Requests are checked here before any Bot Framework code sees them, so bad input gets a clear
4xx instead of an SDK crash: 415 without a JSON Content-Type, 413 over 256 KiB, 408 when the
body does not arrive within the body timeout, 400 for anything that is not a well-typed activity.
A result carrying `retry_after` (503 when the bot is busy) is answered with a Retry-After header.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Protocol

from aiohttp import web

from adapters.web.inbound_guard import HANDLED_TYPES
from adapters.web.metrics import Metrics
from adapters.web.readiness import ReadinessCheck, run_checks
from adapters.web.turn_result import TurnResult

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024
LOCAL_MODE_WARNING = "local mode: requests are not authenticated; only this machine may connect"

# Top-level activity fields the bot reads, with the JSON types they must have when present.
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "channelId": (str,),
    "serviceUrl": (str,),
    "text": (str,),
    "textFormat": (str,),
    "locale": (str,),
    "name": (str,),
    "replyToId": (str,),
    "timestamp": (str,),
    "from": (dict,),
    "recipient": (dict,),
    "conversation": (dict,),
    "channelData": (dict,),
    "entities": (list,),
    "attachments": (list,),
    "membersAdded": (list,),
    "membersRemoved": (list,),
}
# Fields of `from`, `recipient` and `conversation` that must be strings when present.
_ACCOUNT_STRINGS = ("id", "name", "aadObjectId", "role", "conversationType", "tenantId")
# Top-level strings used as keys, stored or echoed back: they must be valid Unicode. (Message
# text is cleaned by the dialogue instead, so staff get an answer.)
_IDENTIFYING_FIELDS = ("id", "channelId", "serviceUrl", "replyToId", "locale", "name", "timestamp", "textFormat")


class ActivityProcessor(Protocol):
    """Runs one activity (already parsed JSON) with the request's Authorization header."""

    async def process(self, body: Mapping[str, Any], authorization: str) -> TurnResult: ...


def create_routes(
    processor: ActivityProcessor,
    *,
    local_mode: bool,
    readiness: Sequence[ReadinessCheck] = (),
    body_timeout: float = 10.0,
) -> list[web.RouteDef]:
    """Routes for the bot endpoint and the health probes."""

    async def messages(request: web.Request) -> web.StreamResponse:
        if local_mode and not _is_loopback(request.remote):
            raise _error(web.HTTPForbidden, "local mode accepts connections from this machine only")
        try:
            body = await _read_activity(request, body_timeout)
        except _BodyTimeout:
            return await _timeout_and_close(request)
        result = await processor.process(body, request.headers.get("Authorization", ""))
        headers = {"Retry-After": str(result.retry_after)} if result.retry_after is not None else None
        if result.body is None:
            return web.Response(status=result.status, headers=headers)
        return web.json_response(result.body, status=result.status, headers=headers)

    async def healthz(_request: web.Request) -> web.Response:
        status: dict[str, str] = {"status": "ok", "mode": "local" if local_mode else "production"}
        if local_mode:
            status["warning"] = LOCAL_MODE_WARNING
        return web.json_response(status)

    async def readyz(_request: web.Request) -> web.Response:
        checks = await run_checks(readiness)
        ready = all(checks.values())
        return web.json_response(
            {"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503
        )

    return [web.post("/api/messages", messages), web.get("/healthz", healthz), web.get("/readyz", readyz)]


def metrics_middleware(metrics: Metrics) -> Callable[..., Awaitable[web.StreamResponse]]:
    """Counts `/api/messages` requests by status and records their latency."""

    @web.middleware
    async def measure(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if request.path != "/api/messages":
            return await handler(request)
        started = time.perf_counter()
        status = 500
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        finally:
            metrics.requests.inc(status=str(status))
            metrics.latency.observe(time.perf_counter() - started)

    return measure


def _is_loopback(remote: str | None) -> bool:
    if not remote:
        return False
    try:
        return ipaddress.ip_address(remote.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


async def _read_body(request: web.Request, timeout: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(timeout):
            while chunk := await request.content.readany():
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise _error(web.HTTPRequestEntityTooLarge, "activity too large", max_size=MAX_BODY_BYTES)
                chunks.append(chunk)
    except TimeoutError:
        raise _BodyTimeout from None
    return b"".join(chunks)


class _BodyTimeout(Exception):
    """The body did not arrive within the body timeout."""


async def _timeout_and_close(request: web.Request) -> web.StreamResponse:
    """Answer 408 and close the connection at once.

    aiohttp would otherwise keep reading ("lingering") the rest of a stalled body for 10 s.
    """
    response = web.json_response({"error": "the request body did not arrive in time"}, status=408)
    response.force_close()
    await response.prepare(request)
    await response.write_eof()
    request.protocol.force_close()
    return response


async def _read_activity(request: web.Request, timeout: float) -> Mapping[str, Any]:
    content_type = request.headers.get("Content-Type")
    if content_type is None:
        raise _error(web.HTTPUnsupportedMediaType, "Content-Type is missing; send application/json")
    if "application/json" not in content_type.lower():
        raise _error(web.HTTPUnsupportedMediaType, "Content-Type must be application/json")
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise _error(web.HTTPRequestEntityTooLarge, "activity too large", max_size=MAX_BODY_BYTES)
    raw = await _read_body(request, timeout)
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        raise _error(web.HTTPBadRequest, "body is not valid JSON") from None
    if not isinstance(body, dict):
        raise _error(web.HTTPBadRequest, "activity must be a JSON object")
    if not isinstance(body.get("type"), str) or not body["type"]:
        raise _error(web.HTTPBadRequest, "activity needs a 'type'")
    for field, types in _FIELD_TYPES.items():
        if body.get(field) is not None and not isinstance(body[field], types):
            raise _error(web.HTTPBadRequest, f"activity field '{field}' has the wrong type")
    for field in _IDENTIFYING_FIELDS:
        if not _unicode(body.get(field)):
            raise _error(web.HTTPBadRequest, f"activity field '{field}' is not valid Unicode")
    for field in ("from", "recipient", "conversation"):
        _check_account(body.get(field), field)
    for field in ("membersAdded", "membersRemoved"):
        for member in body.get(field) or []:
            if not isinstance(member, dict) or not isinstance(member.get("id"), str):
                raise _error(web.HTTPBadRequest, f"activity field '{field}' must list accounts with an 'id'")
            _check_account(member, field)
    for entity in body.get("entities") or []:
        if not isinstance(entity, dict):
            raise _error(web.HTTPBadRequest, "activity entities must be objects")
        if entity.get("type") == "mention":
            mentioned = entity.get("mentioned")
            if not isinstance(mentioned, dict) or not isinstance(mentioned.get("id"), str):
                raise _error(web.HTTPBadRequest, "a mention needs 'mentioned.id'")
            if entity.get("text") is not None and not isinstance(entity["text"], str):
                raise _error(web.HTTPBadRequest, "a mention's 'text' must be a string")
    if body["type"] in HANDLED_TYPES:
        for field in ("from", "conversation", "recipient"):
            part = body.get(field)
            if not isinstance(part, dict) or not isinstance(part.get("id"), str) or not part["id"]:
                raise _error(web.HTTPBadRequest, f"activity needs '{field}.id'")
        service_url = body.get("serviceUrl")
        if not isinstance(service_url, str) or not service_url.startswith(("https://", "http://")):
            raise _error(web.HTTPBadRequest, "activity needs a 'serviceUrl'")
    return body


def _check_account(part: Any, field: str) -> None:
    if not isinstance(part, dict):
        return
    for key in _ACCOUNT_STRINGS:
        if part.get(key) is not None and not isinstance(part[key], str):
            raise _error(web.HTTPBadRequest, f"activity field '{field}.{key}' has the wrong type")
        if not _unicode(part.get(key)):
            raise _error(web.HTTPBadRequest, f"activity field '{field}.{key}' is not valid Unicode")


def _unicode(value: Any) -> bool:
    """False for a string JSON let through that UTF-8 cannot hold (a lone surrogate such as
    "\\ud800"): it cannot be a key, a database value or part of a reply."""
    if not isinstance(value, str):
        return True
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def _error(kind: type[web.HTTPException], reason: str, **extra: int) -> web.HTTPException:
    payload = json.dumps({"error": reason})
    if kind is web.HTTPRequestEntityTooLarge:
        return web.HTTPRequestEntityTooLarge(
            max_size=extra["max_size"],
            actual_size=extra["max_size"] + 1,
            text=payload,
            content_type="application/json",
        )
    return kind(text=payload, content_type="application/json")
