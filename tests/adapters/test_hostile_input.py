"""Hostile input against the running server: a clear 4xx or a polite reply, never a 5xx or a crash."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests import activities
from tests.fake_connector import FakeConnector

JSON = {"Content-Type": "application/json"}
Activity = dict[str, Any]


@dataclass(frozen=True)
class Case:
    """`make(service_url)` gives the raw body; `statuses` the acceptable answers."""

    make: Callable[[str], bytes]
    statuses: frozenset[int]
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/json"),)
    replies: int | None = None  # exact number of replies expected, when it matters


def raw(text: str | bytes, *statuses: int, headers: tuple[tuple[str, str], ...] | None = None) -> Case:
    data = text.encode() if isinstance(text, str) else text
    return Case(lambda _url: data, frozenset(statuses), headers if headers is not None else Case.headers)


def activity(
    change: Callable[[Activity], Any],
    *statuses: int,
    replies: int | None = None,
    headers: tuple[tuple[str, str], ...] | None = None,
) -> Case:
    def make(url: str) -> bytes:
        body = activities.message(url, "what counts as a social media profile")
        change(body)
        return json.dumps(body).encode()

    return Case(make, frozenset(statuses), headers if headers is not None else Case.headers, replies)


def text(value: Any, *statuses: int, replies: int | None = 1) -> Case:
    return activity(lambda a: a.update(text=value), *statuses, replies=replies)


def submit(value: Any, replies: int | None = 1) -> Case:
    return activity(lambda a: (a.pop("text"), a.update(value=value)), 201, replies=replies)


def without(*path: str) -> Callable[[Activity], None]:
    def change(a: Activity) -> None:
        node = a
        for key in path[:-1]:
            node = node[key]
        node.pop(path[-1], None)

    return change


def set_path(value: Any, *path: str) -> Callable[[Activity], None]:
    def change(a: Activity) -> None:
        node = a
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


def nested(depth: int) -> Any:
    node: Any = "leaf"
    for _ in range(depth):
        node = {"n": node}
    return node


CASES: dict[str, Case] = {
    # The envelope
    "not JSON": raw("not json", 400),
    "truncated JSON": raw('{"type": "message"', 400),
    "empty body": raw("", 400),
    "JSON array": raw("[1, 2]", 400),
    "JSON null": raw("null", 400),
    "JSON string": raw('"message"', 400),
    "JSON number": raw("123", 400),
    "empty object": raw("{}", 400),
    "nested arrays 100k deep": raw("[" * 100_000 + "]" * 100_000, 400),
    "nested objects 30k deep": raw('{"a":' * 30_000 + "1" + "}" * 30_000, 400),
    "byte order mark": raw(b"\xef\xbb\xbf{}", 400),
    "invalid UTF-8": raw(b'{"type": "message", "text": "\xff\xfe\xfa"}', 400),
    "NaN as type": raw('{"type": NaN}', 400),
    "integer with 5000 digits": raw('{"type": "message", "id": ' + "9" * 5000 + "}", 400),
    "over 256 KiB": raw("x" * (300 * 1024), 413),
    "over 256 KiB of valid JSON": activity(lambda a: a.update(text="y" * (260 * 1024)), 413),
    # Content-Type
    "no Content-Type": activity(lambda a: None, 415, headers=()),
    "text/plain": activity(lambda a: None, 415, headers=(("Content-Type", "text/plain"),)),
    "form encoded": activity(lambda a: None, 415, headers=(("Content-Type", "application/x-www-form-urlencoded"),)),
    "multipart": activity(lambda a: None, 415, headers=(("Content-Type", "multipart/form-data; boundary=x"),)),
    "JSON with charset": activity(lambda a: None, 201, headers=(("Content-Type", "application/json; charset=utf-8"),)),
    "JSON in capitals": activity(lambda a: None, 201, headers=(("Content-Type", "APPLICATION/JSON"),)),
    # Wrong JSON types
    "type is a number": activity(set_path(123, "type"), 400),
    "type is null": activity(set_path(None, "type"), 400),
    "type is empty": activity(set_path("", "type"), 400),
    "type is a list": activity(set_path(["message"], "type"), 400),
    "text is an object": text({"$gt": ""}, 400, replies=0),
    "text is a list": text(["a"], 400, replies=0),
    "text is a number": text(42, 400, replies=0),
    "id is a number": activity(set_path(123, "id"), 400),
    "from is a string": activity(set_path("29:someone", "from"), 400),
    "from.id is a number": activity(set_path(29, "from", "id"), 400),
    "from.name is an object": activity(set_path({"x": 1}, "from", "name"), 400),
    "from.aadObjectId is a list": activity(set_path(["a"], "from", "aadObjectId"), 400),
    "conversationType is a number": activity(set_path(5, "conversation", "conversationType"), 400),
    "channelData is a string": activity(set_path("tenant", "channelData"), 400),
    "entities is an object": activity(set_path({"type": "mention"}, "entities"), 400),
    "attachments is a string": activity(set_path("card", "attachments"), 400),
    "serviceUrl is a number": activity(set_path(443, "serviceUrl"), 400),
    "timestamp is not a date": activity(set_path("yesterday-ish", "timestamp"), 400),
    "timestamp is a number": activity(set_path(1_700_000_000, "timestamp"), 400),
    # Missing parts
    "no from": activity(without("from"), 400),
    "from without id": activity(without("from", "id"), 400),
    "no conversation": activity(without("conversation"), 400),
    "conversation id empty": activity(set_path("", "conversation", "id"), 400),
    "no recipient": activity(without("recipient"), 400),
    "no serviceUrl": activity(without("serviceUrl"), 400),
    "serviceUrl not http": activity(set_path("ftp://127.0.0.1/", "serviceUrl"), 400),
    # Where replies would go, and from which client (local mode)
    "serviceUrl elsewhere": activity(set_path("https://attacker.example/", "serviceUrl"), 403),
    "serviceUrl cloud metadata": activity(set_path("http://169.254.169.254/", "serviceUrl"), 403),
    "serviceUrl with credentials": activity(
        lambda a: a.update(serviceUrl=a["serviceUrl"].replace("http://", "http://user:pass@")), 403
    ),
    "channel slack": activity(set_path("slack", "channelId"), 403),
    # Unknown activity types are acknowledged and ignored
    "type fooBar": activity(set_path("fooBar", "type"), 200, replies=0),
    "type typing": activity(set_path("typing", "type"), 200, replies=0),
    "type messageReaction": activity(set_path("messageReaction", "type"), 200, replies=0),
    "type endOfConversation": activity(set_path("endOfConversation", "type"), 200, replies=0),
    "type event": activity(set_path("event", "type"), 200, replies=0),
    "duplicate type keys": Case(
        lambda url: (
            json.dumps(activities.message(url, "hi"))
            .replace('"type": "message"', '"type": "message", "type": "fooBar"')
            .encode()
        ),
        frozenset({200}),
    ),
    # Text that reaches the dialogue: a polite reply each time
    "zero-width only": text("\u200b\u2060\ufeff\u200d", 201),
    "RTL override": text("\u202eeliforp aidem laicos\u202c what is a profile", 201),
    "combining mark flood": text("e" + "\u0301" * 5000, 201),
    "emoji only": text("🙂" * 200, 201),
    "lone surrogate": Case(
        lambda url: json.dumps(activities.message(url, "x")).replace('"text": "x"', '"text": "\\ud800 hi"').encode(),
        frozenset({201}),
        replies=1,
    ),
    "lone surrogate in id": Case(
        lambda url: json.dumps(activities.message(url, "x", activity_id="ID")).replace('"ID"', '"\\ud800"').encode(),
        frozenset({400}),
    ),
    "lone surrogate in conversation id": Case(
        lambda url: json.dumps(activities.message(url, "x")).replace('"a:staff-conversation"', '"a:\\udfff"').encode(),
        frozenset({400}),
    ),
    "lone surrogate in from.name": Case(
        lambda url: json.dumps(activities.message(url, "x")).replace('"Ada Staff"', '"Ada \\ud83d"').encode(),
        frozenset({400}),
    ),
    "NUL and control characters": text("social\x00media\x07profile\x1b[31m", 201),
    "markdown link injection": text("[Click to verify](https://evil.example) **urgent** # heading", 201),
    "HTML and script": text("<script>alert(1)</script><img src=x onerror=alert(1)>", 201),
    "Adaptive Card JSON in text": text(json.dumps({"type": "AdaptiveCard", "body": [{"type": "Input.Text"}]}), 201),
    "mention tags without entities": text("<at>HR Policy FAQ</at><at>", 201),
    "10,000 characters": text("policy " * 1500, 201),
    "200 KiB of text": text("a" * (200 * 1024), 201),
    "template expression": text("${user.name} {{7*7}} %s %n", 201),
    # Forged card submits: polite 'not available' or the real answer, never a crash
    "submit unknown entry": submit({"action": "show-entry", "entry": "../../etc/passwd"}),
    "submit entry as object": submit({"action": "show-entry", "entry": {"$ne": None}}),
    "submit unknown action": submit({"action": "escalate", "ticket": "99999"}),
    "submit action as list": submit({"action": ["show-entry"]}),
    "submit value is a string": activity(lambda a: a.update(value="show-entry"), 201, replies=1),
    "submit value is a list": activity(lambda a: (a.pop("text"), a.update(value=[1, 2, 3])), 201, replies=1),
    "submit value deeply nested": submit(nested(500)),
    "submit value 100 KiB": submit({"action": "show-entry", "entry": "x" * (100 * 1024)}),
    # Odd but well-formed activities
    "channelData 500 levels deep": activity(lambda a: a["channelData"].update(extra=nested(500)), 201),
    "mention of a string": activity(set_path([{"type": "mention", "mentioned": "bot"}], "entities"), 400),
    "entity that is a string": activity(set_path(["mention"], "entities"), 400),
    "localTimestamp is not a date": activity(set_path("soon", "localTimestamp"), 400),
    "attachment with odd content": activity(
        set_path([{"contentType": "text/html", "content": "<b>x</b>"}], "attachments"), 201
    ),
    "id with path traversal": activity(set_path("../../v3/conversations/other", "id"), 201, replies=1),
    "conversation id with slashes": activity(set_path("a:../../x?y#z", "conversation", "id"), 201, replies=1),
    "channel message without mention": activity(
        lambda a: a["conversation"].update(conversationType="channel"), 201, replies=0
    ),
    "unknown conversationType": activity(set_path("meeting", "conversation", "conversationType"), 201),
    "unknown invoke": activity(lambda a: a.update(type="invoke", name="fake/invoke", value={"x": 1}), 200),
    "invoke without name": activity(lambda a: a.update(type="invoke"), 200),
    "conversationUpdate adding null": activity(lambda a: a.update(type="conversationUpdate", membersAdded=[None]), 400),
    "conversationUpdate adding a number": activity(
        lambda a: a.update(type="conversationUpdate", membersAdded=[7]), 400
    ),
    "membersRemoved without id": activity(lambda a: a.update(type="conversationUpdate", membersRemoved=[{}]), 400),
    "mention with numeric text": activity(
        set_path([{"type": "mention", "text": 5, "mentioned": {"id": activities.BOT_ID}}], "entities"), 400
    ),
    "channel message without conversationType": activity(
        lambda a: (
            a["conversation"].pop("conversationType"),
            a["channelData"].update(channel={"id": "19:general@thread.tacv2"}, team={"id": "19:team@thread.tacv2"}),
        ),
        201,
        replies=0,
    ),
    "group chat without conversationType": activity(
        lambda a: (a["conversation"].pop("conversationType"), a["conversation"].update(isGroup=True)), 201, replies=0
    ),
    "conversationUpdate adding nobody": activity(lambda a: a.update(type="conversationUpdate", membersAdded=[]), 201),
    "installationUpdate": activity(lambda a: a.update(type="installationUpdate", action="add"), 201),
}


def test_there_are_at_least_sixty_cases() -> None:
    assert len(CASES) >= 60


@pytest.mark.parametrize("name", list(CASES))
async def test_hostile_case(
    bot_client: TestClient, connector: FakeConnector, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    case = CASES[name]
    caplog.set_level(logging.DEBUG)
    response = await bot_client.post("/api/messages", data=case.make(connector.url), headers=dict(case.headers))
    assert response.status in case.statuses, (response.status, await response.text())
    if case.replies is not None:
        if case.replies:
            await connector.wait_for(case.replies)
        assert len(connector.activities()) == case.replies
    for sent in connector.activities():
        assert "went wrong" not in str(sent.get("text")), "the turn failed"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "an error was logged"
    health = await bot_client.get("/healthz")
    assert health.status == 200
