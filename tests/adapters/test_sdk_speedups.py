"""The SDK speed-ups in adapters/teams/botbuilder/bot_framework.py change cost only, never what is sent."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import botbuilder.schema as schema
import pytest
from aiohttp.test_utils import TestClient
from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityImportance,
    CardAction,
    ChannelAccount,
    ConversationAccount,
    Entity,
    Mention,
    SuggestedActions,
)
from botframework.connector.auth import ClaimsIdentity
from msrest.serialization import Serializer

from adapters.teams.botbuilder.activity_json import MSREST_BODY, activity_body, speed_up_msrest_activity_bodies
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

MODELS = {name: model for name, model in vars(schema).items() if isinstance(model, type)}

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


def sent_reply(message: Outbound) -> Activity:
    """`message` as botbuilder sends it in reply: addressed with the turn's conversation reference."""
    incoming = Activity().deserialize(activities.message("hello"))
    return TurnContext.apply_conversation_reference(
        sdk_activity(message), TurnContext.get_conversation_reference(incoming)
    )


def everything_set() -> Activity:
    reply = sent_reply(Outbound(text="See <at>Alex</at>", summary="See Alex"))
    reply.importance = ActivityImportance.high
    reply.timestamp = dt.datetime(2026, 11, 24, 10, 0, 5, 120000, tzinfo=dt.UTC)
    reply.entities = [Mention(mentioned=ChannelAccount(id="29:a", name="Alex"), text="<at>Alex</at>", type="mention")]
    reply.suggested_actions = SuggestedActions(to=["29:a"], actions=[CardAction(type="imBack", title="Yes", value="y")])
    reply.channel_data = {"notification": {"alert": True}, "n": [1, 2.5]}
    reply.value = "plain"
    reply.text_highlights = []
    return reply


@pytest.mark.parametrize(
    "reply",
    [
        sent_reply(Outbound(card=CARD, summary="Réponse approuvée")),
        sent_reply(Outbound(text="Plain words", summary="Plain words")),
        everything_set(),
    ],
    ids=["card", "text", "everything"],
)
def test_an_outgoing_activity_is_written_exactly_as_msrest_writes_it(reply: Activity) -> None:
    written = activity_body(reply)
    assert written is not None
    assert json.dumps(written, sort_keys=True) == json.dumps(
        MSREST_BODY(Serializer(MODELS), reply, "Activity"), sort_keys=True
    )


@pytest.mark.parametrize(
    "odd",
    [
        {"from_property": {"id": "28:bot"}},  # a dict where a model goes: msrest reads it as the model first
        {"channel_data": ConversationAccount(id="c")},  # a model where free-form JSON goes
        {"entities": [Entity(type="x"), None]},
    ],
    ids=["dict-for-model", "model-for-object", "none-in-list"],
)
def test_what_only_msrest_knows_how_to_write_is_left_to_msrest(odd: dict[str, Any]) -> None:
    reply = sent_reply(Outbound(text="Plain words", summary="Plain words"))
    for name, value in odd.items():
        setattr(reply, name, value)
    assert activity_body(reply) is None
    expected = MSREST_BODY(Serializer(MODELS), copy.deepcopy(reply), "Activity")
    speed_up_msrest_activity_bodies()
    assert Serializer(MODELS).body(reply, "Activity") == expected


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
