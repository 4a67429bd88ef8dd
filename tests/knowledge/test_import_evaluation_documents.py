"""Documents written by people who never saw the importer import to the entries their writers listed.

Each `eval/documents/*` folder holds a policy Q&A as its writer published it (numbered with
sub-questions, `Q1.` with `Source:` lines, `Question 1` under capitalised sections with a table,
`Q:`/`A:` under plain headings, bold markdown questions whose answers hold numbered steps, `Q1:`
with a footer) and the `*.faq.yaml` the writer made of it by hand. The importer must find every
entry with its answer word for word (whitespace aside).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from knowledge.corpus import load_corpus
from knowledge.importing import import_file

DOCUMENTS = sorted(p for p in (Path(__file__).resolve().parents[2] / "eval" / "documents").iterdir() if p.is_dir())


def folded(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("folder", DOCUMENTS, ids=lambda p: p.name)
def test_every_entry_is_found_with_its_answer_word_for_word(folder: Path) -> None:
    (source,) = [p for p in folder.iterdir() if p.suffix in {".txt", ".md"}]
    imported = import_file(source.name, source.read_bytes())
    written = load_corpus(folder).entries
    assert len(imported.questions) == len(written)
    for found, entry in zip(imported.questions, written, strict=True):
        assert folded(found.answer) == folded(entry.answer), entry.id
        assert found.source == entry.source, entry.id
