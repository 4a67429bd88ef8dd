"""A Word document saved as a web page imports as the Word file does: the same questions, owner,
review date and title, and every answer line for line.

`tests/data/import/word-as-html/` holds twelve of the suite's Word documents as LibreOffice 7.4
saved them as web pages (`soffice --headless --convert-to 'html:HTML (StarWriter)'`): the eleven
written only to be imported (`tests/data/import/written/`) and the raising concerns evaluation
document (`eval/documents/speakup/`). Such a page has no `<h1>` for its title (the title is a
paragraph in large letters) and keeps the page header in a `<div title="header">`; questions
Word numbers itself become items of `<ol start="…">` lists, and every list item holds its text
in a paragraph of its own (`<li><p>…`), in a table cell too; a one-column table boxes a shaded
question above its answer; a table of contents has lost its dotted leaders ('Can I be suspended? 4').

LibreOffice adds a '/' to one address (`https://servicedesk.severnsidemh.example`), so the answers
are compared with their links as text.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from knowledge.importing import ImportedDocument, import_file
from tests.word_documents import word_file

SAVED = Path(__file__).resolve().parents[2] / "tests" / "data" / "import" / "word-as-html"
_LINK = re.compile(r"\[((?:\\.|[^\]\\])+)\]\([^)\s]*\)")
NAMES = sorted(path.stem for path in SAVED.glob("*.html"))


@functools.cache
def both(name: str) -> tuple[ImportedDocument, ImportedDocument]:
    word = import_file(*word_file(name))
    page = import_file(f"{name}.html", (SAVED / f"{name}.html").read_bytes())
    return word, page


def test_twelve_documents_are_compared() -> None:
    assert len(NAMES) == 12


@pytest.mark.parametrize("name", NAMES)
def test_the_page_has_the_word_files_questions_owner_review_date_and_title(name: str) -> None:
    word, page = both(name)
    assert page.problems == ()
    assert [(q.source, q.question) for q in page.questions] == [(q.source, q.question) for q in word.questions]
    assert (page.title, page.owner, page.last_reviewed) == (word.title, word.owner, word.last_reviewed)


@pytest.mark.parametrize("name", NAMES)
def test_every_answer_reads_line_for_line_as_in_the_word_file(name: str) -> None:
    word, page = both(name)
    for in_word, on_page in zip(word.questions, page.questions, strict=True):
        assert _lines(on_page.answer) == _lines(in_word.answer), in_word.source


def _lines(answer: str) -> list[str]:
    return [line.strip() for line in _LINK.sub(r"\1", answer).splitlines() if line.strip()]
