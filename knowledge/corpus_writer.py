"""A corpus document written back as YAML, in the order and style curators read and edit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import yaml

from knowledge.corpus import DOCUMENT_DEFAULTS
from knowledge.models import Entry


def dump_document(
    entries: Iterable[Entry], *, title: str, source_file: str, owner: str | None, last_reviewed: dt.date | None
) -> str:
    """YAML text of one `*.faq.yaml` file, answers as literal blocks so diffs stay readable.

    A missing owner or review date is written as an empty header field for the curator to fill in.
    """
    defaults = {"owner": owner, "last_reviewed": last_reviewed.isoformat() if last_reviewed else None}
    rows = []
    for entry in entries:
        row = entry.model_dump(mode="json", exclude_defaults=True, exclude={"document"})
        for key in DOCUMENT_DEFAULTS:
            if key in row and row[key] == defaults[key]:
                row.pop(key)
        rows.append(_ordered(row))
    document = {
        "document": {"title": title, "source_file": source_file, **defaults},
        "entries": rows,
    }
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


_ORDER = (
    "id",
    "source",
    "topic",
    "question",
    "short_title",
    "answer",
    "references",
    "related",
    "keywords",
    "alternates",
)


def _ordered(row: dict[str, Any]) -> dict[str, Any]:
    return {key: row[key] for key in (*_ORDER, *sorted(set(row) - set(_ORDER))) if key in row}


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_none(dumper: yaml.SafeDumper, _value: None) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:null", "")


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(type(None), _represent_none)
