"""The order a message is seen in, the mention gate, and what is recorded: without HTTP or a store."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import CardSettings, Dialogue, Inbound, Scope, Sender
from bot.engagement import Engagement, Installation
from bot.escalation import Where
from bot.questions import AskedQuestion, Outcome, Resolved
from bot.router import Router, Turn
from bot.submits import CastVote, Unknown, parse_submit
from bot.replies import Vote
from knowledge import Corpus
from tests.fake_connector import card_text
from tests.organisations import NHSBT

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
QID = "0123456789abcdef0123456789abcdef"
STAFF = Sender(id="29:staff", aad_object_id="aad-1", name="Ada")
HERE = Where(channel_id=None, team_id=None, service_url=None, reference={})


class Welcomes:
    def __init__(self) -> None:
        self.claimed: set[tuple[str, str]] = set()

    async def claim_welcome(self, kind: str, subject_id: str) -> bool:
        first = (kind, subject_id) not in self.claimed
        self.claimed.add((kind, subject_id))
        return first

    async def release_welcome(self, kind: str, subject_id: str) -> None:
        self.claimed.discard((kind, subject_id))


class Votes:
    def __init__(self) -> None:
        self.votes: dict[tuple[str, str], tuple[Vote, str | None]] = {}

    async def record_vote(self, voter_id: str, entry_id: str, vote: Vote, missing: str | None) -> None:
        self.votes[(voter_id, entry_id)] = (vote, missing)


class Questions:
    """A question log that keeps what it is told, or fails every call when `broken`."""

    def __init__(self, *, broken: bool = False) -> None:
        self.broken = broken
        self.recorded: list[AskedQuestion] = []
        self.resolved: list[tuple[str, str]] = []

    async def record(self, question: AskedQuestion) -> None:
        self._check()
        self.recorded.append(question)

    async def mark_resolved(self, question_id: str, entry_id: str) -> None:
        self._check()
        self.resolved.append((question_id, entry_id))

    async def mark_feedback(self, question_id: str, *, helpful: bool) -> None:
        self._check()

    async def mark_escalated(self, question_id: str) -> None:
        self._check()

    def _check(self) -> None:
        if self.broken:
            raise ConnectionError("store down")


@pytest.fixture
def questions() -> Questions:
    return Questions()


@pytest.fixture
def replies() -> list[object]:
    return []


@pytest.fixture
def router(dialogue: Dialogue, corpus: Corpus, questions: Questions, replies: list[object]) -> Router:
    engagement = Engagement(dialogue, corpus, Welcomes(), Votes())
    return Router(engagement, CardSettings(NHSBT), questions=questions, on_reply=replies.append,
                  clock=lambda: NOW, new_id=lambda: QID)


def said(text: str = "", *, scope: Scope = Scope.PERSONAL, mentioned: bool = False, value: dict | None = None) -> Inbound:
    return Inbound(text=text, sender=STAFF, conversation_id="a:1", scope=scope,
                   submit=None if value is None else parse_submit(value), mentions_bot=mentioned)


def shown(turn: Turn) -> str:
    (message,) = turn.messages
    return card_text(message.card) if message.card else message.text or ""


@pytest.mark.parametrize("scope", [Scope.GROUP_CHAT, Scope.CHANNEL])
async def test_group_chats_and_channels_are_answered_only_when_the_bot_is_mentioned(
    router: Router, questions: Questions, scope: Scope
) -> None:
    assert await router.route(said("hello", scope=scope), HERE) == Turn()
    assert "Hello" in shown(await router.route(said("hello", scope=scope, mentioned=True), HERE))
    # A card button in a channel needs no mention: the person pressed one of the bot's own cards.
    pressed = await router.route(said(scope=scope, value={"action": "command", "command": "topics"}), HERE)
    assert "Browse by topic" in shown(pressed)


async def test_a_question_is_answered_then_recorded_without_identity_after_sending(
    router: Router, questions: Questions, replies: list[object]
) -> None:
    turn = await router.route(said("how far back does a subject access request go"), HERE)
    assert "subject access" in shown(turn).lower()
    assert questions.recorded == [] and len(replies) == 1
    await router.after_sent(turn)
    (record,) = questions.recorded
    assert record.id == QID and record.asked_at == NOW and record.outcome is Outcome.ANSWERED
    assert "Ada" not in repr(record) and "29:staff" not in repr(record)


async def test_a_did_you_mean_click_resolves_its_question(router: Router, questions: Questions) -> None:
    value = {"action": "show-entry", "entry": "sar-how-far-back", "question": QID}
    turn = await router.route(said(value=value), HERE)
    assert turn.record == Resolved(QID, "sar-how-far-back")
    await router.after_sent(turn)
    assert questions.resolved == [(QID, "sar-how-far-back")] and questions.recorded == []


async def test_a_broken_question_log_never_breaks_the_turn(router: Router, questions: Questions) -> None:
    questions.broken = True
    turn = await router.route(said("how far back does a subject access request go"), HERE)
    await router.after_sent(turn)  # logged, not raised


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
