"""What the dialogue decides to say, before it becomes a card. 'No answer' is a value too."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import ClassVar

from knowledge import Entry


class Vote(str, Enum):
    """Staff feedback on an answer."""

    UP = "up"
    DOWN = "down"


@dataclass(frozen=True)
class Answer:
    """A confident match: the approved answer of `entry`, word for word.

    `feedback` is the vote this person just gave, shown on the card in place of the question.
    """

    outcome: ClassVar[str] = "answer"

    entry: Entry
    confidence: float
    related: tuple[Entry, ...] = ()
    asked: str = ""  # the staff member's words, to pre-fill a helpdesk form
    feedback: Vote | None = None


@dataclass(frozen=True)
class Clarify:
    """Not confident enough to answer: offer close questions ('Did you mean…?') and the HR helpdesk."""

    outcome: ClassVar[str] = "clarify"

    candidates: tuple[Entry, ...]
    ambiguous: bool = False
    asked: str = ""
    confidence: float | None = None  # of the best candidate (recorded for the curators' report)


@dataclass(frozen=True)
class NoAnswer:
    """Nothing in the corpus is close: say so and offer the HR helpdesk."""

    outcome: ClassVar[str] = "no_answer"

    asked: str = ""


class SmallTalkKind(str, Enum):
    GREETING = "greeting"
    THANKS = "thanks"
    GOODBYE = "goodbye"
    HELP = "help"
    ACKNOWLEDGEMENT = "acknowledgement"


@dataclass(frozen=True)
class SmallTalk:
    """A greeting, thanks, goodbye or 'what can you do': answered kindly, never escalated."""

    outcome: ClassVar[str] = "small_talk"

    kind: SmallTalkKind


class NoticeKind(str, Enum):
    EMPTY = "empty"
    NO_WORDS = "no_words"
    TOO_LONG = "too_long"
    UNKNOWN_ACTION = "unknown_action"


@dataclass(frozen=True)
class Notice:
    """A short, polite reply to input the bot cannot use."""

    outcome: ClassVar[str] = "notice"

    kind: NoticeKind


# Each reply type names its `outcome`: the label it is counted under in the metrics.
Reply = Answer | Clarify | NoAnswer | SmallTalk | Notice
