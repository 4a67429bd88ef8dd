"""Every kind of card the bot sends, rendered from the shipped corpus, for the renderer check and docs/.

`python -m tests.card_gallery OUT.json` writes [{"name", "card"}, ...] for tools/render_cards.mjs.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from adapters.config.settings import DEFAULT_EMBEDDING_CACHE
from adapters.corpus.meaning import ranker_for
from bot import CardSettings, Clarify, NoAnswer, render, ticket_cards
from bot.dialogue import Dialogue
from bot.engagement import Help, Welcome, examples, group_by_topic
from bot.replies import Vote
from bot.tickets import BestGuess, Requester, Ticket, TicketEvent, TicketStatus
from knowledge import Corpus, Entry, load_corpus
from tests.organisations import NHSBT

ROOT = Path(__file__).resolve().parent.parent

SHIPPED_CORPUS = Path(__file__).resolve().parent.parent / "knowledge" / "data"
HR_DIRECT = CardSettings(NHSBT, hr_direct_url="https://teams.microsoft.com/l/chat/0/0?users=hr.direct@example.org")
NO_ROUTE = CardSettings(NHSBT)
# Every kind of card, drawn into docs/cards/ by `make cards` (the per-entry answers are checked, not drawn).
DOCS = (
    "welcome",
    "welcome-no-route",
    "help",
    "topics",
    "answer",
    "answer-voted",
    "answer-voted-down",
    "did-you-mean",
    "did-you-mean-untitled",
    "did-you-mean-documents",
    "ambiguous",
    "escalation",
    "escalation-no-route",
    "hr-direct-form",
    "hr-ticket",
    "hr-ticket-resolved",
    "answer-whatsapp-team-updates-personal-phone",  # related questions and an e-mail link
)
WHEN = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)


def gallery(corpus: Corpus) -> list[dict[str, Any]]:
    dialogue = Dialogue(ranker_for(ROOT / DEFAULT_EMBEDDING_CACHE)(corpus))
    topics = group_by_topic(corpus)
    shown = examples(topics)
    first = corpus.entries[0]
    longest = max(corpus.entries, key=lambda e: len(e.answer))
    named: list[tuple[str, object, CardSettings]] = [
        ("welcome", Welcome(shown), HR_DIRECT),
        ("welcome-no-route", Welcome(shown), NO_ROUTE),
        ("help", Help(shown), HR_DIRECT),
        ("topics", topics, HR_DIRECT),
        ("answer", dialogue.show(longest), HR_DIRECT),
        ("answer-voted", dialogue.show(first, feedback=Vote.UP), HR_DIRECT),
        ("answer-voted-down", dialogue.show(first, feedback=Vote.DOWN), NO_ROUTE),
        ("did-you-mean", Clarify(corpus.entries[:3]), HR_DIRECT),
        # A document nobody has curated yet: no short titles, so whole questions, wrapped.
        ("did-you-mean-untitled", Clarify(tuple(_untitled(e) for e in corpus.entries[:3])), HR_DIRECT),
        # Two documents in one bot: each choice names its document.
        ("did-you-mean-documents", Clarify(_from_two_documents()), HR_DIRECT),
        ("ambiguous", Clarify(corpus.entries[:2], ambiguous=True), NO_ROUTE),
        ("escalation", NoAnswer(), HR_DIRECT),
        ("escalation-no-route", NoAnswer(), NO_ROUTE),
    ]
    named += [(f"answer-{e.id}", dialogue.show(e), HR_DIRECT) for e in corpus.entries]
    cards = []
    for name, reply, settings in named:
        card = render(reply, settings).card  # type: ignore[arg-type]
        assert card is not None, name
        cards.append({"name": name, "card": card})
    return cards + _hr_direct_cards(first)


def _from_two_documents() -> tuple[Entry, ...]:
    """Sickness during probation in the attendance document, and the probation document's entries
    on it, as imported (no short titles yet)."""
    documents = ROOT / "eval" / "documents"
    attendance = load_corpus(documents / "attendance").entry("sickness-during-probation")
    probation = load_corpus(documents / "probation")
    chosen = (attendance, probation.entry("extending-probation"), probation.entry("failing-probation-final-hearing"))
    assert all(chosen), "the evaluation documents' entries"
    return tuple(_untitled(e) for e in chosen if e is not None)


def _untitled(entry: Entry) -> Entry:
    return entry.model_copy(update={"short_title": None})


def _hr_direct_cards(guess: Entry) -> list[dict[str, Any]]:
    """The helpdesk's cards: the form staff fill in, and the ticket posted to the helpdesk's channel."""
    ticket = Ticket(
        number=42,
        token="gallery",
        requester=Requester("29:staff", "aad-staff", "Ada Staff", anonymous=False),
        question="Can I post photos from the team away day on my personal Instagram?",
        details="Some colleagues in the photos are off sick this week.",
        best_guess=BestGuess(guess.id, guess.question, 0.41),
        status=TicketStatus.OPEN,
        assignee=None,
        hr_reply=None,
        suggested_as_faq=False,
        version=1,
        created_at=WHEN,
        updated_at=WHEN,
    )
    resolved = Ticket(
        **{
            **ticket.__dict__,
            "status": TicketStatus.RESOLVED,
            "assignee": "Carl Colleague",
            "hr_reply": "Yes, with everyone's agreement; leave out anyone who is off sick.",
            "version": 3,
        }
    )
    history = (TicketEvent(WHEN, "assigned", "Carl Colleague"), TicketEvent(WHEN, "resolved", "Carl Colleague"))
    cards = [
        ("hr-direct-form", ticket_cards.form(ticket.question, "gallery", NHSBT)),
        ("hr-ticket", ticket_cards.hr_ticket(ticket, ())),
        ("hr-ticket-resolved", ticket_cards.hr_ticket(resolved, history)),
    ]
    out = []
    for name, message in cards:
        assert message.card is not None, name
        out.append({"name": name, "card": message.card})
    return out


def main(out: str) -> None:
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(gallery(load_corpus(SHIPPED_CORPUS)), ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
