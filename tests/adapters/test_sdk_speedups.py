"""The SDK speed-ups in adapters/teams/botbuilder/bot_framework.py change cost only, never what is sent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import Activity
from botframework.connector.auth import ClaimsIdentity
from msrest.serialization import Serializer

from adapters.teams.botbuilder.bot_framework import (
    MSREST_SERIALIZE_OBJECT,
    SendingAuthentication,
    speed_up_msrest_object_serialization,
)
from adapters.teams.botbuilder.turn import sdk_activity
from adapters.teams.connector_sender import ConnectorSender
from adapters.teams.messages import message_activity
from bot import Outbound
from tests import activities
from tests.fake_connector import FakeConnector, card_of, card_text
from tests.support import ask

CARD = {
    "type": "AdaptiveCard",
    "version": "1.5",
    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
    "body": [
        {"type": "TextBlock", "text": "Réponse « approuvée » 🙂", "wrap": True, "maxLines": 0, "spacing": None},
        {"type": "FactSet", "facts": [{"title": "Confidence", "value": "0.87"}], "weight": 0.875},
    ],
    "actions": [{"type": "Action.Submit", "title": "Yes", "data": {"action": "vote", "entry": "x", "n": [1, 2.5, -3]}}],
}


def test_plain_json_is_serialised_exactly_as_msrest_does(monkeypatch: pytest.MonkeyPatch) -> None:
    activity = MessageFactory.attachment(CardFactory.adaptive_card(CARD))
    # Not plain JSON: a date inside channelData still goes msrest's way.
    activity.channel_data = {"tenant": {"id": "t"}, "sent": dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)}
    activity.value = [{"a": True, "b": None}]
    speed_up_msrest_object_serialization()
    fast = activity.serialize()
    monkeypatch.setattr(Serializer, "serialize_object", MSREST_SERIALIZE_OBJECT)
    assert fast == activity.serialize()
    assert fast["attachments"][0]["content"] == CARD
    assert fast["channelData"]["sent"] == "2026-11-24T10:00:00.000Z"


@pytest.mark.parametrize(
    "message", [Outbound(card=CARD, summary="Réponse approuvée"), Outbound(text="Plain words", summary="Plain words")]
)
def test_a_reply_becomes_the_activity_msrest_would_read_from_its_json(message: Outbound) -> None:
    fast = sdk_activity(message)
    assert fast.serialize() == Activity().deserialize(message_activity(message)).serialize()


async def test_the_user_token_client_is_built_only_when_a_token_is_asked_for() -> None:
    built: list[ClaimsIdentity] = []

    class RealClient:
        async def get_token_status(self, user_id: str, channel_id: str, include_filter: str) -> Any:
            return ("status", user_id)

    class Inner:
        async def create_user_token_client(self, claims: ClaimsIdentity) -> RealClient:
            built.append(claims)
            return RealClient()

    identity = ClaimsIdentity({}, True)
    client = await SendingAuthentication(Inner(), ConnectorSender()).create_user_token_client(identity)  # type: ignore[arg-type]
    assert built == []  # a turn that never signs anyone in builds nothing
    assert await client.get_token_status("29:u", "msteams", "") == ("status", "29:u")
    assert await client.get_token_status("29:v", "msteams", "") == ("status", "29:v")
    assert built == [identity]


async def test_replies_of_later_turns_reuse_the_connection_to_the_bot_connector(
    bot_client: TestClient, connector: FakeConnector
) -> None:
    asked = [
        activities.message(connector.url, "Can liking a post on social media be a cause for concern for me?"),
        activities.message(connector.url, "how do I book annual leave", conversation_id="a:another-conversation"),
        activities.message(connector.url, "Can liking a post on social media be a cause for concern for me?"),
    ]
    replies = [await ask(bot_client, connector, activity) for activity in asked]
    assert "Care should be taken when liking or sharing a post" in card_text(card_of(replies[0]))
    assert "Ask HR Direct" in card_text(card_of(replies[1]))
    assert [call.path for call in connector.calls] == [
        f"/v3/conversations/{a['conversation']['id']}/activities/{a['id']}" for a in asked
    ]
    # botbuilder makes a connector client per turn; a new client opened a new connection for every reply.
    assert len({call.peer for call in connector.calls}) == 1
