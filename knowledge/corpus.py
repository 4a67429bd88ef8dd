"""Load and save the curated corpus: a folder of YAML files curators edit and review in git.

Layout of a corpus folder:

- `*.faq.yaml`: one per source document, with `document` defaults (owner, last_reviewed,
  source_file) and a list of `entries`;
- `vocabulary.yaml`: `topics` (id and title) and `synonyms` (groups of words staff use for
  the same thing).

Only this module knows the file format.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from knowledge.models import Corpus, Entry, Topic

FAQ_SUFFIX = ".faq.yaml"
VOCABULARY_FILE = "vocabulary.yaml"
_DOCUMENT_DEFAULTS = ("owner", "last_reviewed")


class CorpusError(Exception):
    """The corpus cannot be served; the message names the file, the entry and the field."""


def load_corpus(folder: Path) -> Corpus:
    """Read and validate every corpus file in `folder`; raise CorpusError on the first problem."""
    if not folder.is_dir():
        raise CorpusError(f"{folder}: corpus folder not found")
    files = sorted(folder.glob(f"*{FAQ_SUFFIX}"))
    if not files:
        raise CorpusError(f"{folder}: no *{FAQ_SUFFIX} files")
    entries: list[Entry] = []
    seen: dict[str, Path] = {}
    for path in files:
        for entry in _load_entries(path):
            if entry.id in seen:
                raise CorpusError(
                    f"{path.name}: entry '{entry.id}': duplicate id (also in {seen[entry.id].name})"
                )
            seen[entry.id] = path
            entries.append(entry)
    topics, synonyms = _load_vocabulary(folder / VOCABULARY_FILE)
    corpus = Corpus(entries=tuple(entries), topics=topics, synonyms=synonyms)
    _check_links(corpus, seen)
    return corpus


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CorpusError(f"{path.name}: not valid YAML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path.name}: cannot be read: {exc}") from None


def _load_entries(path: Path) -> list[Entry]:
    data = _read_yaml(path)
    if not isinstance(data, Mapping) or not isinstance(data.get("entries"), list):
        raise CorpusError(f"{path.name}: expected a mapping with a list of 'entries'")
    document = data.get("document") or {}
    if not isinstance(document, Mapping):
        raise CorpusError(f"{path.name}: 'document' must be a mapping")
    defaults = {key: document[key] for key in _DOCUMENT_DEFAULTS if key in document}
    entries = []
    for position, raw in enumerate(data["entries"], start=1):
        if not isinstance(raw, Mapping):
            raise CorpusError(f"{path.name}: entry #{position}: expected a mapping")
        name = raw.get("id", f"#{position}")
        try:
            entries.append(Entry.model_validate({**defaults, **raw}))
        except ValidationError as exc:
            error = exc.errors()[0]
            field = ".".join(str(part) for part in error["loc"]) or "entry"
            raise CorpusError(f"{path.name}: entry '{name}': field '{field}': {error['msg']}") from None
    return entries


def _load_vocabulary(path: Path) -> tuple[tuple[Topic, ...], tuple[tuple[str, ...], ...]]:
    if not path.exists():
        return (), ()
    data = _read_yaml(path) or {}
    if not isinstance(data, Mapping):
        raise CorpusError(f"{path.name}: expected a mapping with 'topics' and 'synonyms'")
    try:
        topics = tuple(Topic.model_validate(item) for item in data.get("topics") or ())
    except ValidationError as exc:
        raise CorpusError(f"{path.name}: topics: {exc.errors()[0]['msg']}") from None
    groups = []
    for position, group in enumerate(data.get("synonyms") or (), start=1):
        if not isinstance(group, list) or len(group) < 2 or not all(isinstance(w, str) for w in group):
            raise CorpusError(f"{path.name}: synonyms #{position}: expected a list of two or more words")
        groups.append(tuple(group))
    return topics, tuple(groups)


def _check_links(corpus: Corpus, files: Mapping[str, Path]) -> None:
    ids = set(files)
    topic_ids = {topic.id for topic in corpus.topics}
    for entry in corpus.entries:
        for related in entry.related:
            if related not in ids:
                raise CorpusError(
                    f"{files[entry.id].name}: entry '{entry.id}': field 'related': "
                    f"unknown entry '{related}'"
                )
        if topic_ids and entry.topic not in topic_ids:
            raise CorpusError(
                f"{files[entry.id].name}: entry '{entry.id}': field 'topic': "
                f"unknown topic '{entry.topic}' (see {VOCABULARY_FILE})"
            )


def dump_document(
    entries: Iterable[Entry], *, title: str, source_file: str, owner: str, last_reviewed: dt.date
) -> str:
    """YAML text of one `*.faq.yaml` file, answers as literal blocks so diffs stay readable."""
    rows = []
    for entry in entries:
        row = entry.model_dump(mode="json", exclude_defaults=True)
        for key in _DOCUMENT_DEFAULTS:
            if str(row.get(key)) == str(owner if key == "owner" else last_reviewed.isoformat()):
                row.pop(key)
        rows.append(_ordered(row))
    document = {
        "document": {
            "title": title,
            "source_file": source_file,
            "owner": owner,
            "last_reviewed": last_reviewed.isoformat(),
        },
        "entries": rows,
    }
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


_ORDER = ("id", "source", "topic", "question", "answer", "references", "related", "keywords", "alternates")


def _ordered(row: dict[str, Any]) -> dict[str, Any]:
    return {key: row[key] for key in (*_ORDER, *sorted(set(row) - set(_ORDER))) if key in row}


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)
