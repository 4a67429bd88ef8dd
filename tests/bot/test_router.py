"""The order a message is seen in, the mention gate, and what is recorded: without HTTP or a store."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import CardSettings, Dialogue, Inbound, Scope, Sender
from bot.engagement import Engagement, Installation
from bot.escalation import Escalation, EscalationSettings, Where
from bot.memory import InMemoryFeedbackBox, InMemoryQuestionLog, InMemoryTicketStore, InMemoryWelcomeBook
from bot.questions import AskedQuestion, Outcome, Resolved
from bot.replies import Vote
from bot.router import Router, Turn
from bot.submits import CastVote, Unknown, parse_submit
from bot.tickets import HrChannel
from knowledge import Corpus, Ranker
from tests.fake_connector import card_text
from tests.organisations import NHSBT

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
QID = "0123456789abcdef0123456789abcdef"
STAFF = Sender(id="29:staff", aad_object_id="aad-1", name="Ada")
HERE = Where(channel_id=None, team_id=None, service_url=None, reference={})


class BrokenQuestionLog(InMemoryQuestionLog):
    """A question log whose store is down."""

    async def record(self, question: AskedQuestion) -> None:
        raise ConnectionError("store down")


@pytest.fixture
def questions() -> InMemoryQuestionLog:
    return InMemoryQuestionLog()


@pytest.fixture
def replies() -> list[object]:
    return []


@pytest.fixture
def engagement(dialogue: Dialogue, corpus: Corpus) -> Engagement:
    return Engagement(dialogue, corpus, InMemoryWelcomeBook(), InMemoryFeedbackBox())


@pytest.fixture
def router(engagement: Engagement, questions: InMemoryQuestionLog, replies: list[object]) -> Router:
    return Router(
        engagement,
        CardSettings(NHSBT),
        questions=questions,
        on_reply=replies.append,
        clock=lambda: NOW,
        new_id=lambda: QID,
    )


@pytest.fixture
def tickets() -> InMemoryTicketStore:
    return InMemoryTicketStore()


@pytest.fixture
def helpdesk_router(engagement: Engagement, tickets: InMemoryTicketStore, ranker: Ranker) -> Router:
    escalation = Escalation(tickets, ranker, EscalationSettings(NHSBT))
    return Router(engagement, CardSettings(NHSBT), escalation=escalation, questions=InMemoryQuestionLog())


def said(
    text: str = "", *, scope: Scope = Scope.PERSONAL, mentioned: bool = False, value: dict | None = None
) -> Inbound:
    return Inbound(
        text=text,
        sender=STAFF,
        conversation_id="a:1",
        scope=scope,
        submit=None if value is None else parse_submit(value),
        mentions_bot=mentioned,
    )


def shown(turn: Turn) -> str:
    (message,) = turn.messages
    return card_text(message.card) if message.card else message.text or ""


@pytest.mark.parametrize("scope", [Scope.GROUP_CHAT, Scope.CHANNEL])
async def test_group_chats_and_channels_are_answered_only_when_the_bot_is_mentioned(
    router: Router, scope: Scope
) -> None:
    assert await router.route(said("hello", scope=scope), HERE) == Turn()
    assert "Hello" in shown(await router.route(said("hello", scope=scope, mentioned=True), HERE))
    # A card button in a channel needs no mention: the person pressed one of the bot's own cards.
    pressed = await router.route(said(scope=scope, value={"action": "command", "command": "topics"}), HERE)
    assert "Browse by topic" in shown(pressed)


async def test_a_question_is_answered_then_recorded_without_identity_after_sending(
    router: Router, questions: InMemoryQuestionLog, replies: list[object]
) -> None:
    turn = await router.route(said("how far back does a subject access request go"), HERE)
    assert "subject access" in shown(turn).lower()
    assert questions.questions == () and len(replies) == 1
    await router.after_sent(turn)
    (recorded,) = questions.questions
    record = recorded.asked
    assert record.id == QID and record.asked_at == NOW and record.outcome is Outcome.ANSWERED
    assert "Ada" not in repr(record) and "29:staff" not in repr(record)


async def test_a_did_you_mean_click_resolves_its_question(router: Router, questions: InMemoryQuestionLog) -> None:
    await router.after_sent(await router.route(said("subject access"), HERE))
    value = {"action": "show-entry", "entry": "sar-how-far-back", "question": QID}
    turn = await router.route(said(value=value), HERE)
    assert turn.record == Resolved(QID, "sar-how-far-back")
    await router.after_sent(turn)
    (recorded,) = questions.questions
    assert recorded.resolved_entry_id == "sar-how-far-back"


async def test_a_broken_question_log_never_breaks_the_turn(
    engagement: Engagement, caplog: pytest.LogCaptureFixture
) -> None:
    router = Router(engagement, CardSettings(NHSBT), questions=BrokenQuestionLog())
    turn = await router.route(said("how far back does a subject access request go"), HERE)
    await router.after_sent(turn)  # logged without the question, not raised
    assert "question_log_failed error=ConnectionError" in caplog.text and "subject access" not in caplog.text


async def test_the_helpdesk_sees_a_message_before_the_front_door(helpdesk_router: Router) -> None:
    # "help" would be the front door's; "my requests" is the helpdesk's, in the same chat.
    assert "haven't sent any questions" in shown(await helpdesk_router.route(said("my requests"), HERE))
    assert "What I can do" in shown(await helpdesk_router.route(said("help"), HERE))


async def test_answer_cards_offer_the_ticket_form_once_the_helpdesk_has_a_channel(
    helpdesk_router: Router, tickets: InMemoryTicketStore
) -> None:
    def offers_form(turn: Turn) -> bool:
        (message,) = turn.messages
        return any(a.get("data", {}).get("action") == "hrd-form" for a in (message.card or {}).get("actions", []))

    question = said("how far back does a subject access request go")
    assert not offers_form(await helpdesk_router.route(question, HERE))
    await tickets.register_channel(HrChannel("19:hr@thread", "team-1", None), by="aad-registrar", now=NOW)
    assert offers_form(await helpdesk_router.route(question, HERE))
    in_channel = said("how far back does a subject access request go", scope=Scope.CHANNEL, mentioned=True)
    assert not offers_form(await helpdesk_router.route(in_channel, HERE))


@pytest.mark.parametrize("value", [{"action": "delete-everything"}, {"action": "hrd-form", "question": "x"}, {}])
async def test_buttons_nobody_handles_get_the_unknown_action_notice(router: Router, value: dict) -> None:
    turn = await router.route(said(value=value), HERE)
    assert "button" in shown(turn).lower() and turn.record is None


async def test_a_vote_by_submit_acknowledges_on_the_rated_card(router: Router) -> None:
    turn = await router.route(said(value={"action": "feedback", "entry": "sar-how-far-back", "vote": "up"}), HERE)
    assert turn.acknowledges_vote and "you said this answer helped" in shown(turn)
    plain = await router.route(said(value={"action": "show-entry", "entry": "sar-how-far-back"}), HERE)
    assert not plain.acknowledges_vote


async def test_a_vote_by_execute_returns_the_acknowledging_card(router: Router) -> None:
    card = await router.on_vote(STAFF, CastVote("sar-how-far-back", Vote.DOWN, "more"))
    assert card.card is not None and "you said this answer didn't help" in card_text(card.card)
    notice = await router.on_vote(STAFF, Unknown())
    assert notice.card is None and "button" in (notice.text or "").lower()


async def test_welcome_once_and_again_when_not_delivered(router: Router) -> None:
    installed = Installation(Scope.PERSONAL, STAFF, "a:1")
    assert (await router.on_install(installed)) is not None
    assert await router.on_install(installed) is None
    await router.welcome_not_delivered(installed)
    assert await router.on_install(installed) is not None


async def test_votes_either_way_mark_the_question_answered_and_keep_its_id_on_the_card(
    router: Router, questions: InMemoryQuestionLog
) -> None:
    answered = await router.route(said("how far back does a subject access request go"), HERE)
    await router.after_sent(answered)
    assert QID in str(answered.messages[0].card)  # the vote buttons carry the question id
    value = {"action": "feedback", "entry": "sar-how-far-back", "vote": "down", "questionId": QID}
    voted = await router.route(said(value=value), HERE)
    assert QID in str(voted.messages[0].card)  # the re-drawn card still links to the question
    await router.after_sent(voted)
    assert questions.questions[0].helpful is False
    card = await router.on_vote(STAFF, CastVote("sar-how-far-back", Vote.UP, "", QID))
    assert QID in str(card.card)
    assert questions.questions[0].helpful is True
