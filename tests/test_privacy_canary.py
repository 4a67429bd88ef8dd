"""No staff text or identity reaches the logs or the metrics, whatever happens to a request.

Unique canary strings go into every field a request can carry (text, names, ids, Entra object
id, UPN and e-mail, card values, tenant, the Authorization header); requests succeed, are
refused, are malformed, make a turn fail, and meet a throttling or refusing connector. All logging
is captured at DEBUG through the application's own JSON handler, every library logger included,
on each SDK (FAQBOT_SDK). The SDKs' own records are captured raw as well: the Agents SDK's do carry
conversation and activity ids, and the handler keeps them out.
"""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.config.settings import Settings
from adapters.config.structured_log import configure_logging, user_ref
from app import METRICS_KEY, Components, create_app
from bot import Inbound, Reply
from tests import activities
from tests.databases import temporary_sqlite_url
from tests.fake_connector import FakeConnector
from tests.fake_credentials import FixedToken
from tests.key_server import KeyServer
from tests.support import production_settings

LIBRARY_LOGGERS = (
    "aiohttp",
    "aiohttp.access",
    "aiohttp.server",
    "aiohttp.client",
    "aiohttp.web",
    "botbuilder",
    "botframework",
    "msrest",
    "msal",
    "microsoft_agents",
    "urllib3",
    "requests",
    "asyncio",
    "adapters",
    "bot",
    "faqbot",
)
SDK_LOGGERS = ("botbuilder", "botframework", "msrest", "microsoft_agents")


class Canaries:
    def __init__(self) -> None:
        self.issued: list[str] = []

    def __call__(self, field: str) -> str:
        value = f"CANARY{field.replace('.', '')}{uuid.uuid4().hex[:10]}"
        self.issued.append(value)
        return value


class FailingDialogue:
    """Test-only: every turn fails, with the staff text in the exception message."""

    async def respond(self, message: Inbound) -> Reply:
        raise RuntimeError(f"could not handle {message.text!r} from {message.sender.name}")


class RawRecords(logging.Handler):
    """Every SDK record as the SDK made it, arguments filled in: what a naive handler would write."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.split(".")[0] in SDK_LOGGERS:
            self.messages.append(record.getMessage())


@pytest.fixture
def raw_sdk_records() -> Iterator[RawRecords]:
    raw = RawRecords()
    logging.getLogger().addHandler(raw)
    try:
        yield raw
    finally:
        logging.getLogger().removeHandler(raw)


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    levels = {name: logging.getLogger(name).level for name in LIBRARY_LOGGERS}
    stream = io.StringIO()
    configure_logging("DEBUG", stream)
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def marked(canary: Canaries, service_url: str, **extra: Any) -> dict[str, Any]:
    """A Teams message with a canary in every field that can carry staff data."""
    body = activities.message(
        service_url,
        f"my sickness absence {canary('text')}",
        conversation_id=f"a:{canary('conversation.id')}",
        user_id=f"29:{canary('from.id')}",
        aad_object_id=canary("aadObjectId"),
        name=canary("from.name"),
        activity_id=canary("id"),
    )
    body["from"] |= {"userPrincipalName": f"{canary('upn')}@nhsbt.example", "email": f"{canary('email')}@nhs.example"}
    body["recipient"]["name"] = canary("recipient.name")
    body["replyToId"] = canary("replyToId")
    body["channelData"]["note"] = canary("channelData")
    body["locale"] = canary("locale")
    return body | extra


async def test_no_canary_reaches_logs_or_metrics(
    log_output: io.StringIO, raw_sdk_records: RawRecords, keys: KeyServer, connector: FakeConnector, sdk: str
) -> None:
    canary = Canaries()
    settings = production_settings(keys, sdk=sdk)
    app = create_app(settings, replace(Components.real(settings), credentials=FixedToken()))
    local_settings = Settings(local_mode=True, metrics_port=0, database_url=temporary_sqlite_url(), sdk=sdk)
    failing = create_app(
        local_settings, replace(Components.real(local_settings), dialogue=lambda _knowledge: FailingDialogue())
    )
    async with (
        TestClient(TestServer(app, host="127.0.0.1")) as client,
        TestClient(TestServer(failing, host="127.0.0.1")) as local,
    ):

        def token() -> dict[str, str]:
            return {"Authorization": f"Bearer {keys.token(connector.url)}"}

        statuses = []
        # Answered, with a card submit too, and through a throttled connector.
        connector.scripted = [(429, {"Retry-After": "0"}), (502, {})]
        for body in (
            marked(canary, connector.url),
            marked(canary, connector.url, text="", value={"action": "show-entry", "entry": canary("value")}),
            marked(canary, connector.url, value={"action": canary("value.action")}),
        ):
            statuses.append((await client.post("/api/messages", json=body, headers=token())).status)
        # The connector refuses the reply for good: the turn fails in the SDK's connector client.
        connector.scripted = [(403, {})]
        statuses.append(
            (await client.post("/api/messages", json=marked(canary, connector.url), headers=token())).status
        )
        # Refused: forged tokens carrying canaries, a foreign tenant, a non-Teams channel.
        for header in (
            f"Bearer {canary('token')}",
            f"Basic {canary('basic')}",
            f"Bearer {keys.token(connector.url, aud=canary('aud'))}",
        ):
            statuses.append(
                (
                    await client.post(
                        "/api/messages", json=marked(canary, connector.url), headers={"Authorization": header}
                    )
                ).status
            )
        foreign = marked(canary, connector.url, channelData={"tenant": {"id": canary("tenant")}})
        foreign["conversation"]["tenantId"] = foreign["channelData"]["tenant"]["id"]
        statuses.append((await client.post("/api/messages", json=foreign, headers=token())).status)
        statuses.append(
            (
                await client.post(
                    "/api/messages", json=marked(canary, connector.url, channelId="webchat"), headers=token()
                )
            ).status
        )
        # Malformed: not JSON, wrong types, values botbuilder cannot read.
        statuses.append(
            (
                await client.post(
                    "/api/messages",
                    data=f'{{"text": "{canary("raw")}"',
                    headers={"Content-Type": "application/json"} | token(),
                )
            ).status
        )
        statuses.append(
            (
                await client.post(
                    "/api/messages",
                    json=marked(canary, connector.url, text={"q": canary("text.object")}),
                    headers=token(),
                )
            ).status
        )
        statuses.append(
            (
                await client.post(
                    "/api/messages", json=marked(canary, connector.url, timestamp=canary("timestamp")), headers=token()
                )
            ).status
        )
        # A turn that fails with the staff text in its exception, in local mode.
        statuses.append((await local.post("/api/messages", json=marked(canary, connector.url))).status)
        metrics = app[METRICS_KEY].render() + failing[METRICS_KEY].render()

    assert statuses == [201, 201, 201, 201, 401, 401, 401, 403, 403, 400, 400, 400, 201]
    output = log_output.getvalue()
    # The capture works: the events happened and were logged, by name.
    for event in ("request rejected", "turn failed: RuntimeError", "activity not readable"):
        assert event in output
    assert all(json.loads(line) for line in output.splitlines())
    # The Agents SDK's connector client logs conversation and activity ids (in its records' arguments):
    # the handler is what keeps them out. botbuilder's records carry none of them at any level.
    logged_by_sdk = [c for c in canary.issued if any(c in message for message in raw_sdk_records.messages)]
    assert bool(logged_by_sdk) is (sdk == "agents")
    leaked = [c for c in canary.issued if c in output or c in metrics]
    assert leaked == []
    assert "sickness" not in output


def test_user_ref_is_a_salted_hash() -> None:
    assert user_ref("29:someone", "salt-a") == user_ref("29:someone", "salt-a")
    assert user_ref("29:someone", "salt-a") != user_ref("29:someone", "salt-b")
    assert "someone" not in user_ref("29:someone", "salt-a")


def test_an_sdk_logger_with_a_handler_of_its_own_still_writes_only_templates_through_ours() -> None:
    root, sdk_root = logging.getLogger(), logging.getLogger("microsoft_agents")
    saved = (root.handlers[:], root.level, sdk_root.handlers[:], sdk_root.level, sdk_root.propagate)
    # What the Agents SDK's own environment-driven logging set-up does: a console handler, no propagation.
    foreign = io.StringIO()
    sdk_root.handlers[:] = [logging.StreamHandler(foreign)]
    sdk_root.propagate = False
    sdk_root.setLevel(logging.DEBUG)
    ours = io.StringIO()
    try:
        configure_logging("DEBUG", ours)
        connector_log = logging.getLogger("microsoft_agents.hosting.core.connector.client.connector_client")
        connector_log.info("Replying to activity: %s in conversation: %s", "CANARYactivity", "CANARYconversation")
        connector_log.error("Error accessing '%s': %s", "v3/conversations/CANARYconversation/activities", 403)
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
        sdk_root.handlers[:], sdk_root.level, sdk_root.propagate = saved[2], saved[3], saved[4]
    assert foreign.getvalue() == ""
    (line,) = ours.getvalue().splitlines()
    assert json.loads(line)["message"] == "Error accessing '%s': %s"
