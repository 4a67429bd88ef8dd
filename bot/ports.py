"""What the dialogue needs from the outside world, as small Protocols it owns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from knowledge import Entry, Match

if TYPE_CHECKING:  # bot.questions imports the dialogue, which imports this module
    from bot.questions import AskedQuestion


class KnowledgeSource(Protocol):
    """Ranked matches for a question, and entries by id."""

    def rank(self, question: str, *, limit: int = 3) -> tuple[Match, ...]: ...

    def entry(self, entry_id: str) -> Entry | None: ...


class QuestionLog(Protocol):
    """Where handled questions are recorded without identity (see bot.questions).

    Every method may fail (the store is down); callers log and carry on, a turn never depends on it.
    Updates for an unknown or purged id do nothing.
    """

    async def record(self, question: AskedQuestion) -> None: ...

    async def mark_resolved(self, question_id: str, entry_id: str) -> None:
        """The question ended at `entry_id` (a "did you mean" click, or HR Direct answered with it)."""

    async def mark_feedback(self, question_id: str, *, helpful: bool) -> None:
        """The person said whether the answer helped (the latest feedback wins)."""

    async def mark_escalated(self, question_id: str) -> None:
        """The person asked HR Direct after this reply."""
