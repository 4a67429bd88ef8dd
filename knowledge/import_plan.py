"""Turn an imported policy document into corpus entries, merged into the curated file of that document.

The document decides what HR approved: each question's wording, its answer and its references,
the owner and the review date. Curators decide everything else: the entry's id, short title,
topic, alternates, related entries and keywords. So a re-import updates the former and keeps the
latter, and says what it changed; it never drops an entry a curator kept.

Questions new to the corpus become drafts: a generated id, a proposed short title
(`knowledge.short_titles`), the alternates the document itself gives (a spreadsheet's, or a
question answering export's; usually none) and a topic: the declared topic the document's own
category for the question names (a spreadsheet's category column or section row), else
`DRAFT_TOPIC`, which the vocabulary does not declare, so the bot refuses to serve the corpus
(and lint names each draft) until a curator has filed the entry under a real topic. A document
naming no owner or review date (and no curated file to take them from) still imports; its
entries have none, which likewise keeps the corpus from being served until a curator sets them.

Pure: no files are read or written here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from knowledge.corpus import CorpusDocument
from knowledge.errors import FaqbotError
from knowledge.importing import ImportedDocument, ImportedQuestion, slug
from knowledge.models import Entry, PolicyReference, Topic
from knowledge.short_titles import propose_short_title

DRAFT_TOPIC = "unsorted"
# Fields the source document owns; a re-import replaces them. Everything else is curated.
DOCUMENT_FIELDS = ("question", "answer", "references", "owner", "last_reviewed")
CURATED_FIELDS = ("id", "short_title", "topic", "alternates", "related", "keywords")

ChangeKind = Literal["new", "updated", "unchanged", "not-in-document"]


@dataclass(frozen=True)
class EntryChange:
    """What the import does to one entry; `fields` are the document fields that change;
    `category` is the document's own category for a new entry's question; `unadopted` are
    alternates the document gives an existing entry that its curated wordings do not hold: listed
    for a curator, never added (a curator may have removed them on purpose)."""

    kind: ChangeKind
    entry_id: str
    source: str
    fields: tuple[str, ...] = ()
    line: int | None = None
    category: str = ""
    unadopted: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportPlan:
    """The document file as it would be written, and what changed against the curated one."""

    document: CorpusDocument
    changes: tuple[EntryChange, ...]

    @property
    def changed(self) -> bool:
        return any(change.kind in {"new", "updated"} for change in self.changes)

    def of_kind(self, kind: ChangeKind) -> tuple[EntryChange, ...]:
        return tuple(change for change in self.changes if change.kind == kind)

    @property
    def drafts(self) -> tuple[EntryChange, ...]:
        """The new entries filed under no topic (`DRAFT_TOPIC`)."""
        unfiled = {entry.id for entry in self.document.entries if entry.topic == DRAFT_TOPIC}
        return tuple(change for change in self.of_kind("new") if change.entry_id in unfiled)


class ImportBlocked(FaqbotError):
    """The document cannot become corpus entries (no questions could be read)."""

    exit_code = 1
    summary = "the document cannot be imported"


def plan_import(
    imported: ImportedDocument,
    *,
    source_file: str,
    existing: CorpusDocument | None,
    taken_ids: Collection[str] = (),
    topics: Sequence[Topic] = (),
) -> ImportPlan:
    """Merge `imported` into `existing` (the curated file of the same document, if any).

    `taken_ids` are ids used elsewhere in the corpus, so generated ids stay unique; `topics` are the
    declared ones a new entry can be filed under by its category.
    """
    owner = imported.owner or (existing.owner if existing else None)
    reviewed = imported.last_reviewed or (existing.last_reviewed if existing else None)
    if not imported.questions:
        raise ImportBlocked("the document has no questions that could be read")
    curated = {entry.source: entry for entry in existing.entries} if existing else {}
    used = {*taken_ids, *(entry.id for entry in curated.values())}
    titles = {entry.short_title for entry in curated.values() if entry.short_title}
    entries: list[Entry] = []
    changes: list[EntryChange] = []
    for question in imported.questions:
        before = curated.get(question.source)
        if before is None:
            topic = filed_under(question.category, topics) or DRAFT_TOPIC
            entry = _draft(question, topic, owner=owner, reviewed=reviewed, used=used, titles=titles)
            used.add(entry.id)
            titles.add(entry.short_title or "")
            changes.append(
                EntryChange("new", entry.id, question.source, DOCUMENT_FIELDS, question.line, question.category)
            )
        else:
            entry = _updated(before, question, owner=owner, reviewed=reviewed)
            fields = tuple(name for name in DOCUMENT_FIELDS if getattr(entry, name) != getattr(before, name))
            kind: ChangeKind = "updated" if fields else "unchanged"
            unadopted = _unadopted(question, entry)
            changes.append(EntryChange(kind, entry.id, question.source, fields, question.line, unadopted=unadopted))
        entries.append(entry)
    imported_sources = {question.source for question in imported.questions}
    for entry in existing.entries if existing else ():
        if entry.source not in imported_sources:
            entries.append(entry)
            changes.append(EntryChange("not-in-document", entry.id, entry.source))
    document = CorpusDocument(
        title=imported.title or (existing.title if existing else source_file),
        source_file=source_file,
        owner=owner,
        last_reviewed=reviewed,
        entries=tuple(entries),
    )
    return ImportPlan(document, tuple(changes))


def filed_under(category: str, topics: Sequence[Topic]) -> str | None:
    """The id of the topic whose id or title is `category`, ignoring case, punctuation and a leading
    section label ('Section 2:', '3.', 'Part B –'); None when none is."""
    wanted = _words(_SECTION_LABEL.sub("", category))
    if not wanted:
        return None
    return next((topic.id for topic in topics if wanted in {_words(topic.id), _words(topic.title)}), None)


def topics_for(categories: Sequence[str], topics: Sequence[Topic]) -> tuple[Topic, ...]:
    """A new topic for each of `categories` that files under none of `topics` (see `filed_under`), in
    order and each once: the category without its section label as the title, an id made from it."""
    used = {topic.id for topic in topics}
    found: list[Topic] = []
    for category in categories:
        title = " ".join(_SECTION_LABEL.sub("", category).split())
        if not _words(title) or filed_under(category, (*topics, *found)) is not None:
            continue
        found.append(Topic(id=slug(title, used), title=title))
        used.add(found[-1].id)
    return tuple(found)


_SECTION_LABEL = re.compile(
    r"^\s*(?:(?:section|part)\s+[0-9a-z]{1,3}\s*[:.\-–—]?|\d{1,2}(?:\.\d{1,2})*\.?|[a-z][.)])\s+", re.I
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z0-9]+", text.casefold()))


def _draft(
    question: ImportedQuestion,
    topic: str,
    *,
    owner: str | None,
    reviewed: dt.date | None,
    used: Collection[str],
    titles: Collection[str],
) -> Entry:
    return Entry(
        id=slug(question.question, used),
        source=question.source,
        topic=topic,
        question=question.question,
        short_title=propose_short_title(question.question, question.source, titles),
        answer=question.answer,
        references=question.references,
        alternates=question.alternates,
        owner=owner,
        last_reviewed=reviewed,
    )


def _updated(before: Entry, question: ImportedQuestion, *, owner: str | None, reviewed: dt.date | None) -> Entry:
    return before.model_copy(
        update={
            "question": question.question,
            "answer": question.answer,
            "references": _keep_curated_urls(question.references, before.references),
            "owner": owner,
            "last_reviewed": reviewed,
        }
    )


def _unadopted(question: ImportedQuestion, entry: Entry) -> tuple[str, ...]:
    """The document's alternates for `entry` that none of its wordings is, ignoring case, spacing
    and punctuation; each once, in the document's order."""
    held = {_words(text) for text in (entry.question, *entry.alternates)}
    found: dict[tuple[str, ...], str] = {}
    for alternate in question.alternates:
        found.setdefault(_words(alternate), alternate)
    return tuple(text for words, text in found.items() if words and words not in held)


def _keep_curated_urls(
    found: Sequence[PolicyReference], curated: Sequence[PolicyReference]
) -> tuple[PolicyReference, ...]:
    """The document's references, keeping a URL a curator added (the document only has placeholders)."""
    urls = {(ref.name, ref.section): ref.url for ref in curated if ref.url}
    return tuple(
        ref
        if ref.url or (ref.name, ref.section) not in urls
        else ref.model_copy(update={"url": urls[(ref.name, ref.section)]})
        for ref in found
    )
