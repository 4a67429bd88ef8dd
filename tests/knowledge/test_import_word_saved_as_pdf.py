"""A Word document saved as PDF imports as the Word file does: the same questions, owner, review
date and title, and every answer word for word.

`tests/data/import/word-as-pdf/` holds thirteen of the suite's Word documents as LibreOffice 7.4
saved them (`soffice --headless --convert-to pdf`), with the font programs they embedded removed to
keep them small (the text layer, where it stands and the glyphs' widths are as LibreOffice wrote
them): the eleven written only to be imported (`tests/data/import/written/`), the raising concerns
evaluation document (`eval/documents/speakup/`) and the uniform document in its headings layout
(`tests/import_documents.py`). Between them: tables drawn with borders whose rows are set as close
as their lines, a cell's paragraphs with no space between them, questions numbered in the plain
font before their bold words, a bold question wrapping into the line where its answer starts,
questions set larger than the text, a document-control table whose cells sit a fraction of a
point apart, numbered steps running past the question's own number, a closing page of one-line
paragraphs, and sentences, list items and cells cut by page breaks.

A PDF does not say everything the Word file does, so two things are compared loosely: LibreOffice
wrote no link annotations for these files' hyperlinks (the answer's text is compared without them),
and a PDF does not tell a list's line break from a paragraph's. Where a paragraph break falls is
compared too, except in the answers named in `BREAKS_DIFFER`: a paragraph whose last line is nearly
full and is followed by one starting with a capital reads as one paragraph.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from knowledge.importing import ImportedDocument, import_file
from tests.word_documents import word_file

ROOT = Path(__file__).resolve().parents[2]
SAVED = ROOT / "tests" / "data" / "import" / "word-as-pdf"
_LINK = re.compile(r"\[((?:\\.|[^\]\\])+)\]\([^)\s]*\)")

BREAKS_DIFFER = {
    "badges-faq": {"Q7", "Q17", "Q21"},
    "home-working-faq": {"Q8", "Q10", "Q13", "Q14", "Q16", "Q21", "Q22"},
    "pre-employment-checks-faq": {"Q9"},
    "recruiting-managers-faq": {"Q9", "Q16"},
    "retirement-faq": {"Q7", "Q20"},
}


@functools.cache
def both(name: str) -> tuple[ImportedDocument, ImportedDocument]:
    word = import_file(*word_file(name))
    pdf = import_file(f"{name}.pdf", (SAVED / f"{name}.pdf").read_bytes())
    return word, pdf


NAMES = sorted(path.stem for path in SAVED.glob("*.pdf"))


def test_thirteen_documents_are_compared() -> None:
    assert len(NAMES) == 13


@pytest.mark.parametrize("name", NAMES)
def test_the_pdf_has_the_word_files_questions_owner_review_date_and_title(name: str) -> None:
    word, pdf = both(name)
    assert pdf.problems == ()
    assert [(q.source, q.question) for q in pdf.questions] == [(q.source, q.question) for q in word.questions]
    assert (pdf.title, pdf.owner, pdf.last_reviewed) == (word.title, word.owner, word.last_reviewed)


@pytest.mark.parametrize("name", NAMES)
def test_every_answer_reads_word_for_word_and_breaks_where_the_word_file_does(name: str) -> None:
    word, pdf = both(name)
    differ = BREAKS_DIFFER.get(name, set())
    for in_word, in_pdf in zip(word.questions, pdf.questions, strict=True):
        expected = _LINK.sub(r"\1", in_word.answer)
        assert in_pdf.answer.split() == expected.split(), in_word.source
        if in_word.source in differ:
            assert _lines(in_pdf.answer) != _lines(expected), f"{in_word.source} now breaks as Word does: unlist it"
        else:
            assert _lines(in_pdf.answer) == _lines(expected), in_word.source


def _lines(answer: str) -> list[str]:
    return [line.strip() for line in answer.splitlines() if line.strip()]
