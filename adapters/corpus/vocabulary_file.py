"""Declaring topics in `vocabulary.yaml` without disturbing what curators wrote there.

The file is edited as text, not rewritten from its data: its comments and the layout of its synonym
groups are the curators', and a YAML round trip would drop them. New topics are appended to the
`topics:` list, in its own indentation; the result is read back before it replaces the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import yaml

from knowledge.errors import FaqbotError
from knowledge.models import Topic


class VocabularyEditError(FaqbotError):
    """The vocabulary file's topics are not laid out as a list this writer can append to."""

    exit_code = 1
    summary = "the topics could not be declared"


_TOPICS_KEY = re.compile(r"^topics\s*:\s*(?:#.*)?$")
_ITEM = re.compile(r"^(\s*)-\s")


def declare_topics(path: Path, topics: Sequence[Topic]) -> None:
    """Append `topics` to the `topics:` list of the vocabulary file at `path` (a new file holds only
    them). Raises `VocabularyEditError`, leaving the file as it was, when its topics are not a block
    list under a top-level `topics:` key."""
    if not topics:
        return
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("topics:\n" + "".join(_item("  ", topic) for topic in topics), encoding="utf-8")
        return
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if _TOPICS_KEY.match(line.rstrip("\n"))), None)
    if start is None:
        raise VocabularyEditError(f"{path.name} has no top-level 'topics:' list to add to; declare them there yourself")
    end, indent = start + 1, "  "
    for position in range(start + 1, len(lines)):
        line = lines[position]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace() and not line.startswith("-"):
            break  # the next top-level key
        if match := _ITEM.match(line):
            indent = match.group(1) or ""
        end = position + 1
    if end > start + 1 and not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    edited = "".join([*lines[:end], *(_item(indent, topic) for topic in topics), *lines[end:]])
    try:
        before = (yaml.safe_load(text) or {}).get("topics") or []
        after = (yaml.safe_load(edited) or {}).get("topics") or []
    except (yaml.YAMLError, AttributeError) as exc:
        raise VocabularyEditError(f"{path.name} is not a mapping of valid YAML: fix it first") from exc
    wanted = [*before, *({"id": topic.id, "title": topic.title} for topic in topics)]
    if after != wanted:
        raise VocabularyEditError(f"{path.name}: its 'topics:' list is not laid out as a list of id and title")
    path.write_text(edited, encoding="utf-8")


def _item(indent: str, topic: Topic) -> str:
    # JSON strings are YAML strings: a title with a colon or a quote stays one scalar.
    return f"{indent}- id: {topic.id}\n{indent}  title: {json.dumps(topic.title, ensure_ascii=False)}\n"
