"""Write one curated `*.faq.yaml` file the way curators and a running bot need it.

The comment block a curator wrote at the top of the file is kept (YAML dumping drops comments),
and the file is replaced atomically, so a running bot that watches the folder never reads half a
file. Any command that changes the corpus (import; later, accepting suggested alternates) writes
through here.
"""

from __future__ import annotations

import os
from pathlib import Path

from knowledge.corpus import CorpusDocument, dump_document


def write_document(path: Path, document: CorpusDocument, *, new_file_header: str = "") -> None:
    """Write `document` to `path`, keeping its leading comments (or `new_file_header` for a new file)."""
    header = _leading_comments(path) if path.exists() else new_file_header
    text = header + dump_document(
        document.entries, title=document.title, source_file=document.source_file,
        owner=document.owner, last_reviewed=document.last_reviewed,
    )
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
