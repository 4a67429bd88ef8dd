"""What the bot remembers about each question it handled: never who asked, only what and how it went.

A record holds the time, the question normalised and redacted, the outcome, the entry it matched
and the confidence. It carries a random id, not a user or conversation id; the id travels in the
card's button data so that later events on that card (a "did you mean" click, feedback, asking the
helpdesk) can update the same record without anyone being identified.

Pure: no I/O, no clock (the edge passes `now` and a fresh id).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from enum import Enum

from bot.inbound import Inbound
from bot.replies import Answer, Clarify, NoAnswer, SmallTalk
from bot.submits import ShowEntry
from knowledge.normalize import Normalizer


class Outcome(str, Enum):
    """How the bot handled a question."""

    ANSWERED = "answered"
    DID_YOU_MEAN = "did-you-mean"
    ESCALATED = "escalated"  # no approved answer: the HR helpdesk was offered
    SMALL_TALK = "small-talk"


@dataclass(frozen=True)
class AskedQuestion:
    """One question as recorded: no user id, no conversation id, no name.

    `entry_id` is the answered entry, or the first "did you mean" candidate; None otherwise.
    """

    id: str
    asked_at: dt.datetime
    text: str
    outcome: Outcome
    entry_id: str | None = None
    confidence: float | None = None


@dataclass(frozen=True)
class RecordedQuestion:
    """A recorded question with what happened after the reply."""

    asked: AskedQuestion
    resolved_entry_id: str | None = None  # the entry a "did you mean" click (or the HR helpdesk) ended at
    helpful: bool | None = None  # the person's feedback on the answer, if any
    escalated: bool = False  # the person asked the HR helpdesk after the reply


@dataclass(frozen=True)
class Resolved:
    """A "did you mean" click: the question `question_id` ended at `entry_id`."""

    question_id: str
    entry_id: str


def new_question_id() -> str:
    """A random, unguessable id for one question (links later events, identifies nobody)."""
    return secrets.token_hex(16)


# Staff sometimes type personal details into a question. These are replaced before anything is
# stored; names cannot be found reliably and are not attempted (see README, "What staff ask").
_REDACTIONS = (
    ("email", re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")),
    ("ni-number", re.compile(r"\b[A-Za-z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-Da-d]\b")),
    # A phone number: 9 or more digits, possibly with a leading + and spaces, dots, dashes, brackets.
    ("phone", re.compile(r"\+?\(?\d(?:[\s().-]*\d){8,}")),
    # Any other run of 5 or more digits (staff and assignment numbers); years and counts stay.
    ("number", re.compile(r"\d{5,}")),
)
_FOLD = Normalizer()


def redact(text: str) -> str:
    """`text` normalised (case, accents, punctuation folded) with personal details replaced by [kind]."""
    pieces: list[str] = [text]
    marks: list[str] = []
    for kind, pattern in _REDACTIONS:
        split: list[str] = []
        for index, piece in enumerate(pieces):
            if index % 2:  # already a placeholder
                split.append(piece)
                continue
            parts = pattern.split(piece)
            for position, part in enumerate(parts):
                if position:
                    split.append(f"[{kind}]")
                split.append(part)
        pieces = split
    for index, piece in enumerate(pieces):
        marks.append(piece if index % 2 else _FOLD.text(piece))
    return " ".join(mark for mark in marks if mark)


def question_event(
    inbound: Inbound, reply: object, *, question_id: str, now: dt.datetime
) -> AskedQuestion | Resolved | None:
    """What to record for this turn: a new question, a click resolving an earlier one, or nothing.

    `reply` is whatever the turn replied; only the dialogue's replies are questions. Notices
    (empty, no words, too long, unknown button) are not questions and are not recorded.
    """
    submit = inbound.submit
    if submit is not None:
        if isinstance(reply, Answer) and isinstance(submit, ShowEntry) and submit.question_id is not None:
            return Resolved(submit.question_id, reply.entry.id)
        return None
    entry_id: str | None
    confidence: float | None
    match reply:
        case Answer():
            outcome, entry_id, confidence = Outcome.ANSWERED, reply.entry.id, reply.confidence
        case Clarify():
            first = reply.candidates[0].id if reply.candidates else None
            outcome, entry_id, confidence = Outcome.DID_YOU_MEAN, first, reply.confidence
        case NoAnswer():
            outcome, entry_id, confidence = Outcome.ESCALATED, None, None
        case SmallTalk():
            outcome, entry_id, confidence = Outcome.SMALL_TALK, None, None
        case _:
            return None
    return AskedQuestion(question_id, now, redact(inbound.text), outcome, entry_id, confidence)
