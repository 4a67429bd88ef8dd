"""What the bot keeps about the people who use it, and for how long.

The one list of stored records: the privacy note staff are shown is built from it, and a test holds
it equal to the store's tables and to the table in docs/privacy.md, so the three cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.organisation import Organisation


@dataclass(frozen=True)
class Retention:
    """Days each kind of record is kept (the purge settings `FAQBOT_RETAIN_*_DAYS`)."""

    questions_days: int = 365
    feedback_days: int = 365
    tickets_days: int = 365


@dataclass(frozen=True)
class StoredRecord:
    """One table of the store, and how the privacy note tells staff about it.

    `told` is a sentence part filled with the organisation's names and the `Retention` fields, or
    None for a record that holds nothing a staff member gave the bot (e.g. HR's own actions).
    """

    table: str
    told: str | None


RECORDS = (
    StoredRecord(
        "asked_questions",
        "the text of each question you ask, with e-mail addresses and long numbers removed and not linked "
        "to you, for {questions_days} days, so HR can improve the answers",
    ),
    StoredRecord(
        "feedback_votes",
        "your 👍/👎 feedback and anything you write with it, under a code, not your name, for {feedback_days} days",
    ),
    StoredRecord("welcomes", "that I have welcomed you, under the same code"),
    StoredRecord(
        "tickets",
        "any question you send to {helpdesk}, with your Teams id (and your name, unless you ask anonymously), "
        "until {tickets_days} days after it is last updated",
    ),
    StoredRecord("ticket_events", None),
    StoredRecord("ticket_outbox", None),
    StoredRecord("faq_drafts", None),
    StoredRecord("hr_channel", None),
    StoredRecord("alternate_decisions", None),
    StoredRecord("delivered_activities", None),
)

NOTE = (
    "Privacy: nothing you type is written to logs. I keep {kept}. "
    "I am not for emergencies or confidential case details."
)


def privacy_note(organisation: Organisation, retention: Retention) -> str:
    """The note staff see on the welcome and help cards: every record kept about them, and for how long."""
    told = [organisation.fill(record.told, **vars(retention)) for record in RECORDS if record.told is not None]
    kept = "; ".join(told[:-1]) + "; and " + told[-1]
    return NOTE.format(kept=kept)
