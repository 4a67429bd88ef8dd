"""Policy Q&A documents for the import tests, written here and rendered with the real libraries.

One text (uniform and workwear, 16 questions) is rendered in every format and layout: plain
text, Word (python-docx), PDF (fpdf2) and HTML. `expected_answer` is what each answer must read
as after import: paragraphs, list items ('- '), table rows ('| a | b |') and links as markdown.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from fpdf import FPDF

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")

Part = tuple[str, object]  # ("p", text) | ("li", text) | ("row", (cell, cell))


@dataclass(frozen=True)
class QA:
    question: str
    parts: tuple[Part, ...]
    source: str | None = None  # the text of a trailing 'Source:' line
    references: tuple[str, ...] = ()  # labels the import must find (besides the document itself)


TITLE = "Uniform and Workwear Questions & Answers"
OWNER = "Facilities and Estates Team"
REVIEWED = "March 2025"
POLICY_URL = "https://intranet.example-trust.nhs.uk/policies/uniform-and-workwear"

UNIFORM: tuple[QA, ...] = (
    QA(
        "Who has to wear a uniform at work?",
        (
            (
                "p",
                "Everyone in a patient-facing role wears the uniform for their role, as set out in the "
                "Uniform and Workwear Policy FM021 section 3.1.",
            ),
            ("p", "Office-based colleagues follow the dress code in section 5 of the same policy."),
        ),
        references=("Uniform and Workwear Policy FM021 3.1",),
    ),
    QA(
        "How many sets of uniform will I be given?",
        (
            ("p", "Full-time colleagues receive five sets when they start. Part-time colleagues receive:"),
            ("li", "three sets for up to 22.5 hours a week;"),
            ("li", "four sets for more than 22.5 hours a week."),
        ),
        source=POLICY_URL,
        references=("INTRANET.EXAMPLE-TRUST.NHS.UK",),
    ),
    QA(
        "How do I order a replacement uniform?",
        (
            (
                "p",
                "Complete the [uniform request form](https://forms.example-trust.nhs.uk/uniform) and ask your "
                "line manager to approve it. Orders usually arrive within ten working days.",
            ),
        ),
        references=("uniform request form",),
    ),
    QA(
        "Can I wash my uniform at home?",
        (
            (
                "p",
                "Yes. Wash it separately at 60°C or the hottest temperature the fabric allows, and tumble dry "
                "or iron it.",
            ),
            ("p", "Follow the Infection Prevention and Control Policy IPC004 for anything soiled with body fluids."),
        ),
        references=("Infection Prevention and Control Policy IPC004",),
    ),
    QA(
        "Can I travel to work in my uniform?",
        (
            (
                "p",
                "No. Change at work, or cover your uniform completely while you travel. Staff who work in "
                "the community may travel between visits in uniform.",
            ),
        ),
        source="Uniform and Workwear Policy FM021 section 4.2",
        references=("Uniform and Workwear Policy FM021 4.2",),
    ),
    QA(
        "What footwear is acceptable on the wards?",
        (
            (
                "p",
                "Shoes must be closed at the toe and heel, have a non-slip sole and be easy to wipe clean. "
                "Trainers are acceptable if they are plain black or white.",
            ),
        ),
        references=(),
    ),
    QA(
        "Can I wear jewellery with my uniform?",
        (
            ("p", "In clinical areas you may wear:"),
            ("li", "one plain band ring;"),
            ("li", "one pair of plain stud earrings;"),
            ("li", "a medical alert bracelet or necklace."),
            ("p", "Wrist watches are not worn below the elbow; use a fob watch instead."),
        ),
        references=(),
    ),
    QA(
        "Are there rules on nails and hair?",
        (
            (
                "p",
                "Nails are kept short and clean, without varnish, gels or extensions. Hair longer than collar "
                "length is tied back and off the collar.",
            ),
        ),
        references=(),
    ),
    QA(
        "Can I wear a head covering for religious reasons?",
        (
            (
                "p",
                "Yes. Headscarves, turbans and kippahs are welcome; in theatres a disposable cover is worn over "
                "them. Speak to your manager if your faith needs any other adjustment.",
            ),
        ),
        source="Equality, Diversity and Inclusion Policy HR031",
        references=("Equality, Diversity and Inclusion Policy HR031",),
    ),
    QA(
        "Is there an allowance for work shoes?",
        (
            (
                "p",
                "There is no allowance for shoes, except for roles where safety footwear is required; these are "
                "provided through the estates stores.",
            ),
        ),
        references=(),
    ),
    QA(
        "Will I be given a name badge?",
        (("p", "Yes, with your photo, first name and role. Wear it above the waist where patients can see it."),),
        references=(),
    ),
    QA(
        "What should I wear if I am pregnant?",
        (
            (
                "p",
                "Maternity tunics and trousers are available in every uniform colour. Ask your manager to order "
                "them on the uniform request form.",
            ),
        ),
        references=(),
    ),
    QA(
        "Can I wear a cardigan over my uniform?",
        (
            (
                "p",
                "In non-clinical areas a plain navy cardigan is allowed. It is taken off before any patient "
                "contact, as explained in section 6.3 of the Uniform and Workwear Policy FM021.",
            ),
        ),
        references=("Uniform and Workwear Policy FM021",),
    ),
    QA(
        "What happens to my uniform when I leave?",
        (
            (
                "p",
                "Return every item to your manager on your last day. Uniform is not sold or given away, because "
                "it could be used to gain access to our sites.",
            ),
        ),
        source=POLICY_URL,
        references=("INTRANET.EXAMPLE-TRUST.NHS.UK",),
    ),
    QA(
        "Who do I ask if my uniform does not fit?",
        (
            (
                "p",
                "Contact the linen room on extension 4471 or email uniforms@example-trust.nhs.uk. Alterations "
                "are free.",
            ),
        ),
        references=(),
    ),
    QA(
        "Are there different colours for different roles?",
        (
            ("p", "Yes. The colours are:"),
            ("row", ("Registered nurses", "navy")),
            ("row", ("Healthcare support workers", "green")),
            ("row", ("Allied health professionals", "bottle green")),
            ("p", "The full chart is in the Uniform and Workwear Policy FM021 appendix B."),
        ),
        references=("Uniform and Workwear Policy FM021",),
    ),
)


def expected_answer(qa: QA, *, links: str = "markdown") -> str:
    """The answer as the import must give it; `links='printed'` for a PDF, where a link shows its address."""
    out: list[str] = []
    for position, (kind, value) in enumerate(qa.parts):
        previous = qa.parts[position - 1][0] if position else None
        if kind == "li":
            text = f"- {value}"
        elif kind == "row":
            text = "| " + " | ".join(value) + " |"  # type: ignore[arg-type]
        else:
            text = str(value)
        if links == "printed":
            text = _LINK.sub(r"\1 (\2)", text)
        out.append(("\n" if kind == previous and kind in {"li", "row"} else "\n\n") + text if out else text)
    return "".join(out)


def normalised(text: str) -> str:
    return " ".join(text.split())


# --- plain text ------------------------------------------------------------------------------


def as_text(entries: tuple[QA, ...], layout: str, *, sign_off: bool = True) -> str:
    """A plain-text (markdown) document in `layout`: '1.', 'Q1.', 'Q1:', 'Q:A:', 'Question N',
    'headings', 'bold' or 'question lines'."""
    lines = [TITLE, "", "Answers to the questions staff asked most often about uniform.", ""]
    for number, qa in enumerate(entries, start=1):
        lines += _question_lines(layout, number, qa.question)
        answer = expected_answer(qa)
        if layout == "Q:A:":
            answer = f"A: {answer}"
        lines += [answer, ""]
        if qa.source:
            lines += [f"Source: {qa.source}", ""]
    if sign_off:
        lines += [REVIEWED, "", OWNER]
    return "\n".join(lines) + "\n"


def _question_lines(layout: str, number: int, question: str) -> list[str]:
    return {
        "1.": [f"{number}. {question}", ""],
        "Q1.": [f"Q{number}. {question}", ""],
        "Q1:": [f"Q{number}: {question}", ""],
        "Q:A:": [f"Q: {question}"],
        "Question N": [f"Question {number}", question, ""],
        "headings": [f"## {question}", ""],
        "bold": [f"**{question}**", ""],
        "question lines": [question, ""],
    }[layout]


# --- Word --------------------------------------------------------------------------------------


def as_docx(entries: tuple[QA, ...], layout: str, *, title: str = TITLE) -> bytes:
    """A Word document in `layout`: 'headings', 'bold', 'Q1.', 'question lines' or 'table'."""
    document = docx.Document()
    document.add_paragraph(title, style="Title")
    document.add_paragraph("Answers to the questions staff asked most often about uniform.")
    if layout == "table":
        table = document.add_table(rows=1, cols=2)
        table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Question", "Answer"
    for number, qa in enumerate(entries, start=1):
        if layout == "table":
            row = table.add_row()
            row.cells[0].text = qa.question
            cell = row.cells[1]
            for position, (kind, value) in enumerate(qa.parts):
                paragraph = cell.paragraphs[0] if position == 0 else cell.add_paragraph()
                text = f"- {value}" if kind == "li" else ("| " + " | ".join(value) + " |" if kind == "row" else value)  # type: ignore[arg-type]
                _add_runs(paragraph, str(text))
            if qa.source:
                _add_runs(cell.add_paragraph(), f"Source: {qa.source}")
            continue
        if layout == "headings":
            document.add_heading(qa.question, level=2)
        elif layout == "bold":
            document.add_paragraph().add_run(qa.question).bold = True
        elif layout == "Q1.":
            document.add_paragraph(f"Q{number}. {qa.question}")
        else:
            document.add_paragraph(qa.question)
        _docx_answer(document, qa)
    document.add_paragraph(REVIEWED)
    document.add_paragraph(OWNER)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_answer(document: docx.document.Document, qa: QA) -> None:
    rows = [value for kind, value in qa.parts if kind == "row"]
    table = None
    for kind, value in qa.parts:
        if kind == "li":
            _add_runs(document.add_paragraph(style="List Bullet"), str(value))
        elif kind == "row":
            if table is None:
                table = document.add_table(rows=0, cols=len(rows[0]))  # type: ignore[arg-type]
            cells = table.add_row().cells
            for cell, text in zip(cells, value, strict=False):  # type: ignore[call-overload]
                cell.text = text
        else:
            _add_runs(document.add_paragraph(), str(value))
    if qa.source:
        _add_runs(document.add_paragraph(), f"Source: {qa.source}")


def _add_runs(paragraph: docx.text.paragraph.Paragraph, text: str) -> None:
    """`text` into `paragraph`, each markdown link as a real Word hyperlink."""
    position = 0
    for match in _LINK.finditer(text):
        paragraph.add_run(text[position : match.start()])
        _add_hyperlink(paragraph, match.group(1), match.group(2))
        position = match.end()
    paragraph.add_run(text[position:])


def _add_hyperlink(paragraph: docx.text.paragraph.Paragraph, text: str, url: str) -> None:
    relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    run = OxmlElement("w:r")
    content = OxmlElement("w:t")
    content.text = text
    content.set(qn("xml:space"), "preserve")
    run.append(content)
    link.append(run)
    paragraph._p.append(link)


def ensure_list_style(document: docx.document.Document) -> None:
    if "List Bullet" not in [s.name for s in document.styles if s.type == WD_STYLE_TYPE.PARAGRAPH]:
        document.styles.add_style("List Bullet", WD_STYLE_TYPE.PARAGRAPH)


# --- PDF ---------------------------------------------------------------------------------------


class _Pdf(FPDF):
    def __init__(self, *, furniture: bool) -> None:
        super().__init__(format="A4")
        self.furniture = furniture
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(True, margin=22)

    def header(self) -> None:
        if self.furniture:
            self.set_font("DejaVu", "", 8)
            self.cell(
                0,
                6,
                "Example Trust · Uniform and Workwear Q&A · Uncontrolled when printed",
                new_x="LMARGIN",
                new_y="NEXT",
            )
            self.ln(4)

    def footer(self) -> None:
        if self.furniture:
            self.set_y(-15)
            self.set_font("DejaVu", "", 8)
            self.cell(0, 5, f"Document owner: {OWNER} | Last reviewed: {REVIEWED}", new_x="LMARGIN", new_y="NEXT")
            self.cell(0, 5, f"Page {self.page_no()} of {{nb}}")


def as_pdf(entries: tuple[QA, ...], layout: str, *, messy: bool = False, split_question: int | None = None) -> bytes:
    """A PDF in `layout` ('Q1.', 'bold' or 'question lines'); `messy` adds headers, footers, page numbers,
    and `split_question` (a number) is pushed to the foot of a page so it breaks across two pages."""
    pdf = _Pdf(furniture=messy)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 9, TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    _pdf_paragraph(pdf, "Answers to the questions staff asked most often about uniform.")
    for number, qa in enumerate(entries, start=1):
        question = f"Q{number}. {qa.question}" if layout == "Q1." else qa.question
        if number == split_question:
            pdf.add_page()
            pdf.set_y(pdf.h - 22 - 6.5)  # one line above the bottom margin: the question wraps onto the next page
        pdf.set_font("DejaVu", "B" if layout == "bold" else "", 11)
        pdf.multi_cell(0 if number != split_question else 60, 6, question, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        pdf.set_font("DejaVu", "", 11)
        rows = [value for kind, value in qa.parts if kind == "row"]
        for kind, value in qa.parts:
            if kind == "li":
                pdf.multi_cell(0, 6, f"- {value}", align="L", new_x="LMARGIN", new_y="NEXT")
                if (kind, value) == [p for p in qa.parts if p[0] == "li"][-1]:
                    pdf.ln(3)
            elif kind == "row":
                if value == rows[0]:
                    with pdf.table(col_widths=(90, 60), text_align="LEFT", first_row_as_headings=False) as table:
                        for cells in rows:
                            row = table.row()
                            for text in cells:  # type: ignore[union-attr]
                                row.cell(text)
                    pdf.ln(3)
            else:
                _pdf_paragraph(pdf, _LINK.sub(r"\1 (\2)", str(value)))
        if qa.source:
            _pdf_paragraph(pdf, f"Source: {qa.source}")
    if not messy:
        _pdf_paragraph(pdf, REVIEWED)
        _pdf_paragraph(pdf, OWNER)
    return bytes(pdf.output())


def _pdf_paragraph(pdf: FPDF, text: str) -> None:
    pdf.set_font("DejaVu", "", 11)
    pdf.multi_cell(0, 6, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def text_as_pdf(text: str) -> bytes:
    """A plain-text document printed as it is: one paragraph per paragraph of the text."""
    pdf = _Pdf(furniture=False)
    pdf.add_page()
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        _pdf_paragraph(pdf, " ".join(paragraph.split()))
    return bytes(pdf.output())


def text_as_docx(text: str) -> bytes:
    """A plain-text document as Word: one paragraph per paragraph, markdown links as hyperlinks."""
    document = docx.Document()
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        _add_runs(document.add_paragraph(), " ".join(paragraph.split()).replace("\\(", "(").replace("\\)", ")"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- HTML --------------------------------------------------------------------------------------


def as_html(entries: tuple[QA, ...], layout: str) -> bytes:
    """An intranet page in `layout`: 'details', 'headings', 'bold', 'Q1.' or 'table'."""
    body = [
        f"<h1>{TITLE}</h1>",
        "<nav><a href='/'>Home</a> &gt; <a href='/hr'>HR</a></nav>",
        "<p>Answers to the questions staff asked most often about uniform.</p>",
    ]
    if layout == "table":
        body.append("<table><tr><th>Question</th><th>Answer</th></tr>")
    for number, qa in enumerate(entries, start=1):
        answer = _html_answer(qa)
        if layout == "details":
            body.append(f"<details><summary>{qa.question}</summary>{answer}</details>")
        elif layout == "headings":
            body.append(f"<h3>{qa.question}</h3>{answer}<p><a href='#top'>Back to top</a></p>")
        elif layout == "bold":
            body.append(f"<p><strong>{qa.question}</strong></p>{answer}")
        elif layout == "Q1.":
            body.append(f"<p>Q{number}. {qa.question}</p>{answer}")
        else:
            body.append(f"<tr><td>{qa.question}</td><td>{_html_answer(qa, rows_as_text=True)}</td></tr>")
        if number == 8 and layout in {"headings", "details"}:
            body.append("<h2>APPEARANCE</h2>")
    if layout == "table":
        body.append("</table>")
    footer = f"<footer><p>Document owner: {OWNER} | Last reviewed: {REVIEWED}</p></footer>"
    page = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{TITLE}</title>"
        f"<style>p {{margin: 0}}</style></head><body>{''.join(body)}{footer}</body></html>"
    )
    return page.encode("utf-8")


def _html_answer(qa: QA, *, rows_as_text: bool = False) -> str:
    """The answer as HTML; in a Q&A table an answer's own table is written as text rows."""
    out: list[str] = []
    items: list[str] = []
    rows: list[str] = []
    for kind, value in qa.parts:
        if kind != "li" and items:
            out.append(f"<ul>{''.join(items)}</ul>")
            items = []
        if kind == "row" and rows_as_text:
            kind, value = "p", "| " + " | ".join(value) + " |"  # type: ignore[arg-type]
        if kind != "row" and rows:
            out.append(f"<table>{''.join(rows)}</table>")
            rows = []
        text = _LINK.sub(r"<a href='\2'>\1</a>", str(value)) if kind != "row" else ""
        if kind == "li":
            items.append(f"<li>{text}</li>")
        elif kind == "row":
            rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in value) + "</tr>")  # type: ignore[union-attr]
        else:
            out.append(f"<p>{text}</p>")
    if items:
        out.append(f"<ul>{''.join(items)}</ul>")
    if rows:
        out.append(f"<table>{''.join(rows)}</table>")
    if qa.source:
        out.append(f"<p>Source: {qa.source}</p>")
    return "".join(out)
