"""Helpers shared by test modules: paths, the bot's environment, waiting without fixed sleeps,
talking to the bot over HTTP, the HR Direct flow, and personal-data rows.

Test modules import shared helpers from here only, never from one another or from conftest.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import inspect
import io
import logging
import os
import socket
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from unittest.mock import patch

import sqlalchemy as sa
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.ext.asyncio import AsyncEngine

import app
from adapters.config.settings import Settings
from adapters.store import create_engine
from adapters.store.tables import ticket_events, ticket_outbox, tickets
from adapters.store.tickets import SqlTicketStore
from adapters.teams.ticket_courier import OutboxBackoff
from app import Components, create_app
from tests import activities
from tests.fake_connector import ConnectorCall, FakeConnector, card_of
from tests.key_server import APP_ID, KeyServer

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_CORPUS = ROOT / "knowledge" / "data"
HR_DIRECT_URL = "https://teams.microsoft.com/l/chat/0/0?users=hr.direct@example.org"


# --- the bot as a process ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(**extra: str) -> dict[str, str]:
    """The environment for `python app.py ...`: ours without any bot settings, local mode, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("Microsoft", "FAQBOT_"))}
    return env | {"FAQBOT_LOCAL_MODE": "1", "FAQBOT_METRICS_PORT": "0"} | extra


@dataclass(frozen=True)
class CommandResult:
    """What a `faqbot` command returned and printed."""

    returncode: int
    stdout: str
    stderr: str


def run_faqbot(*args: str, **env: str) -> CommandResult:
    """`python app.py *args` with `environment(**env)`, run in this process through `app.main`:
    the same parsing, settings and exit codes without starting an interpreter. Not for commands
    that serve or read stdin."""
    out, err = io.StringIO(), io.StringIO()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level  # the command configures logging for itself
    try:
        with (
            patch.dict(os.environ, environment(**env), clear=True),
            contextlib.chdir(ROOT),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            try:
                code = app.main(list(args))
            except SystemExit as exit_:  # argparse refusing the arguments
                code = exit_.code if isinstance(exit_.code, int) else 2
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    return CommandResult(code, out.getvalue(), err.getvalue())


def production_settings(keys: KeyServer, **changes: object) -> Settings:
    """Production mode against the local key server; replies may go to the fake connector on 127.0.0.1."""
    values: dict[str, object] = {
        "app_id": APP_ID,
        "app_password": "not-a-real-secret",
        "app_tenant_id": activities.TENANT,
        "allowed_tenants": (activities.TENANT,),
        "service_url_hosts": ("127.0.0.1",),
        "openid_metadata_url": keys.metadata_url,
        "key_fetch_timeout": 1.0,
        "metrics_port": 0,
        "hr_direct_url": HR_DIRECT_URL,
        "pseudonym_salt": "a-long-random-test-secret",
        "database_url": f"sqlite:///{tempfile.mkdtemp(prefix='faqbot-test-')}/bot.sqlite3",
    }
    return Settings.model_validate(values | changes)


# --- waiting ----------------------------------------------------------------------------------


async def until(predicate: Callable[[], Any], timeout: float = 8.0, interval: float = 0.05) -> Any:
    """Poll `predicate` (plain or async) until it returns something truthy, and return that;
    TimeoutError after `timeout` seconds."""
    async with asyncio.timeout(timeout):
        while True:
            result = predicate()
            if inspect.isawaitable(result):
                result = await result
            if result:
                return result
            await asyncio.sleep(interval)


async def outbox_drained(database_url: str, timeout: float = 8.0) -> None:
    """Wait until every queued helpdesk delivery is delivered or given up. A delivered message is
    never sent again, so what the connector has received by then is all it will receive."""
    engine = create_engine(database_url)
    try:
        store = SqlTicketStore(engine)
        await until(lambda: _is_zero(store.undelivered()), timeout=timeout)
    finally:
        await engine.dispose()


async def _is_zero(count: Awaitable[int]) -> bool:
    return await count == 0


# --- the bot over HTTP ------------------------------------------------------------------------


async def ask(client: TestClient, connector: FakeConnector, activity: dict[str, Any]) -> dict[str, Any]:
    """Post `activity` and return the one reply it gets."""
    before = len(connector.activities())
    response = await client.post("/api/messages", json=activity)
    assert response.status in {200, 201}, await response.text()
    replies = await connector.wait_for(before + 1)
    assert len(replies) == before + 1
    return replies[-1]


async def post(client: TestClient, activity: dict[str, Any]) -> None:
    response = await client.post("/api/messages", json=activity)
    assert response.status in {200, 201}, f"HTTP {response.status}: {await response.text()}"


# --- HR Direct ---------------------------------------------------------------------------------

HR_CHANNEL = "19:hr-direct@thread.tacv2"
HR_TEAM = "19:team@thread.tacv2"
REGISTRAR = "aad-hr-lead"
HR_AGENT = {"user_id": "29:hr-agent", "aad_object_id": "aad-hr-agent", "name": "Bea Agent"}
FAST = OutboxBackoff(base_seconds=0.2, cap_seconds=2.0, lease_seconds=30.0, poll_seconds=0.1)
QUESTION = "how do I book annual leave when my manager is off sick"
CREATE = "/v3/conversations"


@asynccontextmanager
async def serve(
    store_url: str, sdk: str = "botbuilder", policy: OutboxBackoff = FAST, **extra: str
) -> AsyncIterator[TestClient]:
    """The bot on the SDK `sdk` with HR Direct registrars on `store_url`, over HTTP on 127.0.0.1."""
    settings = Settings(
        database_url=store_url,
        hr_registrars=f"{REGISTRAR}, aad-someone-else",
        local_mode=True,
        metrics_port=0,
        sdk=sdk,
        **extra,
    )
    async with TestClient(
        TestServer(create_app(settings, replace(Components.real(settings), outbox_backoff=policy)), host="127.0.0.1")
    ) as client:
        yield client


def in_hr_channel(
    service_url: str,
    *,
    text: str | None = None,
    value: dict[str, Any] | None = None,
    thread: str = HR_CHANNEL,
    **sender: str,
) -> dict[str, Any]:
    who = sender or {
        "user_id": HR_AGENT["user_id"],
        "aad_object_id": HR_AGENT["aad_object_id"],
        "name": HR_AGENT["name"],
    }
    activity = activities.message(
        service_url,
        text,
        value=value,
        conversation_type="channel",
        conversation_id=thread,
        mention_bot=text is not None,
        **who,
    )
    activity["channelData"]["channel"]["id"] = HR_CHANNEL
    activity["channelData"]["team"]["id"] = HR_TEAM
    return activity


async def register(client: TestClient, connector: FakeConnector) -> None:
    before = len(connector.activities())
    await post(
        client,
        in_hr_channel(
            connector.url, text="register this channel", user_id="29:lead", aad_object_id=REGISTRAR, name="Lead"
        ),
    )
    replies = await connector.wait_for(before + 1)
    assert "now the HR Direct channel" in replies[-1]["text"]


async def reply_to(client: TestClient, connector: FakeConnector, activity: dict[str, Any]) -> dict[str, Any]:
    before = len([c for c in connector.calls if c.path.endswith(f"/activities/{activity['id']}")])
    await post(client, activity)
    calls = await until(
        lambda: [c for c in connector.calls if c.path.endswith(f"/activities/{activity['id']}")][before:] or None
    )
    return calls[-1].body


def submit_data(card: dict[str, Any]) -> dict[str, Any]:
    (action,) = [a for a in card["actions"] if a["type"] == "Action.Submit"]
    return action["data"]


async def file_ticket(
    client: TestClient, connector: FakeConnector, *, identity: str = "named", details: str = "I work nights."
) -> dict[str, Any]:
    """Ask a question the FAQ cannot answer, open the HR Direct form and send it; the confirmation."""
    no_answer = await reply_to(client, connector, activities.message(connector.url, QUESTION))
    ask_hr = next(a for a in card_of(no_answer)["actions"] if a["title"] == "Ask HR Direct")
    assert ask_hr["type"] == "Action.Submit"
    form = card_of(await reply_to(client, connector, activities.message(connector.url, value=ask_hr["data"])))
    question_input = next(e for e in form["body"] if e.get("id") == "question")
    assert question_input["value"] == QUESTION  # pre-filled and editable
    submitted = {**submit_data(form), "question": question_input["value"], "details": details, "identity": identity}
    return await reply_to(client, connector, activities.message(connector.url, value=submitted))


def creates(connector: FakeConnector) -> list[ConnectorCall]:
    return [c for c in connector.calls if c.method == "POST" and c.path == CREATE]


def hr_card(call: ConnectorCall) -> dict[str, Any]:
    return card_of(call.body["activity"])


def hr_action(card: dict[str, Any], title: str) -> dict[str, Any]:
    for action in card["actions"]:
        if action["title"] == title:
            return action["data"] if action["type"] == "Action.Submit" else action["card"]["actions"][0]["data"]
    raise AssertionError(f"no {title!r} on the card: {[a['title'] for a in card['actions']]}")


def staff_messages(connector: FakeConnector) -> list[dict[str, Any]]:
    return [c.body for c in connector.calls if c.method == "POST" and "a:staff-conversation" in c.path]


# --- personal data rows ------------------------------------------------------------------------

RETENTION_NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
ADA, BEN, HR = "aad-ada", "aad-ben", "aad-hr-agent"


async def add_ticket(engine: AsyncEngine, number: int, aad: str, *, status: str, age_days: int, question: str) -> None:
    """A ticket by `aad`, `age_days` before RETENTION_NOW, with one history line and one delivered notice."""
    at = RETENTION_NOW - dt.timedelta(days=age_days)
    async with engine.begin() as connection:
        await connection.execute(
            sa.insert(tickets).values(
                number=number,
                idempotency_key=f"key-{number}",
                token=f"token-{number}",
                requester_user_id=f"29:{aad}",
                requester_aad_id=aad,
                requester_name=f"Name of {aad}",
                anonymous=False,
                requester_reference={"user": {"id": f"29:{aad}"}},
                question=question,
                details="",
                status=status,
                suggested_as_faq=False,
                version=1,
                created_at=at,
                updated_at=at,
            )
        )
        await connection.execute(
            sa.insert(ticket_events).values(
                ticket_number=number,
                at=at,
                kind="assigned",
                actor_name="Bea Agent",
                actor_aad_id=HR,
                note=None,
            )
        )
        await connection.execute(
            sa.insert(ticket_outbox).values(
                ticket_number=number,
                kind="notice",
                payload={"text": f"answer to {question}"},
                attempts=1,
                due_at=at,
                delivered_at=at,
                created_at=at,
            )
        )
