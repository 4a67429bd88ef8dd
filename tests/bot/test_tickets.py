"""The ticket state machine and the ticket cards, without any chat SDK."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bot import ticket_cards
from bot.tickets import Actor, HrAction, Refused, Requester, Ticket, TicketEvent, TicketStatus, apply
from tests.fake_connector import card_text
from tests.organisations import NHSBT

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
AGENT = Actor("29:hr", "aad-hr", "Bea Agent")


def ticket(**changes: object) -> Ticket:
    base = Ticket(
        number=42,
        token="tok",
        requester=Requester("29:staff", "aad-staff", "Ada Staff", False),
        question="Can I swap shifts?",
        details="",
        best_guess=None,
        status=TicketStatus.OPEN,
        assignee=None,
        hr_reply=None,
        suggested_as_faq=False,
        version=1,
        created_at=NOW,
        updated_at=NOW,
    )
    return Ticket(**{**base.__dict__, **changes})  # type: ignore[arg-type]


def test_reference_is_zero_padded() -> None:
    assert ticket().reference == "HRD-000042"


def test_each_action_moves_the_ticket_and_bumps_its_version() -> None:
    assigned, event = apply(ticket(), HrAction.ASSIGN_TO, AGENT, text="Carl Colleague", now=NOW)
    assert (assigned.status, assigned.assignee, assigned.version) == (TicketStatus.ASSIGNED, "Carl Colleague", 2)
    assert event == TicketEvent(NOW, "assigned", "Bea Agent", "Carl Colleague")
    replied, _ = apply(assigned, HrAction.REPLY, AGENT, text="Yes.", now=NOW)
    resolved, _ = apply(replied, HrAction.RESOLVE, AGENT, text="", now=NOW)
    reopened, _ = apply(resolved, HrAction.REOPEN, AGENT, text="", now=NOW)
    assert (replied.hr_reply, resolved.status, reopened.status) == (
        "Yes.",
        TicketStatus.RESOLVED,
        TicketStatus.ASSIGNED,
    )


@pytest.mark.parametrize(
    ("state", "action", "text"),
    [
        ({"status": TicketStatus.RESOLVED}, HrAction.ASSIGN_ME, ""),
        ({}, HrAction.ASSIGN_TO, "   "),
        ({}, HrAction.REPLY, ""),
        ({}, HrAction.REOPEN, ""),
        ({"status": TicketStatus.RESOLVED}, HrAction.RESOLVE, ""),
        ({"status": TicketStatus.RESOLVED}, HrAction.SUGGEST_FAQ, ""),  # no reply to suggest
        ({"status": TicketStatus.OPEN, "hr_reply": "x"}, HrAction.SUGGEST_FAQ, ""),
    ],
)
def test_actions_that_do_not_apply_are_refused(state: dict, action: HrAction, text: str) -> None:
    with pytest.raises(Refused):
        apply(ticket(**state), action, AGENT, text=text, now=NOW)


def test_typed_text_is_shown_literally_not_as_markdown() -> None:
    card = ticket_cards.hr_ticket(ticket(question="**urgent** [click](https://evil.example)"), ()).card
    assert card is not None
    blocks = [b for b in card["body"] if b["type"] == "RichTextBlock"]
    assert any(i["text"] == "**urgent** [click](https://evil.example)" for b in blocks for i in b["inlines"])
    assert all("evil" not in b.get("text", "") for b in card["body"] if b["type"] == "TextBlock")


def test_anonymous_card_names_nobody() -> None:
    anonymous = ticket(requester=Requester("29:staff", "aad-staff", None, True))
    card = ticket_cards.hr_ticket(anonymous, ()).card
    text = json.dumps(card)
    assert "Anonymous" in card_text(card) and "29:staff" not in text and "aad-staff" not in text


def test_huge_text_is_clipped_with_a_note_and_the_activity_stays_small() -> None:
    huge = "🙂" * 20_000
    history = tuple(TicketEvent(NOW, "assigned", "Bea " * 50, "Carl " * 50) for _ in range(40))
    card = ticket_cards.hr_ticket(ticket(question=huge, details=huge, hr_reply=huge, assignee="x" * 300), history).card
    assert len(json.dumps(card)) < 26_000  # the activity around it stays under 28 KB
    assert "shortened" in card_text(card)
    notice = ticket_cards.staff_notice(ticket(question=huge), {"notice": "answer", "text": huge}, NHSBT).card
    assert len(json.dumps(notice)) < 26_000


def test_resolved_card_offers_reopen_and_suggest_only_after_a_reply() -> None:
    titles = [
        a["title"]
        for a in ticket_cards.hr_ticket(ticket(status=TicketStatus.RESOLVED, hr_reply="Yes."), ()).card["actions"]
    ]
    assert titles == ["Reopen", "Suggest as FAQ"]
    titles = [a["title"] for a in ticket_cards.hr_ticket(ticket(), ()).card["actions"]]
    assert titles == ["Assign to me", "Assign to…", "Reply", "Resolve"]


def test_answer_card_still_need_help_opens_the_form_with_the_staff_question(corpus) -> None:  # type: ignore[no-untyped-def]
    from bot import Answer, CardSettings, render

    entry = corpus.entries[0]
    card = render(Answer(entry, 0.9, asked="my own words"), CardSettings(NHSBT, hr_direct_form=True)).card
    (ask,) = [a for a in card["actions"] if a["title"] == "Ask HR Direct"]
    assert ask["type"] == "Action.Submit" and ask["data"] == {"action": "hrd-form", "question": "my own words"}
    assert "usual HR Direct channels" not in card_text(card)
