"""Documents written by people who never saw the importer import to the entries their writers listed.

Each `eval/documents/*` folder holds a policy Q&A as its writer published it (numbered with
sub-questions, `Q1.` with `Source:` lines, `Question 1` under capitalised sections with a table,
`Q:`/`A:` under plain headings, bold markdown questions whose answers hold numbered steps, `Q1:`
with a footer; a Word file with a title, capitalised sections, bold numbered questions, lettered
sub-questions and a table; an intranet page saved from the browser) and what its writer listed of
it: the `*.faq.yaml` made by hand, or `written.json` (number, question, answer with `- ` list lines
and `cell | cell` table rows) for the Word file and the page, whose `*.faq.yaml` the importer made.
The importer must find every entry with its question and its answer word for word (whitespace and
markup aside).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from knowledge.corpus import load_corpus
from knowledge.importing import import_file

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted(p for p in (ROOT / "eval" / "documents").iterdir() if p.is_dir())
HAND_MADE = [p for p in DOCUMENTS if not (p / "written.json").exists()]
# Twenty-three more documents written only to be imported: pre-employment checks (numbered questions, a
# document-control table, bullets, a three-column table across a page break) and pay (the whole Q&A
# a two-column table whose cells wrap and break across pages), each as its writer saved it from
# Word and as the PDF Word's export made of it; incident reporting, in Word with its questions in
# Word's own automatic numbering (the numbers are not in the text); secondments, as text copied out
# of a PDF viewer (hard-wrapped lines, '•' bullets, the running header and page numbers pasted in
# where the pages broke); home working, one Word table of No. | Question | Answer with merged
# section rows; a policy appendix numbering its questions within numbered sections ('2.1 …', with
# lettered steps in answers), as Word and as PDF; a wellbeing page saved from a modern intranet,
# its questions in script-driven accordion buttons over collapsed (hidden) answer panels; a long
# Word document opening with a table of contents that lists every question with its page; a wiki
# page exported to Markdown (questions as '###' headings over numbered steps, callouts, a
# contents list of links, italic 'Related guidance' lines); an old intranet page framed by layout
# tables, its questions in a definition list; a Word document asking 'Q: …? A: …' in one paragraph;
# a Word document boxing its Q&A in a one-column table (a shaded bold question row, its answer row
# below); a Notion-style Markdown export ('**Q: …**' then '**A:** …', <aside> callouts); a Word
# document whose headings Word numbers itself ('1.1', '2.3': the numbers are not in the text); a PDF
# made by a reporting tool (reportlab: a bordered document-control grid of two label/value pairs a
# row, a shaded table whose cells nearly touch, bold numbered questions); a SharePoint page saved
# from the browser (suite bar and site header as role="banner", each question a collapsible
# section: a role="button" over a role="heading", most answers hidden, icon-font chevrons, readers'
# comments asking questions of their own under the page); a Word guide asking in Word's own
# numbered list, its answers in 'List Continue' paragraphs; a Confluence page (each question an
# Expand macro, info and note panels, a table of contents, comments); MkDocs Markdown (front
# matter, each question a collapsible admonition with its answer indented, tip and warning
# callouts, a closing contact section); a Google Docs export (most questions Heading 3, a few
# typed as bold paragraphs, lists numbered by numbering definitions, empty paragraphs as spacing);
# a Word document saved as "Web Page, Filtered" (Windows-1252, wrapped at 76 columns, lists as
# paragraphs with Symbol-font bullets typed in, a title paragraph, an owner table); a WordPress page
# (Yoast FAQ blocks whose answers are one paragraph broken by <br>, '• ' lines, the title in the
# article's own <header>, a 'Still have a question?' section, comments); a Notion HTML export
# (toggle blocks, emoji icons, a properties table with a person's avatar initial and an American date).
LISTED = [p for p in DOCUMENTS if (p / "written.json").exists()] + sorted(
    (ROOT / "tests" / "data" / "import" / "written").iterdir()
)
SOURCES = [
    (folder, source)
    for folder in LISTED
    for source in sorted(folder.iterdir())
    if source.suffix in {".docx", ".html", ".htm", ".pdf", ".txt", ".md"}
]


def folded(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def plain(text: str) -> str:
    """`text` without the markup either side may use: links as their text, emphasis, table bars and
    a Markdown table's divider row, a line that is only an address (the writers listed those as
    references)."""
    text = re.sub(r"\[((?:\\.|[^\]\\])+)\]\([^)\s]*\)", r"\1", text).replace("\\", "")
    text = re.sub(r"(?m)^\s*https?://\S+\s*$", "", text)
    text = re.sub(r"(?m)^[\s|:-]*-{3,}[\s|:-]*$", "", text)
    return folded(re.sub(r"[*_|]", " ", text))


@pytest.mark.parametrize("folder, source", SOURCES, ids=lambda p: p.name)
def test_every_entry_the_writer_listed_is_found_with_its_question_and_answer(folder: Path, source: Path) -> None:
    imported = import_file(source.name, source.read_bytes())
    listed = json.loads((folder / "written.json").read_text(encoding="utf-8"))
    assert [q.source for q in imported.questions] == [f"Q{item['number']}" for item in listed]
    assert imported.problems == ()
    for found, item in zip(imported.questions, listed, strict=True):
        assert plain(found.question) == plain(item["question"]), found.source
        assert plain(found.answer) == plain(item["answer"]), found.source


# For each of them a second reader, who saw only the document and its writer's list, wrote down the
# section each question sits under (`sections.json`; null where the document has none), leaving out
# a number Word shows before a heading without it being typed.
SECTIONED = [(folder, source) for folder, source in SOURCES if (folder / "sections.json").exists()]


@pytest.mark.parametrize("folder, source", SECTIONED, ids=lambda p: p.name)
def test_each_question_is_under_the_section_a_reader_sees_it_under(folder: Path, source: Path) -> None:
    listed = json.loads((folder / "sections.json").read_text(encoding="utf-8"))
    imported = import_file(source.name, source.read_bytes())
    assert [q.category for q in imported.questions] == [item["section"] or "" for item in listed]


def test_sections_were_listed_for_several_layouts() -> None:
    assert {source.suffix for _, source in SECTIONED} >= {".html", ".md", ".txt", ".htm", ".docx", ".pdf"}
    assert len(SECTIONED) >= 25


@pytest.mark.parametrize("folder", HAND_MADE, ids=lambda p: p.name)
def test_every_entry_is_found_with_its_answer_word_for_word(folder: Path) -> None:
    (source,) = [p for p in folder.iterdir() if p.suffix in {".txt", ".md"}]
    imported = import_file(source.name, source.read_bytes())
    written = load_corpus(folder).entries
    assert len(imported.questions) == len(written)
    for found, entry in zip(imported.questions, written, strict=True):
        assert folded(found.answer) == folded(entry.answer), entry.id
        assert found.source == entry.source, entry.id


@pytest.mark.parametrize(
    "name, title, owner",
    [
        (
            "checks",
            "Pre-employment Checks for New Starters and Internal Movers",
            "Recruitment and Resourcing Team, Workforce Directorate",
        ),
        ("pay", "Pay, payslips and payroll: frequently asked questions", "Payroll Services"),
    ],
)
@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_title_owner_and_review_date_come_from_the_document(name: str, title: str, owner: str, suffix: str) -> None:
    (source,) = (ROOT / "tests" / "data" / "import" / "written" / name).glob(f"*{suffix}")
    imported = import_file(source.name, source.read_bytes())
    assert (imported.title, imported.owner, imported.last_reviewed) == (title, owner, dt.date(2025, 2, 1))


@pytest.mark.parametrize(
    "name, title, owner, reviewed",
    [
        (
            "training",
            "Mandatory and Statutory Training: Frequently Asked Questions",
            "Head of Learning and Development",
            dt.date(2026, 11, 18),  # approved; its 'Review date' (2028) is the next review
        ),
        (
            "carscheme",
            "Salary sacrifice car scheme: your questions answered",
            "Pay and Reward Team",
            dt.date(2025, 6, 12),
        ),
        (
            "recruit",
            "Recruiting to your team: questions from recruiting managers",
            "Head of Resourcing, Workforce Directorate",
            dt.date(2025, 3, 12),
        ),
        (
            "ohreferral",
            "Occupational health referrals: questions from managers and staff",
            "Occupational Health Service",
            dt.date(2025, 3, 1),
        ),
        ("pension", "Your NHS Pension: common questions", "Pensions Team, Workforce Directorate", dt.date(2025, 5, 19)),
        (
            "wordhtml",
            "Professional indemnity, DBS rechecks and right to work: questions from staff",
            "Workforce Compliance Team",
            dt.date(2025, 2, 3),
        ),
        (
            "wpfaq",
            "Staff rest areas, meal breaks and on-site catering: your questions",
            "Estates and Facilities",
            dt.date(2025, 3, 12),
        ),
        (
            "notion",
            "Secondary employment and declaring other jobs: questions and answers",
            "HR Advisory Team",
            dt.date(2025, 2, 11),
        ),
        (
            "badges",
            "ID badges and smartcards: your questions answered",
            "Security and Access Team",
            dt.date(2025, 5, 12),
        ),
    ],
)
def test_title_owner_and_date_come_from_pages_and_reports_as_published(
    name: str, title: str, owner: str, reviewed: dt.date
) -> None:
    (source,) = [p for p in (ROOT / "tests" / "data" / "import" / "written" / name).iterdir() if p.suffix != ".json"]
    imported = import_file(source.name, source.read_bytes())
    assert (imported.title, imported.owner, imported.last_reviewed) == (title, owner, reviewed)
