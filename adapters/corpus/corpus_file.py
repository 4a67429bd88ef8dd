"""Write curated corpus files (`*.faq.yaml`, the out-of-scope file) the way curators and a running bot need them.

The comment block a curator wrote at the top of a file is kept (YAML dumping drops comments),
and the file is replaced atomically, so a running bot that watches the folder never reads half a
file. Every command that changes the corpus (import, accepting suggested alternates, adopting a
labelled set) writes through here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import yaml

from knowledge.corpus import CorpusDocument
from knowledge.corpus_writer import dump_document
from knowledge.models import OutOfScopeTopic


def write_document(path: Path, document: CorpusDocument, *, new_file_header: str = "") -> None:
    """Write `document` to `path`, keeping its leading comments (or `new_file_header` for a new file)."""
    header = _leading_comments(path) if path.exists() else new_file_header
    text = header + dump_document(
        document.entries,
        title=document.title,
        source_file=document.source_file,
        owner=document.owner,
        last_reviewed=document.last_reviewed,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    _replace(path, text)


def write_out_of_scope(path: Path, topics: tuple[OutOfScopeTopic, ...]) -> None:
    """Write the out-of-scope file (`topics`, each with its examples), keeping its leading comments."""
    lines = [_leading_comments(path) if path.exists() else "", "topics:\n"]
    for topic in topics:
        lines.append(f"  - topic: {_scalar(topic.topic)}\n    examples:\n")
        lines.extend(f"      - {_scalar(example)}\n" for example in topic.examples)
    _replace(path, "".join(lines))


def _scalar(text: str) -> str:
    """`text` as a YAML scalar: as written when YAML reads it back unchanged, else double-quoted."""
    try:
        if yaml.safe_load(f"- {text}") == [text]:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


def _replace(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def _leading_comments(path: Path) -> str:
    block = []
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if not line.startswith("#"):
            break
        block.append(line)
    return "".join(block)
