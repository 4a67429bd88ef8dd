"""What reading a policy Q&A document produces, whatever its format."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from knowledge.importing.blocks import Unit
from knowledge.models import PolicyReference


@dataclass(frozen=True)
class ImportFinding:
    """Something the reader noticed at `line` (a line, page or paragraph: `unit`); None is the whole document."""

    line: int | None
    message: str
    unit: Unit = "line"

    def __str__(self) -> str:
        return f"{self.unit} {self.line}: {self.message}" if self.line else self.message


@dataclass(frozen=True)
class ImportedQuestion:
    """One question as found in the document, before curation (no id or topic).

    `line` is where the question starts, counted in the document's unit (line, page, paragraph or
    row). `alternates` are other wordings the document itself gives (a spreadsheet's alternate
    questions column, a question answering export's questions of one answer); a document's own
    question has none. `category` is the document's own grouping of the question (a spreadsheet's
    category column or section row, an export's `category:` metadata), or "".
    """

    source: str
    question: str
    answer: str
    references: tuple[PolicyReference, ...]
    line: int
    alternates: tuple[str, ...] = ()
    category: str = ""


@dataclass(frozen=True)
class ImportedDocument:
    """Everything read from one document.

    `problems`: parts that could not be read; `notes`: what a curator should know but lost
    nothing; `unplaced`: text that went into no entry (introductions, stray paragraphs).
    """

    title: str
    owner: str | None
    last_reviewed: dt.date | None
    questions: tuple[ImportedQuestion, ...]
    problems: tuple[ImportFinding, ...] = field(default=())
    notes: tuple[ImportFinding, ...] = field(default=())
    unplaced: tuple[ImportFinding, ...] = field(default=())
    layout: str = ""
    unit: Unit = "line"


def preview(text: str) -> str:
    """`text` as a finding quotes it: on one line, cut at 70 characters."""
    flat = " ".join(text.split())
    return f"'{flat[:_PREVIEW]}…'" if len(flat) > _PREVIEW else f"'{flat}'"


_PREVIEW = 70
