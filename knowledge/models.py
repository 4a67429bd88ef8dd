"""The curated corpus as typed, frozen values."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PolicyReference(_Frozen):
    """Where an approved answer comes from: 'Attendance Policy FAQ' section '7.8'."""

    name: str = Field(min_length=1)
    section: str | None = None
    url: str | None = Field(default=None, pattern=r"^(https://|mailto:)\S+$")

    @property
    def label(self) -> str:
        """Human-readable citation, e.g. 'Social Media FAQ 1.2'."""
        return f"{self.name} {self.section}" if self.section else self.name


class Entry(_Frozen):
    """One approved question and answer.

    `answer` is HR-approved text and is never reworded; it may contain markdown links as
    written in the source document. `owner` and `last_reviewed` are None only on entries imported
    from a document that names neither; `read_corpus` reports them, so such a corpus is not served.
    """

    id: str
    question: str = Field(min_length=1)
    short_title: str | None = Field(default=None, min_length=1)
    """What a button offering this entry says (at most `knowledge.short_titles.MAX_SHORT_TITLE_CHARS`
    characters, unique within its document); the full question stays the answer's heading."""
    alternates: tuple[str, ...] = ()
    answer: str = Field(min_length=1)
    references: tuple[PolicyReference, ...] = Field(min_length=1)
    topic: str = Field(min_length=1)
    owner: str | None = Field(default=None, min_length=1)
    last_reviewed: dt.date | None = None
    source: str = Field(min_length=1, description="document and question number, e.g. 'Q17'")
    related: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    document: str = ""
    """Title of the policy document the entry comes from (its file's `document.title`): entries of
    several documents are browsed by document, and offered together only when close in meaning."""

    @field_validator("id")
    @classmethod
    def _id_is_slug(cls, value: str) -> str:
        if not _ID.match(value):
            msg = "must be lower-case words joined by hyphens, e.g. 'sar-how-far-back'"
            raise ValueError(msg)
        return value

    @property
    def reference_labels(self) -> tuple[str, ...]:
        return tuple(ref.label for ref in self.references)


class Topic(_Frozen):
    """A group of entries shown together when staff browse."""

    id: str
    title: str


class OutOfScopeTopic(_Frozen):
    """Something staff ask that this corpus does not answer, with examples as they type it.

    Questions closer to these than to any entry are not answered: it is how 'how do I report a
    sickness absence' stays away from the sickness-absence-and-social-media entry.
    """

    topic: str = Field(min_length=1)
    examples: tuple[str, ...] = Field(min_length=1)


class Corpus(_Frozen):
    """All entries the bot may answer from, plus the vocabulary used to match them."""

    entries: tuple[Entry, ...]
    topics: tuple[Topic, ...] = ()
    synonyms: tuple[tuple[str, ...], ...] = ()
    out_of_scope: tuple[OutOfScopeTopic, ...] = ()

    def entry(self, entry_id: str) -> Entry | None:
        """The entry with `entry_id`, or None when there is none."""
        return next((e for e in self.entries if e.id == entry_id), None)

    def topic_title(self, topic_id: str) -> str:
        return next((t.title for t in self.topics if t.id == topic_id), topic_id)


class Match(_Frozen):
    """A candidate entry for a question, with a confidence in [0, 1]."""

    entry: Entry
    confidence: float = Field(ge=0.0, le=1.0)
    curation: float = Field(default=1.0, ge=0.0, le=1.0)
    """How far curators have taught the bot the entry's wordings: 0 as imported, 1 when well curated."""
