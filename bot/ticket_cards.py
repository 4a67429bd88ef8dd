"""Cards and notices for helpdesk tickets: the staff form, the HR ticket card, staff notices.

Text people typed (question, details, HR's reply, names) is shown in RichTextBlock/TextRun,
which Teams does not parse as markdown, and clipped by its serialised size so every activity
stays well under Teams' 28 KB budget.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from bot import ticket_texts as texts
from bot.cards import CARD_VERSION, Card, Outbound, adaptive_card
from bot.organisation import Organisation
from bot.submits import ASKED_ID_KEY, HR_FORM_SUBMIT_ACTION, HR_TICKET_ACTION
from bot.tickets import HrAction, Ticket, TicketEvent, TicketStatus

MAX_QUESTION_CHARS = 1000
MAX_DETAILS_CHARS = 3000
MAX_REPLY_CHARS = 4000
# Budgets in serialised JSON bytes (non-ASCII text may take 12 bytes a character once escaped);
# together they keep a card under 26 KB, leaving room for the activity around it (28 KB in all).
QUESTION_BYTES = 4_000
DETAILS_BYTES = 6_000
REPLY_BYTES = 8_000
HISTORY_LINES = 12


def clip(text: str, budget: int) -> str:
    """`text`, shortened with a visible note when its JSON form exceeds `budget` bytes."""
    if len(json.dumps(text)) <= budget:
        return text
    low, high = 0, len(text)
    limit = budget - len(json.dumps(texts.SHORTENED))
    while low < high:  # the longest prefix that fits
        middle = (low + high + 1) // 2
        if len(json.dumps(text[:middle])) <= limit:
            low = middle
        else:
            high = middle - 1
    return text[:low] + texts.SHORTENED


def _heading(text: str) -> Card:
    return {"type": "TextBlock", "text": text, "wrap": True, "weight": "Bolder", "size": "Medium", "style": "heading"}


def _note(text: str) -> Card:
    return {"type": "TextBlock", "text": text, "wrap": True, "isSubtle": True, "spacing": "Small"}


def _plain(text: str, budget: int, **style: Any) -> Card:
    """User-typed text, shown literally (TextRun does not render markdown)."""
    return {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": clip(text, budget)}], **style}


def _field(label: str, value: str, budget: int = 600) -> Card:
    return {
        "type": "RichTextBlock",
        "spacing": "Small",
        "inlines": [
            {"type": "TextRun", "text": f"{label}: ", "weight": "Bolder"},
            {"type": "TextRun", "text": clip(value, budget)},
        ],
    }


def _when(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%d %b %Y %H:%M UTC")


# --- staff side -------------------------------------------------------------------------------


def form(question: str, nonce: str, organisation: Organisation, *, question_id: str | None = None) -> Outbound:
    """The short form a staff member fills in to ask the helpdesk; `nonce` identifies this submission,
    `question_id` the question whose reply offered the helpdesk (for the curators' report)."""
    fill = organisation.fill
    title = fill(texts.FORM_TITLE)
    body: list[Card] = [
        _heading(title),
        _note(fill(texts.FORM_INTRO)),
        {
            "type": "Input.Text",
            "id": "question",
            "label": texts.FORM_QUESTION,
            "value": question[:MAX_QUESTION_CHARS],
            "isMultiline": True,
            "isRequired": True,
            "errorMessage": texts.FORM_QUESTION_NEEDED,
            "maxLength": MAX_QUESTION_CHARS,
        },
        {
            "type": "Input.Text",
            "id": "details",
            "label": texts.FORM_DETAILS,
            "placeholder": fill(texts.FORM_DETAILS_HINT),
            "isMultiline": True,
            "maxLength": MAX_DETAILS_CHARS,
        },
        {
            "type": "Input.ChoiceSet",
            "id": "identity",
            "label": fill(texts.FORM_IDENTITY),
            "style": "expanded",
            "value": "named",
            "choices": [
                {"title": fill(texts.SHARE_NAME), "value": "named"},
                {"title": fill(texts.ANONYMOUS), "value": "anonymous"},
            ],
        },
    ]
    data = {"action": HR_FORM_SUBMIT_ACTION, "nonce": nonce}
    if question_id is not None:
        data[ASKED_ID_KEY] = question_id
    actions = [{"type": "Action.Submit", "title": fill(texts.SEND), "data": data}]
    return Outbound(summary=title, card=adaptive_card(body, actions, title))


def text(message: str) -> Outbound:
    return Outbound(summary=message, text=message)


def confirmation(ticket: Ticket, organisation: Organisation, *, repeated: bool) -> Outbound:
    template = texts.ALREADY_SENT if repeated else texts.CONFIRMED
    return text(organisation.fill(template, reference=ticket.reference))


_STATUS = {
    TicketStatus.OPEN: texts.STATUS_OPEN,
    TicketStatus.ASSIGNED: texts.STATUS_ASSIGNED,
    TicketStatus.RESOLVED: texts.STATUS_RESOLVED,
}


def my_requests(tickets: Sequence[Ticket], organisation: Organisation) -> Outbound:
    """The staff member's own tickets, newest first, as plain text."""
    if not tickets:
        return text(organisation.fill(texts.NO_REQUESTS))
    lines = [organisation.fill(texts.MY_REQUESTS)]
    for ticket in tickets:
        question = ticket.question if len(ticket.question) <= 80 else ticket.question[:77] + "…"
        status = _STATUS[ticket.status]
        if ticket.hr_post_failing:
            status = f"{status}, {organisation.fill(texts.NOT_DELIVERED)}"
        lines.append(f"- {ticket.reference} ({status}, {_when(ticket.created_at)}): {question}")
    return text("\n".join(lines))


CONFIRMATION_NOTICE = "confirmation"  # the outbox re-sends a confirmation its turn could not deliver


def staff_notice(ticket: Ticket, payload: Mapping[str, Any], organisation: Organisation) -> Outbound:
    """What a staff member receives in their 1:1 chat when the helpdesk acts on their ticket."""
    notice = payload.get("notice")
    if notice == "answer":
        answer = str(payload.get("text", ""))
        summary = organisation.fill(texts.ANSWER_HEADING, reference=ticket.reference)
        body = [
            _heading(summary),
            _field(texts.YOUR_QUESTION, ticket.question, QUESTION_BYTES),
            _plain(answer, REPLY_BYTES, spacing="Medium"),
            _note(organisation.fill(texts.ANSWER_FOOTER)),
        ]
        return Outbound(summary=summary, card=adaptive_card(body, [], f"{summary}\n\n{clip(answer, 1_000)}"))
    if notice == CONFIRMATION_NOTICE:
        return confirmation(ticket, organisation, repeated=False)
    template = texts.STATUS_NOTICES.get(str(notice), texts.STATUS_NOTICES["changed"])
    return text(organisation.fill(template, reference=ticket.reference))


# --- HR helpdesk side ---------------------------------------------------------------------------


def _hr_button(title: str, ticket: Ticket, action: HrAction, **style: Any) -> Card:
    return {"type": "Action.Submit", "title": title, "data": hr_data(ticket, action), **style}


def hr_data(ticket: Ticket, action: HrAction) -> dict[str, Any]:
    """The data an HR button carries: the ticket's secret token and the version the card shows."""
    return {
        "action": HR_TICKET_ACTION,
        "op": action.value,
        "ticket": ticket.number,
        "token": ticket.token,
        "version": ticket.version,
    }


def _show_card(title: str, inputs: list[Card], submit: Card) -> Card:
    return {
        "type": "Action.ShowCard",
        "title": title,
        "card": {"type": "AdaptiveCard", "version": CARD_VERSION, "body": inputs, "actions": [submit]},
    }


def hr_ticket(ticket: Ticket, history: Sequence[TicketEvent]) -> Outbound:
    """The ticket card in the helpdesk's channel, showing its current state and who did what."""
    status = _STATUS[ticket.status]
    heading = f"{ticket.reference} · {status}"
    requester = texts.ANONYMOUS_REQUESTER if ticket.requester.anonymous else (ticket.requester.name or texts.UNNAMED)
    body: list[Card] = [
        _heading(heading),
        _field(texts.QUESTION, ticket.question, QUESTION_BYTES),
    ]
    if ticket.details:
        body.append(_field(texts.DETAILS, ticket.details, DETAILS_BYTES))
    body.append(_field(texts.REQUESTER, requester))
    body.append(_field(texts.ASKED, _when(ticket.created_at)))
    body.append(_field(texts.STATUS, status))
    if ticket.assignee:
        body.append(_field(texts.ASSIGNED_TO, ticket.assignee))
    if ticket.best_guess is not None:
        guess = ticket.best_guess
        body.append(_field(texts.BEST_GUESS, f"{guess.question} ({round(guess.confidence * 100)}% confidence)"))
    else:
        body.append(_field(texts.BEST_GUESS, texts.NO_GUESS))
    if ticket.hr_reply:
        body.append(_field(texts.HR_REPLY, ticket.hr_reply, REPLY_BYTES))
    if history:
        lines = [
            f"{_when(e.at)} {texts.EVENTS.get(e.kind, e.kind)}"
            + (f" {e.note}" if e.note and e.kind == "assigned" else "")
            + (f" ({e.actor})" if e.actor else "")
            for e in history[-HISTORY_LINES:]
        ]
        body.append({"type": "TextBlock", "text": texts.HISTORY, "weight": "Bolder", "spacing": "Medium"})
        body.append(_plain("\n".join(lines), 3_000, spacing="Small"))
    if ticket.suggested_as_faq:
        body.append(_note(texts.SUGGESTED))
    actions: list[Card] = []
    if ticket.status is not TicketStatus.RESOLVED:
        actions.append(_hr_button(texts.ASSIGN_ME, ticket, HrAction.ASSIGN_ME))
        actions.append(
            _show_card(
                texts.ASSIGN_TO,
                [
                    {
                        "type": "Input.Text",
                        "id": "assignee",
                        "label": texts.COLLEAGUE,
                        "maxLength": 200,
                        "isRequired": True,
                        "errorMessage": texts.COLLEAGUE_NEEDED,
                    }
                ],
                _hr_button(texts.ASSIGN, ticket, HrAction.ASSIGN_TO),
            )
        )
        actions.append(
            _show_card(
                texts.REPLY,
                [
                    {
                        "type": "Input.Text",
                        "id": "reply",
                        "label": texts.REPLY_LABEL,
                        "isMultiline": True,
                        "maxLength": MAX_REPLY_CHARS,
                        "isRequired": True,
                        "errorMessage": texts.REPLY_NEEDED,
                    }
                ],
                _hr_button(texts.SEND_REPLY, ticket, HrAction.REPLY),
            )
        )
        actions.append(_hr_button(texts.RESOLVE, ticket, HrAction.RESOLVE))
    else:
        actions.append(_hr_button(texts.REOPEN, ticket, HrAction.REOPEN))
        if ticket.hr_reply and not ticket.suggested_as_faq:
            actions.append(_hr_button(texts.SUGGEST_FAQ, ticket, HrAction.SUGGEST_FAQ))
    fallback = f"{heading}\n{texts.QUESTION}: {clip(ticket.question, 500)}\n{texts.REQUESTER}: {clip(requester, 300)}"
    return Outbound(summary=heading, card=adaptive_card(body, actions, fallback))
