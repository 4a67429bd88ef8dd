"""What the dialogue needs from the outside world, as small Protocols it owns."""

from __future__ import annotations

from typing import Protocol

from knowledge import Entry, Match


class KnowledgeSource(Protocol):
    """Ranked matches for a question, and entries by id."""

    def rank(self, question: str, *, limit: int = 3) -> tuple[Match, ...]: ...

    def entry(self, entry_id: str) -> Entry | None: ...
