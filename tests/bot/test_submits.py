"""Card-submit data is read once into typed submits; anything else is Unknown, never an error."""

from __future__ import annotations

import pytest

from bot.replies import Vote
from bot.submits import (
    CastVote,
    Command,
    HrForm,
    OpenHrForm,
    ShowEntry,
    Submit,
    TicketAction,
    Unknown,
    parse_execute,
    parse_submit,
)
from bot.tickets import HrAction

QID = "0123456789abcdef0123456789abcdef"
NONCE = "n" * 32


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"action": "show-entry", "entry": "leave", "question": QID}, ShowEntry("leave", QID)),
        ({"action": "show-entry", "entry": "leave", "question": "'; drop"}, ShowEntry("leave")),
        ({"action": "show-entry", "entry": ["leave"]}, Unknown()),
        (
            {"action": "feedback", "entry": "leave", "vote": "down", "missing": "dates"},
            CastVote("leave", Vote.DOWN, "dates"),
        ),
        ({"action": "feedback", "entry": "leave", "vote": "up", "missing": 7}, CastVote("leave", Vote.UP)),
        ({"action": "feedback", "entry": "leave", "vote": "meh"}, Unknown()),
        ({"action": "command", "command": "topics"}, Command("topics")),
        ({"action": "command"}, Command("")),
        ({"action": "hrd-form", "question": "can I"}, OpenHrForm("can I")),
        ({"action": "hrd-form", "question": None}, OpenHrForm("")),
        (
            {"action": "hrd-submit", "nonce": NONCE, "question": "q", "details": "d", "identity": "anonymous"},
            HrForm(NONCE, "q", "d", anonymous=True),
        ),
        ({"action": "hrd-submit", "nonce": "short", "question": "q"}, HrForm(None, "q", "", anonymous=False)),
        (
            {"action": "hrd-hr", "op": "reply", "ticket": 1, "token": "t", "version": 2, "reply": "yes"},
            TicketAction(HrAction.REPLY, 1, "t", 2, reply="yes"),
        ),
        (
            {"action": "hrd-hr", "op": "delete", "ticket": True, "token": 5, "version": 10**30},
            TicketAction(None, None, None, None),
        ),
        ({"action": "delete-everything"}, Unknown()),
        ({"action": ["show-entry"]}, Unknown()),
        ({}, Unknown()),
    ],
)
def test_parse_submit(value: dict[str, object], expected: Submit) -> None:
    assert parse_submit(value) == expected


def test_execute_reads_only_the_feedback_verb() -> None:
    assert parse_execute("feedback", {"entry": "leave", "vote": "up"}) == CastVote("leave", Vote.UP)
    assert parse_execute("feedback", {"entry": "leave"}) == Unknown()
    assert parse_execute("rm", {"entry": "leave", "vote": "up"}) is None
    assert parse_execute("feedback", ["leave"]) is None
