"""Property-based: any JSON the Bot Connector could be made to carry gets a 4xx or a clean turn, never a 5xx."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.config.settings import Settings
from app import create_app
from tests import activities
from tests.databases import temporary_sqlite_url
from tests.fake_connector import FakeConnector, fake_connector

FIELDS = [
    "type",
    "id",
    "text",
    "value",
    "from",
    "recipient",
    "conversation",
    "channelData",
    "entities",
    "attachments",
    "serviceUrl",
    "channelId",
    "timestamp",
    "localTimestamp",
    "locale",
    "name",
    "replyToId",
    "textFormat",
    "membersAdded",
    "action",
    "summary",
    "importance",
]
TYPES = ["message", "invoke", "conversationUpdate", "installationUpdate", "event", "typing", "messageReaction"]

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
any_text = st.text(st.characters(codec=None), max_size=300)  # includes surrogates, controls, RTL marks


@st.composite
def mutated_activities(draw: st.DrawFn, service_url: str) -> dict[str, Any]:
    """A Teams message with some fields replaced by arbitrary JSON or text."""
    # A conversation per example: the outbound pacer would otherwise (rightly) slow one conversation down.
    body = activities.message(service_url, draw(any_text), conversation_id=f"a:{draw(st.uuids())}")
    body["type"] = draw(st.sampled_from(TYPES) | st.text(max_size=10))
    for field in draw(st.lists(st.sampled_from(FIELDS), max_size=4, unique=True)):
        body[field] = draw(json_values | any_text)
    for part in draw(st.lists(st.sampled_from(["from", "conversation", "recipient"]), max_size=2, unique=True)):
        if isinstance(body.get(part), dict):
            body[part][draw(st.sampled_from(["id", "name", "aadObjectId", "role", "tenantId", "conversationType"]))] = (
                draw(json_values)
            )
    if draw(st.booleans()):
        body["value"] = draw(
            st.dictionaries(st.sampled_from(["action", "entry", "msteams", "x"]), json_values, max_size=3)
        )
    return body


def run_property(examples: int, strategy_for: Any) -> None:
    async def start() -> tuple[TestClient, Any, FakeConnector]:
        connector_context = fake_connector()
        connector = await connector_context.__aenter__()
        client = TestClient(
            TestServer(
                create_app(Settings(local_mode=True, metrics_port=0, database_url=temporary_sqlite_url())),
                host="127.0.0.1",
            )
        )
        await client.start_server()
        return client, connector_context, connector

    with asyncio.Runner() as runner:
        client, connector_context, connector = runner.run(start())
        try:

            @settings(
                max_examples=examples,
                deadline=None,
                derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            )
            @given(data=st.data())
            def check(data: st.DataObject) -> None:
                body = data.draw(strategy_for(connector.url))
                before = len(connector.calls)

                async def post() -> int:
                    payload = json.dumps(body).encode()
                    response = await client.post(
                        "/api/messages", data=payload, headers={"Content-Type": "application/json"}
                    )
                    return response.status

                status = runner.run(post())
                assert status < 500, status
                for call in connector.calls[before:]:
                    assert "went wrong" not in str((call.body or {}).get("text")), "a turn failed"

            check()

            async def healthy() -> int:
                return (await client.get("/healthz")).status

            assert runner.run(healthy()) == 200
        finally:
            runner.run(client.close())
            runner.run(connector_context.__aexit__(None, None, None))


def test_mutated_teams_activities_never_get_a_5xx_or_a_failed_turn() -> None:
    run_property(400, mutated_activities)


def test_arbitrary_json_objects_never_get_a_5xx() -> None:
    run_property(
        200, lambda _url: st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=6), json_values, max_size=8)
    )
