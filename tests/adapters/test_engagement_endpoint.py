"""Welcome, topics and feedback over real HTTP, with the fake Bot Connector on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer

from adapters.config.settings import Settings
from app import create_app
from knowledge import Corpus
from tests import activities
from tests.fake_connector import FakeConnector, card_of, card_text

TEAMS_LIMIT = 28 * 1024


def install(service_url: str, **kw: Any) -> dict[str, Any]:
    activity = activities.message(service_url, **kw)
    activity.update(type="installationUpdate", action="add")
    activity.pop("text", None)
    return activity


def bot_added_to_team(service_url: str) -> dict[str, Any]:
    activity = activities.message(service_url, conversation_type="channel", conversation_id="19:general@thread.tacv2")
    activity.update(type="conversationUpdate", membersAdded=[{"id": activities.BOT_ID}])
    activity["channelData"]["eventType"] = "teamMemberAdded"
    activity.pop("text", None)
    return activity


def sent_since(connector: FakeConnector, count: int) -> list[dict[str, Any]]:
    """What the connector received after its first `count` activities. A turn sends its replies
    before its HTTP response, so once every post is answered nothing more arrives."""
    return connector.activities()[count:]


async def test_personal_install_welcomes_once(bot_client: TestClient, connector: FakeConnector) -> None:
    for _ in range(3):  # Teams repeats install events (installationUpdate, conversationUpdate, re-install)
        response = await bot_client.post("/api/messages", json=install(connector.url))
        assert response.status in {200, 201}
    sent = sent_since(connector, 0)
    assert len(sent) == 1
    card = card_of(sent[0])
    assert "Welcome to HR Policy FAQ" in card_text(card)
    assert "not for emergencies" in card_text(card)
    assert len([b for b in card["body"] if b.get("type") == "ActionSet"]) == 3


async def test_a_welcome_teams_refused_is_sent_with_the_next_install_event(
    bot_client: TestClient, connector: FakeConnector
) -> None:
    connector.scripted.append((403, {}))  # not retried: the welcome is lost and the turn fails
    first = await bot_client.post("/api/messages", json=install(connector.url))
    assert first.status in {200, 201}
    again = await bot_client.post("/api/messages", json=install(connector.url))  # Teams sends install events twice
    assert again.status in {200, 201}
    sent = sent_since(connector, 0)
    assert len(sent) == 3  # the refused welcome, the turn-error apology, then the welcome that arrived
    assert "Welcome to HR Policy FAQ" in card_text(card_of(sent[2]))


async def test_team_install_posts_one_introduction(bot_client: TestClient, connector: FakeConnector) -> None:
    for _ in range(2):
        response = await bot_client.post("/api/messages", json=bot_added_to_team(connector.url))
        assert response.status in {200, 201}
    sent = sent_since(connector, 0)
    assert len(sent) == 1
    assert "Mention me" in sent[0]["text"]


async def test_topics_and_answers_stay_under_the_teams_size_limit(
    bot_client: TestClient, connector: FakeConnector, corpus: Corpus
) -> None:
    for text in ("topics", "help", "x" * 5000):
        await bot_client.post("/api/messages", json=activities.message(connector.url, text))
    value = {"action": "show-entry", "entry": max(corpus.entries, key=lambda e: len(e.answer)).id}
    await bot_client.post("/api/messages", json=activities.message(connector.url, value=value))
    await connector.wait_for(4)
    sizes = [call.size for call in connector.calls if call.method == "POST"]
    assert len(sizes) == 4 and max(sizes) < TEAMS_LIMIT


async def test_thumbs_up_by_universal_action_returns_the_acknowledged_card(
    bot_client: TestClient, connector: FakeConnector
) -> None:
    invoke = activities.message(connector.url)
    invoke.update(
        type="invoke",
        name="adaptiveCard/action",
        replyToId="activity-1",
        value={
            "action": {
                "type": "Action.Execute",
                "verb": "feedback",
                "data": {"action": "feedback", "entry": "sar-how-far-back", "vote": "up"},
            },
            "trigger": "manual",
        },
    )
    response = await bot_client.post("/api/messages", json=invoke)
    assert response.status == 200
    body = await response.json()
    assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    assert "you said this answer helped" in card_text(body["value"])
    assert "How far back does it go regarding a subject access?" in card_text(body["value"])
    votes = [
        a
        for block in body["value"]["body"]
        if block.get("type") == "ActionSet"
        for a in block["actions"]
        if a.get("verb") == "feedback" or a["type"] == "Action.ShowCard"
    ]
    assert [(a["title"], a.get("style")) for a in votes] == [("✓ 👍 Yes", "positive"), ("👎 No", None)]


async def test_unknown_universal_action_is_a_clear_400(bot_client: TestClient, connector: FakeConnector) -> None:
    invoke = activities.message(connector.url)
    invoke.update(type="invoke", name="adaptiveCard/action", value={"action": {"type": "Action.Execute", "verb": "rm"}})
    response = await bot_client.post("/api/messages", json=invoke)
    assert response.status == 400


async def test_fallback_submit_vote_updates_the_rated_card_in_place(
    bot_client: TestClient, connector: FakeConnector
) -> None:
    value = {"action": "feedback", "entry": "sar-how-far-back", "vote": "down", "missing": "an example"}
    submit = activities.message(connector.url, value=value)
    submit["replyToId"] = "rated-card-1"
    await bot_client.post("/api/messages", json=submit)
    await connector.wait_for(1)
    call = connector.calls[-1]
    assert call.method == "PUT" and call.path.endswith("/activities/rated-card-1")
    assert "didn't help" in card_text(card_of(call.body))
    assert "an example" not in json.dumps(call.body)  # the comment is stored, not echoed


@pytest_asyncio.fixture
async def northfield_client(tmp_path: Path) -> AsyncIterator[TestClient]:
    """The bot configured, through its environment variables, for another organisation."""
    settings = Settings.from_env(
        {
            "FAQBOT_ORGANISATION_NAME": "Northfield Community Health NHS Trust",
            "FAQBOT_HELPDESK_NAME": "People Services",
            "FAQBOT_RETAIN_QUESTIONS_DAYS": "90",
            "FAQBOT_RETAIN_TICKETS_DAYS": "730",
            "FAQBOT_HR_DIRECT_URL": "https://intranet.northfield.example/people-services",
            "FAQBOT_LOCAL_MODE": "1",
            "FAQBOT_METRICS_PORT": "0",
            "FAQBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        }
    )
    async with TestClient(TestServer(create_app(settings), host="127.0.0.1")) as client:
        yield client


async def test_another_organisation_is_named_in_welcome_and_help(
    northfield_client: TestClient, connector: FakeConnector
) -> None:
    await northfield_client.post("/api/messages", json=install(connector.url))
    welcome = card_of(sent_since(connector, 0)[0])
    await northfield_client.post("/api/messages", json=activities.message(connector.url, "help"))
    help_card = card_of(sent_since(connector, 1)[0])

    shown = {"welcome": json.dumps(welcome), "help": json.dumps(help_card)}
    assert "Northfield Community Health NHS Trust HR policies" in card_text(welcome)
    assert "say **ask People Services**" in card_text(welcome)
    assert "I'll offer People Services instead" in card_text(help_card)
    assert "ask People Services" in card_text(help_card)
    for card in (welcome, help_card):  # the privacy note states this organisation's retention
        assert "not linked to you, for 90 days" in card_text(card)
        assert "any question you send to People Services" in card_text(card)
        assert "until 730 days after it is last updated" in card_text(card)
    assert [a["title"] for a in help_card["actions"] if a["type"] == "Action.OpenUrl"] == ["Ask People Services"]
    for name, card in shown.items():
        for other in ("NHSBT", "NHS Blood and Transplant", "HR Direct"):
            assert other.lower() not in card.lower(), f"{name} says {other}"
