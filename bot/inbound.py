"""What the dialogue receives: one staff message or card submit, free of any chat SDK type."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.submits import Submit


class Scope(str, Enum):
    """Where the message was written."""

    PERSONAL = "personal"
    GROUP_CHAT = "groupChat"
    CHANNEL = "channel"


@dataclass(frozen=True)
class Sender:
    """Who wrote. Identity fields are personal data: never log them."""

    id: str
    aad_object_id: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class Inbound:
    """A message as the bot sees it: cleaned text, or the submit of a card button (then `text` is
    ignored). `mentions_bot`: the bot was @mentioned (in group chats and channels it answers only then)."""

    text: str
    sender: Sender
    conversation_id: str
    scope: Scope = Scope.PERSONAL
    submit: Submit | None = None
    mentions_bot: bool = False
