"""Replies as Adaptive Cards (version 1.5, what Teams renders) plus a plain-text fallback.

Cards are plain dicts built as objects, never by pasting text into JSON, so nothing a user
types can change a card's structure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot import texts
from bot.dialogue import SHOW_ENTRY_ACTION
from bot.markdown import to_card_markdown, to_plain_text
from bot.organisation import Organisation
from bot.privacy import Retention
from bot.questions import QUESTION_ID_KEY
from bot.replies import Answer, Clarify, NoAnswer, Notice, Reply, SmallTalk
from knowledge import Entry

if TYPE_CHECKING:
    from bot.engagement import EngagementReply

CARD_VERSION = "1.5"
# Opens the helpdesk's ticket form (handled by bot.escalation; the name is shared with ticket_cards).
HR_DIRECT_FORM_ACTION = "hrd-form"
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


def render(
    reply: Reply | EngagementReply, settings: CardSettings, *, question_id: str | None = None
) -> Outbound:
    """The message that shows `reply` to staff.

    `question_id` (see bot.questions) goes into the "did you mean" buttons' data, so a click can be
    linked to the question that produced it without identifying anyone.
    """
    # Imported here: engagement_cards builds on this module's card helpers.
    from bot.engagement_cards import render_engagement

    match reply:
        case Answer():
            return _answer(reply, settings)
        case Clarify():
            return _clarify(reply, settings, question_id)
        case NoAnswer():
            return _no_answer(reply, settings)
        case SmallTalk():
            text = settings.organisation.fill(texts.SMALL_TALK[reply.kind.value])
            return Outbound(summary=text, text=text)
        case Notice():
            text = settings.organisation.fill(texts.NOTICES[reply.kind.value])
            return Outbound(summary=text, text=text)
        case _:
            return render_engagement(reply, settings)


def reviewed_label(entry: Entry) -> str:
    return entry.last_reviewed.strftime("%B %Y") if entry.last_reviewed else ""


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
    start with the same words could not be told apart.
    """
    rows: list[Card] = []
    for entry in entries:
        action = show_entry_action(entry, question_id)
        if entry.short_title:
            rows.append({"type": "ActionSet", "spacing": "Small", "actions": [action]})
        else:
            rows.append({
                "type": "Container",
                "spacing": "Small",
                "selectAction": action,
                "items": [text_block(f"› {entry.question}", color="Accent")],
            })
    return rows


def _escalation_actions(settings: CardSettings, asked: str = "") -> list[Card]:
    title = settings.organisation.fill(texts.ASK_HR_DIRECT)
    if settings.hr_direct_form:
        data = {"action": HR_DIRECT_FORM_ACTION, "question": asked}
        return [{"type": "Action.Submit", "title": title, "data": data}]
    if not settings.hr_direct_url:
        return []
    return [{"type": "Action.OpenUrl", "title": title, "url": settings.hr_direct_url}]


def _escalation_note(settings: CardSettings) -> list[Card]:
    if settings.hr_direct_url or settings.hr_direct_form:
        return []
    return [text_block(settings.organisation.fill(texts.HR_DIRECT_NO_ROUTE), isSubtle=True)]


def _answer(reply: Answer, settings: CardSettings) -> Outbound:
    entry = reply.entry
    markdown = to_card_markdown(entry.answer, entry.references)
    body: list[Card] = [
        text_block(entry.question, size="Medium", weight="Bolder", style="heading"),
        *(text_block(paragraph, spacing="Small") for paragraph in markdown.split("\n\n")),
        {
            "type": "FactSet",
            "spacing": "Medium",
            "separator": True,
            "facts": [
                {"title": texts.REFERENCE, "value": "; ".join(entry.reference_labels)},
                {"title": texts.OWNER, "value": entry.owner},
                {"title": texts.LAST_REVIEWED, "value": reviewed_label(entry)},
            ],
        },
    ]
    if reply.related:
        body.append(text_block(texts.RELATED, weight="Bolder", spacing="Medium"))
        body.extend(entry_choices(reply.related))
    from bot.engagement_cards import feedback_block  # see render()

    body.extend(feedback_block(entry, reply.feedback))
    body.append(text_block(texts.STILL_NEED_HELP, isSubtle=True, spacing="Medium"))
    body.extend(_escalation_note(settings))
    reference = "; ".join(entry.reference_labels)
    fallback = (
        f"{entry.question}\n\n{to_plain_text(entry.answer)}\n\n"
        f"{texts.REFERENCE}: {reference} ({entry.owner}, {texts.LAST_REVIEWED.lower()} "
        f"{reviewed_label(entry)})"
    )
    return Outbound(
        summary=f"{entry.question} ({reference})",
        card=adaptive_card(body, _escalation_actions(settings, reply.asked or entry.question), fallback),
    )


def _clarify(reply: Clarify, settings: CardSettings, question_id: str | None) -> Outbound:
    heading = texts.AMBIGUOUS if reply.ambiguous else texts.DID_YOU_MEAN
    none_of_these = settings.organisation.fill(texts.NONE_OF_THESE)
    body: list[Card] = [
        text_block(heading),
        *entry_choices(reply.candidates, question_id),
        text_block(none_of_these, spacing="Medium"),
        *_escalation_note(settings),
    ]
    options = "\n".join(f"- {e.question}" for e in reply.candidates)
    fallback = f"{heading}\n{options}\n\n{none_of_these}"
    return Outbound(summary=heading, card=adaptive_card(body, _escalation_actions(settings, reply.asked), fallback))


def _no_answer(reply: NoAnswer, settings: CardSettings) -> Outbound:
    no_answer = settings.organisation.fill(texts.NO_ANSWER)
    body = [text_block(no_answer), *_escalation_note(settings)]
    return Outbound(
        summary=no_answer,
        card=adaptive_card(body, _escalation_actions(settings, reply.asked), no_answer),
    )
