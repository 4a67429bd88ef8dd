"""Welcome once, help, topics and feedback, through the Engagement front door with fakes."""

from __future__ import annotations

import json

import pytest

from bot import Answer, CardSettings, Dialogue, Inbound, Notice, Scope, Sender, render
from bot.engagement import Engagement, Help, Installation, TeamIntro, Topics, Welcome
from bot.memory import InMemoryFeedbackBox, InMemoryWelcomeBook
from bot.replies import Vote
from bot.submits import parse_submit
from knowledge import Corpus
from tests.fake_connector import card_text
from tests.organisations import NHSBT

STAFF = Sender(id="29:staff", aad_object_id="aad-1", name="Ada")


@pytest.fixture
def feedback() -> InMemoryFeedbackBox:
    return InMemoryFeedbackBox()


@pytest.fixture
def engagement(dialogue: Dialogue, corpus: Corpus, feedback: InMemoryFeedbackBox) -> Engagement:
    return Engagement(dialogue, corpus, InMemoryWelcomeBook(), feedback)


def said(text: str = "", value: dict | None = None, sender: Sender = STAFF) -> Inbound:
    return Inbound(
        text=text, sender=sender, conversation_id="a:1", submit=None if value is None else parse_submit(value)
    )


def installed(
    scope: Scope, sender: Sender = STAFF, team_id: str | None = None, conversation: str = "a:1"
) -> Installation:
    return Installation(scope=scope, sender=sender, conversation_id=conversation, team_id=team_id)


async def test_personal_welcome_is_sent_once_per_person(engagement: Engagement) -> None:
    first = await engagement.on_install(installed(Scope.PERSONAL))
    assert isinstance(first, Welcome) and len(first.examples) == 3
    assert await engagement.on_install(installed(Scope.PERSONAL)) is None
    other = Sender(id="29:other", aad_object_id="aad-2")
    assert isinstance(await engagement.on_install(installed(Scope.PERSONAL, other)), Welcome)


async def test_without_aad_id_the_channel_user_id_identifies_the_person(engagement: Engagement) -> None:
    guest = Sender(id="29:guest")
    assert isinstance(await engagement.on_install(installed(Scope.PERSONAL, guest)), Welcome)
    assert await engagement.on_install(installed(Scope.PERSONAL, guest)) is None


async def test_a_welcome_that_was_not_delivered_is_offered_again(engagement: Engagement) -> None:
    installation = installed(Scope.PERSONAL, STAFF)
    assert isinstance(await engagement.on_install(installation), Welcome)
    await engagement.welcome_not_delivered(installation)
    assert isinstance(await engagement.on_install(installation), Welcome)
    assert await engagement.on_install(installation) is None


async def test_team_gets_one_short_introduction(engagement: Engagement) -> None:
    assert isinstance(await engagement.on_install(installed(Scope.CHANNEL, team_id="19:team")), TeamIntro)
    assert await engagement.on_install(installed(Scope.CHANNEL, team_id="19:team", conversation="19:other")) is None
    assert isinstance(await engagement.on_install(installed(Scope.CHANNEL, team_id="19:another")), TeamIntro)


@pytest.mark.parametrize("text", ["help", "Help!", "what can you do"])
async def test_help_lists_the_commands(engagement: Engagement, text: str) -> None:
    reply = await engagement.respond(said(text))
    assert isinstance(reply, Help)
    shown = card_text(render(reply, CardSettings(NHSBT)).card)
    for command in ("help", "topics", "ask HR Direct", "my requests"):
        assert command in shown


async def test_topics_groups_every_question_under_its_topic_title(engagement: Engagement, corpus: Corpus) -> None:
    reply = await engagement.respond(said("topics"))
    assert isinstance(reply, Topics)
    assert [g.title for g in reply.groups] == [
        t.title for t in corpus.topics if any(e.topic == t.id for e in corpus.entries)
    ]
    assert sorted(e.id for g in reply.groups for e in g.entries) == sorted(e.id for e in corpus.entries)
    card = render(reply, CardSettings(NHSBT)).card
    buttons = [item["selectAction"]["data"]["entry"] for item in card["body"] if "selectAction" in item]
    assert sorted(buttons) == sorted(e.id for e in corpus.entries)


async def test_browse_topics_button_shows_topics(engagement: Engagement) -> None:
    assert isinstance(await engagement.respond(said(value={"action": "command", "command": "topics"})), Topics)


async def test_feedback_is_recorded_once_per_person_and_answer(
    engagement: Engagement, feedback: InMemoryFeedbackBox
) -> None:
    up = {"action": "feedback", "entry": "sar-how-far-back", "vote": "up"}
    reply = await engagement.respond(said(value=up))
    assert isinstance(reply, Answer) and reply.feedback is Vote.UP and reply.entry.id == "sar-how-far-back"
    assert "you said this answer helped" in card_text(render(reply, CardSettings(NHSBT)).card)
    down = {**up, "vote": "down", "missing": "  what about  deleted chats? "}
    await engagement.respond(said(value=down))
    assert feedback.votes == {("aad-1", "sar-how-far-back"): (Vote.DOWN, "what about deleted chats?")}


async def test_feedback_text_is_only_kept_with_a_thumbs_down_and_is_capped(
    engagement: Engagement, feedback: InMemoryFeedbackBox
) -> None:
    await engagement.respond(
        said(value={"action": "feedback", "entry": "sar-how-far-back", "vote": "up", "missing": "x"})
    )
    assert feedback.votes[("aad-1", "sar-how-far-back")] == (Vote.UP, None)
    await engagement.respond(
        said(value={"action": "feedback", "entry": "sar-how-far-back", "vote": "down", "missing": "y" * 5000})
    )
    assert len(feedback.votes[("aad-1", "sar-how-far-back")][1] or "") == 500


@pytest.mark.parametrize(
    "value",
    [
        {"action": "feedback", "entry": "no-such-entry", "vote": "up"},
        {"action": "feedback", "entry": "sar-how-far-back", "vote": "meh"},
        {"action": "feedback", "entry": ["list"], "vote": "up"},
        {"action": "command", "command": "format c:"},
    ],
)
async def test_bad_button_data_gets_a_polite_notice_and_stores_nothing(
    engagement: Engagement, feedback: InMemoryFeedbackBox, value: dict
) -> None:
    assert isinstance(await engagement.respond(said(value=value)), Notice)
    assert feedback.votes == {}


async def test_every_answer_card_offers_three_related_questions_and_feedback(
    engagement: Engagement, corpus: Corpus
) -> None:
    for entry in corpus.entries:
        reply = await engagement.respond(said(value={"action": "show-entry", "entry": entry.id}))
        card = render(reply, CardSettings(NHSBT)).card
        shown = json.dumps(card)
        related = [
            a["data"]["entry"]
            for block in card["body"]
            if block.get("type") == "ActionSet"
            for a in block["actions"]
            if a.get("data", {}).get("action") == "show-entry"
        ]
        assert len(related) == 3 and entry.id not in related, entry.id
        assert '"vote": "up"' in shown and '"vote": "down"' in shown


async def test_policy_questions_still_reach_the_dialogue(engagement: Engagement) -> None:
    reply = await engagement.respond(said("How far back does it go regarding a subject access?"))
    assert isinstance(reply, Answer)
