"""The card-submit protocol: the data our card buttons carry, read once into typed submits.

Cards write these keys (`bot.cards`, `bot.engagement_cards`, `bot.ticket_cards`); `parse_submit`
is the one place that reads them. Whatever a client sends, parsing never fails: data that is not
one of our buttons is `Unknown`. Fields keep what was sent, shaped but not yet cleaned; each
handler applies its own limits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.replies import Vote
from bot.tickets import HrAction

ACTION_KEY = "action"
SHOW_ENTRY_ACTION = "show-entry"
FEEDBACK_ACTION = "feedback"
COMMAND_ACTION = "command"
# Opens the helpdesk's ticket form (answer cards offer it; bot.escalation handles it).
HR_DIRECT_FORM_ACTION = "hrd-form"
HR_FORM_SUBMIT_ACTION = "hrd-submit"
HR_TICKET_ACTION = "hrd-hr"
# The Action.Execute verb of the feedback buttons (Teams sends it in an adaptiveCard/action invoke).
FEEDBACK_VERB = "feedback"
# The key of the question id in a card button's data (see bot.questions): "did you mean" buttons
# carry it as QUESTION_ID_KEY; votes and the helpdesk form (whose "question" is the text) as ASKED_ID_KEY.
QUESTION_ID_KEY = "question"
ASKED_ID_KEY = "questionId"

_QUESTION_ID = re.compile(r"^[0-9a-f]{32}$")
_NONCE_CHARS = range(16, 101)
_MAX_STORED_INT = 2**31 - 1  # the largest INTEGER on PostgreSQL


@dataclass(frozen=True)
class ShowEntry:
    """A "did you mean", related or topic button: show `entry_id`'s answer.

    `question_id` links the click to the question that offered it; None when absent or malformed.
    """

    entry_id: str
    question_id: str | None = None


@dataclass(frozen=True)
class CastVote:
    """A 👍/👎 on an answer; `missing` is what the person typed under 👎 (raw, may be empty)."""

    entry_id: str
    vote: Vote
    missing: str = ""
    question_id: str | None = None  # the question the answer was given for, when known


@dataclass(frozen=True)
class Command:
    """A button standing for a typed command (e.g. "topics")."""

    name: str


@dataclass(frozen=True)
class OpenHrForm:
    """'Ask the helpdesk': open the ticket form, pre-filled with `question`."""

    question: str = ""
    question_id: str | None = None  # the question whose reply offered the helpdesk, when known


@dataclass(frozen=True)
class HrForm:
    """The filled-in ticket form. `nonce` is None when missing or not of a plausible length;
    `question_id` is the question whose reply led here, when known."""

    nonce: str | None
    question: str
    details: str
    anonymous: bool
    question_id: str | None = None


@dataclass(frozen=True)
class TicketAction:
    """A button on a ticket card in the HR channel. A field is None when missing or malformed
    (the helpdesk flow answers every such action the same neutral way)."""

    op: HrAction | None
    ticket: int | None
    token: str | None
    version: int | None
    reply: str = ""
    assignee: str = ""


@dataclass(frozen=True)
class Unknown:
    """Data that none of our buttons sends."""


Submit = ShowEntry | CastVote | Command | OpenHrForm | HrForm | TicketAction | Unknown
HelpdeskSubmit = OpenHrForm | HrForm | TicketAction


def parse_submit(value: Mapping[str, Any]) -> Submit:
    """The typed submit for the data of a card button."""
    action = value.get(ACTION_KEY)
    if action == SHOW_ENTRY_ACTION:
        entry_id = value.get("entry")
        if not isinstance(entry_id, str):
            return Unknown()
        return ShowEntry(entry_id, _question_id(value.get(QUESTION_ID_KEY)))
    if action == FEEDBACK_ACTION:
        return parse_vote(value)
    if action == COMMAND_ACTION:
        return Command(str(value.get("command", "")))
    if action == HR_DIRECT_FORM_ACTION:
        return OpenHrForm(str(value.get("question") or ""), _question_id(value.get(ASKED_ID_KEY)))
    if action == HR_FORM_SUBMIT_ACTION:
        nonce = value.get("nonce")
        return HrForm(
            nonce=nonce if isinstance(nonce, str) and len(nonce) in _NONCE_CHARS else None,
            question=str(value.get("question") or ""),
            details=str(value.get("details") or ""),
            anonymous=value.get("identity") == "anonymous",
            question_id=_question_id(value.get(ASKED_ID_KEY)),
        )
    if action == HR_TICKET_ACTION:
        return _ticket_action(value)
    return Unknown()


def parse_execute(verb: object, data: object) -> CastVote | Unknown | None:
    """The submit of an Action.Execute (an invoke); None for a verb or data our cards never send."""
    if verb != FEEDBACK_VERB or not isinstance(data, Mapping):
        return None
    return parse_vote(data)


def parse_vote(value: Mapping[str, Any]) -> CastVote | Unknown:
    """A vote from feedback button data; the `action` key is not consulted (Action.Execute data)."""
    entry_id = value.get("entry")
    try:
        vote = Vote(value.get("vote"))
    except ValueError:
        return Unknown()
    if not isinstance(entry_id, str):
        return Unknown()
    missing = value.get("missing")
    return CastVote(entry_id, vote, missing if isinstance(missing, str) else "", _question_id(value.get(ASKED_ID_KEY)))


def _question_id(value: object) -> str | None:
    """`value` if it is a question id as `bot.questions` makes them, else None."""
    return value if isinstance(value, str) and _QUESTION_ID.match(value) else None


def _ticket_action(value: Mapping[str, Any]) -> TicketAction:
    try:
        op: HrAction | None = HrAction(value.get("op"))
    except ValueError:
        op = None
    token = value.get("token")
    return TicketAction(
        op=op,
        ticket=_stored_int(value.get("ticket")),
        token=token if isinstance(token, str) else None,
        version=_stored_int(value.get("version")),
        reply=str(value.get("reply") or ""),
        assignee=str(value.get("assignee") or ""),
    )


def _stored_int(value: object) -> int | None:
    """`value` if it can be a ticket number or version: a JSON integer (not true/false) that fits
    the database's integer columns."""
    return value if type(value) is int and 0 < value <= _MAX_STORED_INT else None
