"""A fake Bot Connector on 127.0.0.1: records what the bot sends, answers like Teams does."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class ConnectorCall:
    method: str
    path: str  # decoded: SDKs differ in how they escape a conversation id in the URL
    authorization: str | None
    body: Any
    size: int
    peer: int = 0  # the bot's TCP port: calls over one kept connection share it


@dataclass
class FakeConnector:
    """Every call the bot made, and a queue of scripted statuses to answer with."""

    url: str = ""
    calls: list[ConnectorCall] = field(default_factory=list)
    scripted: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    # Like `scripted`, but only for requests to one exact path (e.g. "/v3/conversations").
    scripted_paths: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    # Requests for which this is true are recorded and then never answered (a send in flight).
    hold: Callable[[ConnectorCall], bool] = lambda _call: False

    def activities(self) -> list[dict[str, Any]]:
        """Bodies of the activities the bot posted (replies and proactive sends)."""
        return [
            c.body
            for c in self.calls
            if c.method in {"POST", "PUT"} and isinstance(c.body, dict) and c.body.get("type") == "message"
        ]

    async def wait_for(self, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Wait until at least `count` activities have arrived; return them."""
        async with asyncio.timeout(timeout):
            while len(self.activities()) < count:
                self.arrived.clear()
                await self.arrived.wait()
        return self.activities()


def _card(activity: dict[str, Any]) -> dict[str, Any] | None:
    for attachment in activity.get("attachments") or []:
        if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
            return attachment["content"]
    return None


def card_of(activity: dict[str, Any]) -> dict[str, Any]:
    """The Adaptive Card of `activity` (fails the test when there is none)."""
    card = _card(activity)
    assert card is not None, f"no Adaptive Card in {activity}"
    return card


def card_text(card: dict[str, Any]) -> str:
    """All text a user can read on `card`: text blocks, facts and button titles."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("text", "title", "value", "placeholder", "label"):
                if isinstance(node.get(key), str):
                    parts.append(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in card.items() if k != "fallbackText"})
    return "\n".join(parts)


@asynccontextmanager
async def fake_connector() -> AsyncIterator[FakeConnector]:
    """Run a fake connector on 127.0.0.1 for the duration of the block."""
    connector = FakeConnector()
    counter = 0

    async def record(request: web.Request) -> web.Response:
        nonlocal counter
        raw = await request.read()
        body = json.loads(raw) if raw else None
        peer = request.transport.get_extra_info("peername")[1] if request.transport else 0
        connector.calls.append(
            ConnectorCall(request.method, request.path, request.headers.get("Authorization"), body, len(raw), peer)
        )
        connector.arrived.set()
        if connector.hold(connector.calls[-1]):
            await asyncio.Event().wait()
        queue = connector.scripted_paths.get(request.path) or connector.scripted
        if queue:
            status, headers = queue.pop(0)
            if status >= 400:
                return web.json_response(
                    {"error": {"code": "Scripted", "message": "scripted"}}, status=status, headers=headers
                )
        counter += 1
        if request.method == "POST" and request.path == "/v3/conversations":
            return web.json_response({"id": f"19:hr@thread.tacv2;messageid={counter}", "activityId": str(counter)})
        if request.method == "GET" and "/members/" in request.path:
            member = request.match_info.get("tail", "").rsplit("/", 1)[-1]
            return web.json_response({"id": member, "name": "Member"})
        return web.json_response({"id": f"activity-{counter}"}, status=201 if request.method == "POST" else 200)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", record)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    connector.url = str(server.make_url("/"))
    try:
        yield connector
    finally:
        await server.close()
