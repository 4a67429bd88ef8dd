"""What every card module builds on: the message to send, whose names it uses, the card envelope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.organisation import Organisation
from bot.privacy import Retention

CARD_VERSION = "1.5"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
Card = dict[str, Any]


@dataclass(frozen=True)
class Outbound:
    """One message to send: a card with its fallback, or plain text alone."""

    summary: str
    card: Card | None = None
    text: str | None = None


@dataclass(frozen=True)
class CardSettings:
    """Whose names the texts use, and where 'Ask <helpdesk>' leads: the ticket form when the
    helpdesk's channel is known (`hr_direct_form`), else a Teams deep link, web page or mailto: URL
    (or nowhere)."""

    organisation: Organisation
    hr_direct_url: str | None = None
    hr_direct_form: bool = False
    retention: Retention = Retention()


def adaptive_card(body: list[Card], actions: list[Card], fallback: str) -> Card:
    """A version-1.5 card Teams renders, with the text clients without cards show instead."""
    return {
        "type": "AdaptiveCard",
        "$schema": CARD_SCHEMA,
        "version": CARD_VERSION,
        "fallbackText": fallback,
        "body": body,
        "actions": actions,
    }


def text_block(text: str, **style: Any) -> Card:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}
