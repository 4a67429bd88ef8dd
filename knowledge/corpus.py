"""Load and save the curated corpus: a folder of YAML files curators edit and review in git.

Layout of a corpus folder:

- `*.faq.yaml`: one per source document, with `document` defaults (owner, last_reviewed,
  source_file) and a list of `entries`;
- `vocabulary.yaml` (required): `topics` (id and title) and `synonyms` (groups of words staff
  use for the same thing);
- `out-of-scope.yaml` (optional): `topics`, each a `topic` and `examples` of questions staff ask
  that the corpus does not answer.

A key this format does not define, at the top of a file or in a document header, is a problem
naming the key: a misspelt key would otherwise be dropped without a word. Only this module knows
the file format.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from knowledge.errors import FaqbotError
from knowledge.models import Corpus, Entry, OutOfScopeTopic, Topic

FAQ_SUFFIX = ".faq.yaml"
VOCABULARY_FILE = "vocabulary.yaml"
OUT_OF_SCOPE_FILE = "out-of-scope.yaml"
# Header fields each entry inherits from its document unless it sets its own.
DOCUMENT_DEFAULTS = ("owner", "last_reviewed")
# The keys each kind of file may hold; anything else is reported by name.
FAQ_KEYS = frozenset({"document", "entries"})
DOCUMENT_KEYS = frozenset({"title", "source_file", *DOCUMENT_DEFAULTS})
VOCABULARY_KEYS = frozenset({"topics", "synonyms"})
OUT_OF_SCOPE_KEYS = frozenset({"topics"})
CORPUS_FILES = (VOCABULARY_FILE, OUT_OF_SCOPE_FILE)  # besides the *.faq.yaml files
_UNREADABLE = object()  # _read_yaml's answer for a file it could not parse (None is an empty file)


@dataclass(frozen=True)
class CorpusProblem:
    """One reason (part of) the corpus cannot be served: the file, and the entry and field if known."""

    file: str
    message: str
    entry: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.entry is not None:
            parts.append(f"entry '{self.entry}'")
        if self.field is not None:
            parts.append(f"field '{self.field}'")
        return ": ".join([*parts, self.message])


class CorpusError(FaqbotError):
    """The corpus cannot be served; the message names the file, the entry and the field.

    `problems` holds every problem found, the message the first of them.
    """

    exit_code = 3
    summary = "the corpus cannot be served"

    def __init__(self, problems: Sequence[CorpusProblem] | str) -> None:
        if isinstance(problems, str):
            problems = (CorpusProblem(file="corpus", message=problems),)
        self.problems = tuple(problems)
        more = len(self.problems) - 1
        super().__init__(str(self.problems[0]) + (f" (and {more} more problems)" if more else ""))


@dataclass(frozen=True)
class CorpusReading:
    """What a corpus folder holds: the valid entries, every problem, and the file of each entry."""

    corpus: Corpus | None
    problems: tuple[CorpusProblem, ...]
    files: Mapping[str, str]


@dataclass(frozen=True)
class CorpusDocument:
    """One `*.faq.yaml` file: its document header and its entries."""

    title: str
    source_file: str
    owner: str | None
    last_reviewed: dt.date | None
    entries: tuple[Entry, ...]


def load_corpus(folder: Path) -> Corpus:
    """Read and validate every corpus file in `folder`; raise CorpusError naming every problem."""
    reading = read_corpus(folder)
    if reading.problems or reading.corpus is None:
        raise CorpusError(reading.problems)
    return reading.corpus


def read_corpus(folder: Path) -> CorpusReading:
    """Read `folder` without stopping at the first problem; invalid entries are left out of `corpus`."""
    if not folder.is_dir():
        return CorpusReading(None, (CorpusProblem(str(folder), "corpus folder not found"),), {})
    files = sorted(folder.glob(f"*{FAQ_SUFFIX}"))
    if not files:
        return CorpusReading(None, (CorpusProblem(str(folder), f"no *{FAQ_SUFFIX} files"),), {})
    problems: list[CorpusProblem] = []
    entries: list[Entry] = []
    seen: dict[str, str] = {}
    for path in files:
        for entry in _load_entries(path, problems):
            if entry.id in seen:
                problems.append(CorpusProblem(path.name, f"duplicate id (also in {seen[entry.id]})", entry=entry.id))
                continue
            seen[entry.id] = path.name
            entries.append(entry)
    topics, synonyms = _load_vocabulary(folder / VOCABULARY_FILE, problems)
    out_of_scope = _load_out_of_scope(folder / OUT_OF_SCOPE_FILE, problems)
    corpus = Corpus(entries=tuple(entries), topics=topics, synonyms=synonyms, out_of_scope=out_of_scope)
    _check_links(corpus, seen, problems)
    _check_metadata(corpus, seen, problems)
    return CorpusReading(corpus, tuple(problems), seen)


def read_document(path: Path) -> CorpusDocument:
    """One `*.faq.yaml` file with its header; raise CorpusError when it is not valid on its own."""
    problems: list[CorpusProblem] = []
    entries = _load_entries(path, problems)
    if problems:
        raise CorpusError(problems)
    header = _read_yaml(path, problems).get("document") or {}
    reviewed = header.get("last_reviewed")
    try:
        return CorpusDocument(
            title=str(header.get("title") or ""),
            source_file=str(header.get("source_file") or ""),
            owner=str(header["owner"]) if header.get("owner") else None,
            last_reviewed=dt.date.fromisoformat(str(reviewed)) if reviewed else None,
            entries=tuple(entries),
        )
    except ValueError as exc:
        raise CorpusError([CorpusProblem(path.name, f"document last_reviewed is not a date ({exc})")]) from None


def _read_yaml(path: Path, problems: list[CorpusProblem]) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        problems.append(CorpusProblem(path.name, f"not valid YAML: {_yaml_problem(exc)}"))
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        problems.append(CorpusProblem(path.name, f"cannot be read: {reason}"))
    return _UNREADABLE


def _yaml_problem(error: yaml.YAMLError) -> str:
    """What is wrong and where (line and column), without PyYAML's quote of the offending text:
    the message goes to logs."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or "unreadable"
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else str(problem)


def _unknown_keys(
    data: Mapping[str, Any], allowed: frozenset[str], file: str, problems: list[CorpusProblem], *, where: str = ""
) -> None:
    for key in sorted(set(data) - allowed, key=str):
        known = ", ".join(sorted(allowed))
        problems.append(CorpusProblem(file, f"unknown key '{key}'{where} (known: {known})"))


def _load_entries(path: Path, problems: list[CorpusProblem]) -> list[Entry]:
    data = _read_yaml(path, problems)
    if data is _UNREADABLE:
        return []
    if not isinstance(data, Mapping) or not isinstance(data.get("entries"), list):
        problems.append(CorpusProblem(path.name, "expected a mapping with a list of 'entries'"))
        return []
    _unknown_keys(data, FAQ_KEYS, path.name, problems)
    document = data.get("document") or {}
    if not isinstance(document, Mapping):
        problems.append(CorpusProblem(path.name, "'document' must be a mapping"))
        return []
    _unknown_keys(document, DOCUMENT_KEYS, path.name, problems, where=" in 'document'")
    defaults = {key: document[key] for key in DOCUMENT_DEFAULTS if key in document}
    defaults["document"] = str(document.get("title") or path.name.removesuffix(FAQ_SUFFIX))
    entries = []
    for position, raw in enumerate(data["entries"], start=1):
        if not isinstance(raw, Mapping):
            problems.append(CorpusProblem(path.name, "expected a mapping", entry=f"#{position}"))
            continue
        name = str(raw.get("id", f"#{position}"))
        try:
            entries.append(Entry.model_validate({**defaults, **raw}))
        except ValidationError as exc:
            for error in exc.errors():
                field = ".".join(str(part) for part in error["loc"]) or "entry"
                problems.append(CorpusProblem(path.name, error["msg"], entry=name, field=field))
    return entries


def _load_vocabulary(
    path: Path, problems: list[CorpusProblem]
) -> tuple[tuple[Topic, ...], tuple[tuple[str, ...], ...]]:
    if not path.exists():
        # Without it every topic and synonym would vanish and entries would be filed nowhere.
        problems.append(
            CorpusProblem(
                path.name,
                "not found: it declares the topics entries are filed under and the synonyms staff use; restore it",
            )
        )
        return (), ()
    data = _read_yaml(path, problems)
    if data is _UNREADABLE:
        return (), ()
    data = data or {}
    if not isinstance(data, Mapping):
        problems.append(CorpusProblem(path.name, "expected a mapping with 'topics' and 'synonyms'"))
        return (), ()
    _unknown_keys(data, VOCABULARY_KEYS, path.name, problems)
    try:
        topics = tuple(Topic.model_validate(item) for item in data.get("topics") or ())
    except ValidationError as exc:
        problems.append(CorpusProblem(path.name, f"topics: {exc.errors()[0]['msg']}"))
        topics = ()
    groups = []
    for position, group in enumerate(data.get("synonyms") or (), start=1):
        if not isinstance(group, list) or len(group) < 2 or not all(isinstance(w, str) for w in group):
            problems.append(CorpusProblem(path.name, f"synonyms #{position}: expected a list of two or more words"))
            continue
        groups.append(tuple(group))
    return topics, tuple(groups)


def _load_out_of_scope(path: Path, problems: list[CorpusProblem]) -> tuple[OutOfScopeTopic, ...]:
    if not path.exists():
        return ()
    data = _read_yaml(path, problems)
    if data is _UNREADABLE:
        return ()
    if isinstance(data, Mapping):
        _unknown_keys(data, OUT_OF_SCOPE_KEYS, path.name, problems)
    items = (data or {}).get("topics") if isinstance(data, Mapping) else None
    if not isinstance(items, list):
        problems.append(CorpusProblem(path.name, "expected a mapping with a list of 'topics'"))
        return ()
    topics = []
    for position, item in enumerate(items, start=1):
        try:
            topics.append(OutOfScopeTopic.model_validate(item))
        except ValidationError as exc:
            error = exc.errors()[0]
            field = ".".join(str(part) for part in error["loc"]) or "topic"
            problems.append(CorpusProblem(path.name, f"topics #{position}: {field}: {error['msg']}"))
    return tuple(topics)


def _check_links(corpus: Corpus, files: Mapping[str, str], problems: list[CorpusProblem]) -> None:
    ids = set(files)
    topic_ids = {topic.id for topic in corpus.topics}
    for entry in corpus.entries:
        for related in entry.related:
            if related not in ids:
                problems.append(
                    CorpusProblem(files[entry.id], f"unknown entry '{related}'", entry=entry.id, field="related")
                )
        if topic_ids and entry.topic not in topic_ids:
            problems.append(
                CorpusProblem(
                    files[entry.id],
                    f"unknown topic '{entry.topic}' (see {VOCABULARY_FILE})",
                    entry=entry.id,
                    field="topic",
                )
            )


def _check_metadata(corpus: Corpus, files: Mapping[str, str], problems: list[CorpusProblem]) -> None:
    """Entries without an owner or a review date (imported from a document naming neither)."""
    for entry in corpus.entries:
        if entry.owner is None:
            problems.append(
                CorpusProblem(
                    files[entry.id],
                    "no owner: set 'owner' in the document header or on the entry",
                    entry=entry.id,
                    field="owner",
                )
            )
        if entry.last_reviewed is None:
            problems.append(
                CorpusProblem(
                    files[entry.id],
                    "no review date: set 'last_reviewed' (YYYY-MM-DD) in the document header or on the entry",
                    entry=entry.id,
                    field="last_reviewed",
                )
            )
