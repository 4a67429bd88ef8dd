"""Replies as Adaptive Cards (version 1.5, what Teams renders) plus a plain-text fallback.

Cards are plain dicts built as objects, never by pasting text into JSON, so nothing a user
types can change a card's structure.
"""

from __future__ import annotations

from bot import texts
from bot.card_base import (
    CARD_VERSION,
    Card,
    CardSettings,
    Outbound,
    adaptive_card,
    entry_choices,
    from_several_documents,
    show_entry_action,
    text_block,
)
from bot.engagement import EngagementReply
from bot.engagement_cards import feedback_block, render_engagement
from bot.markdown import to_card_markdown, to_plain_text
from bot.replies import Answer, Clarify, NoAnswer, Notice, Reply, SmallTalk
from bot.submits import ASKED_ID_KEY, HR_DIRECT_FORM_ACTION
from knowledge import Entry

__all__ = [
    "CARD_VERSION",
    "Card",
    "CardSettings",
    "Outbound",
    "adaptive_card",
    "entry_choices",
    "render",
    "show_entry_action",
    "text_block",
]


def render(reply: Reply | EngagementReply, settings: CardSettings, *, question_id: str | None = None) -> Outbound:
    """The message that shows `reply` to staff.

    `question_id` (see bot.questions) goes into the data of the "did you mean", vote and "ask the
    helpdesk" buttons, so a click, a vote or an escalation can be linked to the question that
    produced it without identifying anyone.
    """
    match reply:
        case Answer():
            return _answer(reply, settings, question_id)
        case Clarify():
            return _clarify(reply, settings, question_id)
        case NoAnswer():
            return _no_answer(reply, settings, question_id)
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


def _escalation_actions(settings: CardSettings, asked: str = "", question_id: str | None = None) -> list[Card]:
    title = settings.organisation.fill(texts.ASK_HR_DIRECT)
    if settings.hr_direct_form:
        data = {"action": HR_DIRECT_FORM_ACTION, "question": asked}
        if question_id is not None:
            data[ASKED_ID_KEY] = question_id
        return [{"type": "Action.Submit", "title": title, "data": data}]
    if not settings.hr_direct_url:
        return []
    return [{"type": "Action.OpenUrl", "title": title, "url": settings.hr_direct_url}]


def _escalation_note(settings: CardSettings) -> list[Card]:
    if settings.hr_direct_url or settings.hr_direct_form:
        return []
    return [text_block(settings.organisation.fill(texts.HR_DIRECT_NO_ROUTE), isSubtle=True)]


def _answer(reply: Answer, settings: CardSettings, question_id: str | None) -> Outbound:
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
    body.extend(feedback_block(entry, reply.feedback, question_id))
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
        card=adaptive_card(body, _escalation_actions(settings, reply.asked or entry.question, question_id), fallback),
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
    named = from_several_documents(reply.candidates)
    options = "\n".join(f"- {e.question} ({e.document})" if named else f"- {e.question}" for e in reply.candidates)
    fallback = f"{heading}\n{options}\n\n{none_of_these}"
    actions = _escalation_actions(settings, reply.asked, question_id)
    return Outbound(summary=heading, card=adaptive_card(body, actions, fallback))


def _no_answer(reply: NoAnswer, settings: CardSettings, question_id: str | None) -> Outbound:
    no_answer = settings.organisation.fill(texts.NO_ANSWER)
    body = [text_block(no_answer), *_escalation_note(settings)]
    return Outbound(
        summary=no_answer,
        card=adaptive_card(body, _escalation_actions(settings, reply.asked, question_id), no_answer),
    )
