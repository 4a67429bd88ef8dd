"""What the dialogue receives: one staff message or card submit, free of any chat SDK type."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


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
    """A message as the dialogue sees it: cleaned text, or the data of a card button."""

    text: str
    sender: Sender
    conversation_id: str
    scope: Scope = Scope.PERSONAL
    value: Mapping[str, Any] | None = field(default=None)
