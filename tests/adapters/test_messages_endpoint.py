"""The bot over real HTTP, replying through a fake Bot Connector on 127.0.0.1."""

from __future__ import annotations

import json

import pytest
from aiohttp.test_utils import TestClient

from knowledge import Corpus
from tests import activities
from tests.fake_connector import FakeConnector, card_of, card_text
from tests.support import ask

EMAIL_QUESTION = "Do I need to unlink my work e-mail account for personal use such as on line banking?"


async def test_confident_answer_is_the_approved_text_with_its_reference(
    bot_client: TestClient, connector: FakeConnector
) -> None:
    activity = activities.message(connector.url, EMAIL_QUESTION)
    reply = await ask(bot_client, connector, activity)
    card = card_of(reply)
    text = card_text(card)
    assert "part of your benefit package such as the Blue Light Card registration." in text
    assert "POL19 IT Acceptable Use Policy" in text
    assert "June 2024" in text
    assert "POL19 IT Acceptable Use Policy" in reply["summary"]
    call = connector.calls[-1]
    assert call.path == f"/v3/conversations/a:staff-conversation/activities/{activity['id']}"
    assert call.authorization is None  # local mode: no outbound token


async def test_unrelated_question_gets_the_hr_direct_offer_and_no_answer(
    bot_client: TestClient, connector: FakeConnector
) -> None:
    reply = await ask(bot_client, connector, activities.message(connector.url, "how do I book annual leave"))
    card = card_of(reply)
    assert "Ask HR Direct" in card_text(card)
    assert "don't have an approved answer" in card_text(card)
    assert not any(block.get("type") == "FactSet" for block in card["body"])


async def test_channel_message_answers_only_when_mentioned(bot_client: TestClient, connector: FakeConnector) -> None:
    unmentioned = activities.message(
        connector.url, EMAIL_QUESTION, conversation_type="channel", conversation_id="19:general@thread.tacv2"
    )
    response = await bot_client.post("/api/messages", json=unmentioned)
    assert response.status == 201
    assert connector.activities() == []

    mentioned = activities.message(
        connector.url,
        "Can liking a post on social media be a cause for concern for me?",
        conversation_type="channel",
        conversation_id="19:general@thread.tacv2",
        mention_bot=True,
    )
    reply = await ask(bot_client, connector, mentioned)
    assert "Care should be taken when liking or sharing a post" in card_text(card_of(reply))


async def test_a_vague_question_gets_one_offer_of_short_titled_choices_and_the_helpdesk(
    bot_client: TestClient, connector: FakeConnector, corpus: Corpus
) -> None:
    reply = await ask(bot_client, connector, activities.message(connector.url, "posting online"))
    card = card_of(reply)
    text = card_text(card)
    assert "Did you mean one of these?" in text
    assert "don't have an approved answer" not in text  # the offer is not contradicted
    assert "If none of these is what you asked, HR Direct, the HR helpdesk, can help." in text
    choices = [a for block in card["body"] if block.get("type") == "ActionSet" for a in block["actions"]]
    assert choices
    for choice in choices:
        entry = corpus.entry(choice["data"]["entry"])
        assert entry is not None and choice["title"] == entry.short_title
        assert len(choice["title"]) <= 40


async def test_did_you_mean_button_shows_that_answer(bot_client: TestClient, connector: FakeConnector) -> None:
    value = {"action": "show-entry", "entry": "sar-how-far-back"}
    reply = await ask(bot_client, connector, activities.message(connector.url, value=value))
    assert "Deletion of data that has been requested as part of a SAR" in card_text(card_of(reply))


async def test_every_source_question_verbatim_gets_its_own_answer(
    bot_client: TestClient, connector: FakeConnector, corpus: Corpus
) -> None:
    for entry in corpus.entries:
        reply = await ask(bot_client, connector, activities.message(connector.url, entry.question))
        card = card_of(reply)
        assert card["body"][0]["text"] == entry.question
        assert entry.reference_labels[0] in card_text(card)


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂🙂", "x" * 5000])
async def test_unusable_text_gets_a_short_polite_reply(
    bot_client: TestClient, connector: FakeConnector, text: str
) -> None:
    reply = await ask(bot_client, connector, activities.message(connector.url, text))
    assert reply["text"] and len(reply["text"]) < 300
    assert not reply.get("attachments")


async def test_health(bot_client: TestClient) -> None:
    response = await bot_client.get("/healthz")
    assert response.status == 200
    assert (await response.json())["status"] == "ok"


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        ("not json", {"Content-Type": "application/json"}, 400),
        ("[1, 2]", {"Content-Type": "application/json"}, 400),
        ("{}", {"Content-Type": "application/json"}, 400),
        (json.dumps({"type": "message"}), {"Content-Type": "application/json"}, 400),
        ('{"type": "message"}', {"Content-Type": "text/plain"}, 415),
        ("x" * (300 * 1024), {"Content-Type": "application/json"}, 413),
        ("[" * 100_000 + "]" * 100_000, {"Content-Type": "application/json"}, 400),
    ],
)
async def test_bad_requests_get_clear_errors(
    bot_client: TestClient, body: str, headers: dict[str, str], status: int
) -> None:
    response = await bot_client.post("/api/messages", data=body, headers=headers)
    assert response.status == status


async def test_unknown_activity_types_are_ignored(bot_client: TestClient, connector: FakeConnector) -> None:
    activity = activities.message(connector.url, "hi") | {"type": "fooBar"}
    response = await bot_client.post("/api/messages", json=activity)
    assert response.status == 200
    assert connector.calls == []


async def test_a_redelivered_activity_is_answered_once(bot_client: TestClient, connector: FakeConnector) -> None:
    activity = activities.message(connector.url, "Can liking a post on social media be a cause for concern for me?")
    first = await bot_client.post("/api/messages", json=activity)
    again = await bot_client.post("/api/messages", json=activity)
    assert (first.status, again.status) == (201, 200)
    assert len(connector.activities()) == 1
