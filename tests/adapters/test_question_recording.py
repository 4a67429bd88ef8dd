"""Asking the bot over real HTTP records the question without identity; recording never breaks a turn."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from adapters.config.settings import Settings
from knowledge import Corpus
from tests import activities
from tests.fake_connector import FakeConnector, card_of, card_text
from tests.support import ask, until

IDENTITY = ("29:staff-member", "aad-staff-1", "Ada Staff", "a:staff-conversation", "tenant-nhs")


def rows(settings: Settings) -> list[dict]:
    path = settings.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        connection.row_factory = sqlite3.Row
        return [dict(row) for row in connection.execute("SELECT * FROM asked_questions ORDER BY asked_at")]


async def recorded(settings: Settings, count: int) -> list[dict]:
    """The rows once there are `count` (each is written just after its reply is sent)."""

    def enough() -> list[dict] | None:
        found = rows(settings)
        return found if len(found) >= count else None

    return await until(enough, timeout=5)


async def test_a_question_is_recorded_without_identity(
    bot_client: TestClient, connector: FakeConnector, settings: Settings
) -> None:
    await ask(
        bot_client,
        connector,
        activities.message(
            connector.url, "Can liking a post on social media be a cause for concern for me? I'm ada@nhsbt.nhs.uk"
        ),
    )
    [row] = await recorded(settings, 1)
    assert row["outcome"] == "answered"
    assert row["entry_id"] == "liking-posts"
    assert row["confidence"] >= settings.answer_threshold  # it was answered, so at least the answer band
    assert row["question"].startswith("can liking a post on social media be a cause for concern for me")
    assert row["question"].endswith("im [email]")
    stored = " ".join(str(value) for value in row.values())
    for identity in IDENTITY:
        assert identity.lower() not in stored.lower()
    assert set(row) == {
        "id",
        "asked_at",
        "question",
        "outcome",
        "entry_id",
        "confidence",
        "resolved_entry_id",
        "helpful",
        "escalated",
    }


async def test_a_did_you_mean_click_is_linked_to_its_question(
    bot_client: TestClient, connector: FakeConnector, settings: Settings, corpus: Corpus
) -> None:
    reply = await ask(bot_client, connector, activities.message(connector.url, "posting online"))
    buttons = [
        action for block in card_of(reply)["body"] if block.get("type") == "ActionSet" for action in block["actions"]
    ]
    [row] = await recorded(settings, 1)
    assert row["outcome"] == "did-you-mean"
    assert row["resolved_entry_id"] is None
    chosen = buttons[0]["data"]
    assert chosen["question"] == row["id"]
    answer = await ask(bot_client, connector, activities.message(connector.url, value=chosen))
    chosen_entry = corpus.entry(chosen["entry"])
    assert chosen_entry is not None and buttons[0]["title"] == chosen_entry.short_title
    assert card_of(answer)["body"][0]["text"] == chosen_entry.question  # the chosen entry's answer, headed in full

    def resolved() -> list[dict] | None:
        found = rows(settings)
        return found if found and found[0]["resolved_entry_id"] else None

    [row] = await until(resolved, timeout=5)
    assert row["resolved_entry_id"] == chosen["entry"]  # the click resolved it and is not a new question


async def test_greetings_are_small_talk_and_notices_are_not_recorded(
    bot_client: TestClient, connector: FakeConnector, settings: Settings
) -> None:
    await ask(bot_client, connector, activities.message(connector.url, "!!!"))
    await ask(bot_client, connector, activities.message(connector.url, "hello"))
    found = await recorded(settings, 1)
    assert [(r["question"], r["outcome"]) for r in found] == [("hello", "small-talk")]


async def test_a_broken_store_never_breaks_the_answer_and_logs_no_text(
    bot_client: TestClient, connector: FakeConnector, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    path = Path(settings.database_url.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE asked_questions")
    with caplog.at_level(logging.WARNING, logger="faqbot.questions"):
        reply = await ask(bot_client, connector, activities.message(connector.url, "how do I book annual leave"))
        assert "Ask HR Direct" in card_text(card_of(reply))
        await until(lambda: caplog.records, timeout=5)
    assert "question_log_failed error=StoreUnavailable" in [r.getMessage() for r in caplog.records]
    assert "annual leave" not in caplog.text
