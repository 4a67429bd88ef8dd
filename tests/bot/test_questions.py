from __future__ import annotations

import datetime as dt

import pytest

from bot import CardSettings, Inbound, Sender, render
from bot.questions import AskedQuestion, Outcome, Resolved, new_question_id, question_event, redact
from bot.replies import Answer, Clarify, NoAnswer, Notice, NoticeKind, SmallTalk, SmallTalkKind
from bot.submits import QUESTION_ID_KEY, SHOW_ENTRY_ACTION, parse_submit
from knowledge import Corpus
from tests.organisations import NHSBT

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
QID = "0123456789abcdef0123456789abcdef"
STAFF = Sender(id="29:staff", aad_object_id="aad-1", name="Ada Staff")


def said(text: str) -> Inbound:
    return Inbound(text=text, sender=STAFF, conversation_id="a:conv")


def clicked(value: dict) -> Inbound:
    return Inbound(text="", sender=STAFF, conversation_id="a:conv", submit=parse_submit(value))


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("Can I post about Work Events?", "can i post about work events"),
        ("mail ada.lovelace@nhsbt.nhs.uk please", "mail [email] please"),
        ("call me on 07700 900123 or +44 (0)1234 567890", "call me on [phone] or [phone]"),
        ("my assignment number is 12345678", "my assignment number is [number]"),
        ("NI number QQ 12 34 56 C", "ni number [ni-number]"),
        ("37.5 hours a week since 2024, 12 weeks", "37 5 hours a week since 2024 12 weeks"),
    ],
)
def test_questions_are_normalised_and_personal_details_removed(text: str, stored: str) -> None:
    assert redact(text) == stored


def test_each_reply_maps_to_an_outcome_without_identity(corpus: Corpus) -> None:
    entry, other = corpus.entries[0], corpus.entries[1]
    cases = [
        (Answer(entry, 0.91), Outcome.ANSWERED, entry.id, 0.91),
        (Clarify((other, entry), confidence=0.62), Outcome.DID_YOU_MEAN, other.id, 0.62),
        (NoAnswer(), Outcome.ESCALATED, None, None),
        (SmallTalk(SmallTalkKind.THANKS), Outcome.SMALL_TALK, None, None),
    ]
    for reply, outcome, entry_id, confidence in cases:
        event = question_event(said("Ada here: my question"), reply, question_id=QID, now=NOW)
        assert event == AskedQuestion(QID, NOW, "ada here my question", outcome, entry_id, confidence)
        assert "aad-1" not in repr(event) and "29:staff" not in repr(event) and "a:conv" not in repr(event)


def test_notices_are_not_questions() -> None:
    for kind in NoticeKind:
        assert question_event(said("???"), Notice(kind), question_id=QID, now=NOW) is None


def test_a_did_you_mean_click_resolves_the_question_it_came_from(corpus: Corpus) -> None:
    entry = corpus.entries[2]
    value = {"action": SHOW_ENTRY_ACTION, "entry": entry.id, QUESTION_ID_KEY: QID}
    assert question_event(clicked(value), Answer(entry, 1.0), question_id="new", now=NOW) == Resolved(QID, entry.id)
    # A related-question click (no question id) or a forged id resolves nothing.
    del value[QUESTION_ID_KEY]
    assert question_event(clicked(value), Answer(entry, 1.0), question_id="new", now=NOW) is None
    forged = {**value, QUESTION_ID_KEY: "'; drop table"}
    assert question_event(clicked(forged), Answer(entry, 1.0), question_id="new", now=NOW) is None


def test_did_you_mean_buttons_carry_the_question_id(corpus: Corpus) -> None:
    card = render(Clarify(corpus.entries[:2]), CardSettings(NHSBT), question_id=QID).card
    assert card is not None
    buttons = [a for block in card["body"] if block.get("type") == "ActionSet" for a in block["actions"]]
    assert [b["data"][QUESTION_ID_KEY] for b in buttons] == [QID, QID]
    unlinked = render(Clarify(corpus.entries[:2]), CardSettings(NHSBT)).card
    assert unlinked is not None
    assert all(
        QUESTION_ID_KEY not in a["data"]
        for block in unlinked["body"]
        if block.get("type") == "ActionSet"
        for a in block["actions"]
    )


def test_question_ids_are_random_and_opaque() -> None:
    ids = {new_question_id() for _ in range(100)}
    assert len(ids) == 100 and all(len(i) == 32 for i in ids)
