"""What every card module builds on: the message to send, whose names it uses, the card envelope,
and the buttons that show an entry's answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.organisation import Organisation
from bot.privacy import Retention
from bot.submits import QUESTION_ID_KEY, SHOW_ENTRY_ACTION
from knowledge import Entry

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


def show_entry_action(entry: Entry, question_id: str | None = None) -> Card:
    """The submit that shows `entry`'s answer, titled with its short title (or, lacking one, its question)."""
    data: Card = {
        "action": SHOW_ENTRY_ACTION,
        "entry": entry.id,
        # No msteams messageBack here: the Agents Playground drops messageBack submits.
    }
    if question_id is not None:
        data[QUESTION_ID_KEY] = question_id
    return {"type": "Action.Submit", "title": entry.short_title or entry.question, "data": data}


def entry_choices(entries: tuple[Entry, ...], question_id: str | None = None) -> list[Card]:
    """One row per entry: a button titled with the entry's short title, which fits on a button.

    An entry without one (a new document not yet curated) is offered as its full question in a
    wrapped, clickable line instead: Teams clips a button title to one line, and long questions that
    start with the same words could not be told apart. When the entries come from more than one
    policy document, each row names its document underneath, so staff can tell "sickness during
    probation" in the attendance policy from the probation policy's entry.
    """
    rows: list[Card] = []
    named = from_several_documents(entries)
    for entry in entries:
        action = show_entry_action(entry, question_id)
        if entry.short_title:
            rows.append({"type": "ActionSet", "spacing": "Small", "actions": [action]})
        else:
            rows.append(
                {
                    "type": "Container",
                    "spacing": "Small",
                    "selectAction": action,
                    "items": [text_block(f"› {entry.question}", color="Accent")],
                }
            )
        if named:
            rows.append(text_block(entry.document, spacing="None", size="Small", isSubtle=True))
    return rows


def from_several_documents(entries: tuple[Entry, ...]) -> bool:
    """True when `entries` come from more than one policy document (each has its title)."""
    documents = {entry.document for entry in entries}
    return len(documents) > 1 and "" not in documents
