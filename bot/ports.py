"""What the dialogue needs from the outside world, as small Protocols it owns."""

from __future__ import annotations

from typing import Protocol

from bot.replies import Vote
from knowledge import Entry, Match


class KnowledgeSource(Protocol):
    """Ranked matches for a question, and entries by id."""

    def rank(self, question: str, *, limit: int = 3) -> tuple[Match, ...]: ...

    def entry(self, entry_id: str) -> Entry | None: ...


class WelcomeBook(Protocol):
    """Remembers who has been welcomed, so install events that repeat welcome only once."""

    async def claim_welcome(self, kind: str, subject_id: str) -> bool:
        """True the first time (`kind`, `subject_id`) is claimed, False ever after."""
        ...


class FeedbackBox(Protocol):
    """Keeps one vote per person per answer; a new vote replaces the old one."""

    async def record_vote(self, voter_id: str, entry_id: str, vote: Vote, missing: str | None) -> None: ...
