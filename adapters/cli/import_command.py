"""`faqbot import`: read a policy Q&A document into the corpus folder and show what was found.

The curated file of the document is the `*.faq.yaml` whose `source_file` or title matches the
document (or `--output`). Imported questions are merged into it by question number (see
`knowledge.import_plan`); the file is only written when something changed (see
`adapters.corpus.corpus_file`).
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import itertools
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from adapters.corpus.corpus_file import write_document
from adapters.corpus.vocabulary_file import VocabularyEditError, declare_topics
from knowledge.corpus import FAQ_SUFFIX, VOCABULARY_FILE, CorpusDocument, CorpusError, read_corpus, read_document
from knowledge.import_plan import DRAFT_TOPIC, EntryChange, ImportBlocked, ImportPlan, plan_import, topics_for
from knowledge.importing import DocumentError, ImportedDocument, import_file, preview
from knowledge.lint import MeaningRanker, out_of_scope_answers
from knowledge.models import Corpus, Entry, Topic

_MISSING = "(none: give {option}, or fill it in the written file; lint names it until then)"
_DATED_STEM = re.compile(r"^(.*?)-\d{4}-\d{2}$")
_NEW_FILE_HEADER = (
    "# Imported from {source} by `faqbot import`. Answers are HR-approved: never reword them.\n"
    f"# Entries with topic '{DRAFT_TOPIC}' are drafts: the bot will not serve this corpus until a curator\n"
    "# has given each one a topic from vocabulary.yaml, checked its id and proposed short_title and added\n"
    "# alternates.\n"
)


@dataclasses.dataclass(frozen=True)
class DocumentDefaults:
    """Title, owner and review date for a document that does not state them (the document wins)."""

    title: str | None = None
    owner: str | None = None
    last_reviewed: dt.date | None = None


def run_import(
    document: Path,
    *,
    corpus_dir: Path,
    output: Path | None,
    dry_run: bool,
    out: TextIO,
    defaults: DocumentDefaults | None = None,
    meaning: Callable[[Corpus], MeaningRanker] | None = None,
    answer_at: float = 0.8,
    add_topics: bool = False,
) -> int:
    """Import `document` (a format of `knowledge.importing.FORMATS`); print the report to `out`; 0 when all was read.

    With `meaning` (a factory of the bot's ranker), the corpus's out-of-scope examples that the
    imported entries now answer at `answer_at` are listed, for a curator to remove or narrow. With
    `add_topics`, the document's categories that are no topic yet are declared in the corpus's
    vocabulary file (`knowledge.import_plan.topics_for`) and their new entries filed under them.
    """
    defaults = defaults or DocumentDefaults()
    try:
        imported = import_file(document.name, document.read_bytes(), title=defaults.title or "")
    except (OSError, DocumentError) as exc:
        print(f"faqbot import: cannot read {document}: {exc}", file=out)
        return 1
    except Exception as exc:  # noqa: BLE001 - a layout the readers do not expect must not end in a traceback
        print(
            f"faqbot import: cannot read {document}: the importer failed on its layout ({type(exc).__name__}); "
            "nothing was written. Please report it with the document, or save it in another format (.docx, .txt).",
            file=out,
        )
        return 1
    imported = dataclasses.replace(
        imported,
        title=imported.title or defaults.title or "",
        owner=imported.owner or defaults.owner,
        last_reviewed=imported.last_reviewed or defaults.last_reviewed,
    )
    _print_document(document, imported, out)
    try:
        target, existing = _target(document, imported, corpus_dir=corpus_dir, output=output)
    except CorpusError as exc:
        print(f"\nNothing written: the curated file is not valid, fix it first: {exc}", file=out)
        return 1
    reading = read_corpus(corpus_dir) if corpus_dir.is_dir() else None
    own_ids = {entry.id for entry in existing.entries} if existing else set()
    taken = {entry_id for entry_id in (reading.files if reading else {}) if entry_id not in own_ids}
    try:
        topics = reading.corpus.topics if reading and reading.corpus else ()
        plan = plan_import(imported, source_file=document.name, existing=existing, taken_ids=taken, topics=topics)
        declared: tuple[Topic, ...] = ()
        if add_topics:
            declared = topics_for([change.category for change in plan.drafts], topics)
        if declared:
            plan = plan_import(
                imported, source_file=document.name, existing=existing, taken_ids=taken, topics=(*topics, *declared)
            )
    except ImportBlocked as exc:
        _print_findings(imported, out)
        print(f"\nNothing written: {exc}.", file=out)
        return 1
    _print_plan(plan, target, existing, out, unit=imported.unit)
    _print_findings(imported, out)
    if meaning is not None and reading is not None and reading.corpus is not None:
        entries = [
            e.model_copy(update={"document": plan.document.title or document.name}) for e in plan.document.entries
        ]
        _print_answered_examples(reading.corpus, own_ids, entries, meaning, answer_at, out)
    vocabulary = corpus_dir / VOCABULARY_FILE
    if declared:
        listed = ", ".join(f"'{topic.id}' ({topic.title})" for topic in declared)
        verb = "Would declare" if dry_run else "Declaring"
        print(f"\n{verb} {len(declared)} topics in {_shown(vocabulary)}: {listed}.", file=out)
    if not plan.changed:
        print(f"\nNo changes: {_shown(target)} left as it is.", file=out)
    elif dry_run:
        print(f"\nDry run: {_shown(target)} not written.", file=out)
    else:
        try:
            declare_topics(vocabulary, declared)
        except (VocabularyEditError, OSError) as exc:
            print(f"\nNothing written: {exc}.", file=out)
            return 1
        write_document(target, plan.document, new_file_header=_NEW_FILE_HEADER.format(source=document.name))
        print(f"\nWrote {_shown(target)}. Review the diff (git diff) before committing.", file=out)
    return 1 if imported.problems else 0


def _print_answered_examples(
    corpus: Corpus,
    replaced: set[str],
    entries: Sequence[Entry],
    meaning: Callable[[Corpus], MeaningRanker],
    answer_at: float,
    out: TextIO,
) -> None:
    """The out-of-scope examples the corpus with the imported entries answers from those entries."""
    if not corpus.out_of_scope or not entries:
        return
    ids = {entry.id for entry in entries}
    kept = tuple(e for e in corpus.entries if e.id not in replaced and e.id not in ids)
    merged = corpus.model_copy(update={"entries": (*kept, *entries)})
    answered = [a for a in out_of_scope_answers(merged, meaning(merged), answer_at) if a.entry.id in ids]
    if not answered:
        return
    print(
        f"\nOut-of-scope examples this document now answers ({len(answered)}), by topic: remove or narrow "
        "each in out-of-scope.yaml. 'meaning': close in meaning to the entry, so the bot no longer "
        "counts it against the entry; 'answered': the bot answers it anyway.",
        file=out,
    )
    for topic, group in itertools.groupby(answered, key=lambda a: a.topic):
        listed = list(group)
        print(f"  {topic} ({len(listed)}):", file=out)
        for example in listed:
            print(f"    '{example.example}': {example.entry.id} ({example.how(short=True)})", file=out)


def _target(
    document: Path, imported: ImportedDocument, *, corpus_dir: Path, output: Path | None
) -> tuple[Path, CorpusDocument | None]:
    """Where the entries go, and the curated document already there (None for a new file)."""
    if output is not None:
        return output, read_document(output) if output.exists() else None
    for path in sorted(corpus_dir.glob(f"*{FAQ_SUFFIX}")) if corpus_dir.is_dir() else ():
        try:
            curated = read_document(path)
        except CorpusError:
            continue  # not this document's file, or lint's business
        if curated.source_file == document.name or (imported.title and curated.title == imported.title):
            return path, curated
    match = _DATED_STEM.match(document.stem)
    return corpus_dir / f"{match.group(1) if match else document.stem}{FAQ_SUFFIX}", None


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _print_document(document: Path, imported: ImportedDocument, out: TextIO) -> None:
    print(f"Imported {_shown(document)}", file=out)
    print(f"  title:          {imported.title or '(none)'}", file=out)
    reviewed = imported.last_reviewed.isoformat() if imported.last_reviewed else _MISSING.format(option="--reviewed")
    print(f"  last reviewed:  {reviewed}", file=out)
    print(f"  owner:          {imported.owner or _MISSING.format(option='--owner')}", file=out)
    print(f"  layout:         {imported.layout}", file=out)
    print(f"  questions:      {len(imported.questions)}", file=out)


_KIND_LABEL = {
    "new": "NEW DRAFT",
    "updated": "updated",
    "unchanged": "unchanged",
    "not-in-document": "kept",
}


def _print_plan(plan: ImportPlan, target: Path, existing: CorpusDocument | None, out: TextIO, *, unit: str) -> None:
    where = "into" if existing else "new file"
    print(f"\nEntries ({where} {_shown(target)}):", file=out)
    entries = {entry.id: entry for entry in plan.document.entries}
    for change in plan.changes:
        entry = entries[change.entry_id]
        line = f"{unit} {change.line}" if change.line else ""
        label = "NEW" if change.kind == "new" and entry.topic != DRAFT_TOPIC else _KIND_LABEL[change.kind]
        print(f"  {label:<10} {change.source:<7} {line:<9} {change.entry_id}", file=out)
        # The address too, so a curator sees which policies the document links (and which it does not).
        cited = (f"{ref.label} <{ref.url}>" if ref.url else ref.label for ref in entry.references)
        print(f"  {'':<10} references: {'; '.join(cited)}", file=out)
        for remark in _remarks(change, entry.topic):
            print(f"  {'':<10} {remark}", file=out)
    kept = [c for c in plan.changes if c.kind in {"updated", "unchanged"}]
    if kept:
        print(
            f"\n  Curated ids, short titles, topics, alternates, related entries and keywords of the "
            f"{len(kept)} existing "
            "entries were kept as they are.",
            file=out,
        )
    new = plan.of_kind("new")
    drafts = plan.drafts
    if len(drafts) < len(new):
        print(
            f"  {len(new) - len(drafts)} new entries are filed under a topic by the document's own category: "
            "check each generated id and proposed short title.",
            file=out,
        )
    if drafts:
        print(
            f"  {len(drafts)} new entries are DRAFTS (topic '{DRAFT_TOPIC}'): "
            "the bot will not serve the corpus until a curator files them (`faqbot lint` lists them).",
            file=out,
        )
    undeclared = collections.Counter(change.category for change in drafts if change.category)
    if undeclared:
        listed = ", ".join(f"'{category}' ({count})" for category, count in undeclared.items())
        print(
            f"  The document's categories that are not topics in vocabulary.yaml: {listed}. Declare them "
            "there (an id and a title) and import again to file their entries (`--add-topics` does both), "
            "or file each entry yourself.",
            file=out,
        )


def _remarks(change: EntryChange, topic: str) -> list[str]:
    if change.kind == "new" and change.category:
        if topic != DRAFT_TOPIC:
            return [f"filed under topic '{topic}' by the document's category '{change.category}'"]
        return [f"the document's category: '{change.category}'"]
    remarks = []
    if change.kind == "updated":
        remarks.append(f"changed from the document: {', '.join(change.fields)}")
        if "question" in change.fields:
            remarks.append("the question changed: check its alternates still fit")
    if change.unadopted:
        remarks.append(
            f"the document gives {len(change.unadopted)} alternate(s) this entry does not have, not added "
            "(alternates are curated): add those that fit to its alternates"
        )
        remarks += [f"  {preview(text)}" for text in change.unadopted]
    if change.kind == "not-in-document":
        remarks.append("not in this document: left in the file untouched (delete it yourself if HR withdrew it)")
    return remarks


def _print_findings(imported: ImportedDocument, out: TextIO) -> None:
    if imported.unplaced:
        print("\nNot placed in any entry (introductions, stray text):", file=out)
        for finding in imported.unplaced:
            print(f"  {finding}", file=out)
    print("\nProblems (what could not be read):", file=out)
    for problem in imported.problems or ("none: every question was read",):
        print(f"  {problem}", file=out)
    if imported.notes:
        print("\nNotes:", file=out)
        for note in imported.notes:
            print(f"  {note}", file=out)
