"""Spreadsheets of questions and answers (.xlsx, .csv, .tsv): a row a question, columns named in a header row.

A spreadsheet says what each column holds in its header row, so columns are found by their names
(`Question`, `Answer`, `Policy reference`, `Ref`, `Alternate questions`) wherever they stand, and
a row is read across: no layout to guess. Rows above the header, and sheets with no header (a
cover sheet), are lines of text that give the title, owner and review date. A sheet whose name
says it is not current ("Withdrawn", "Change log") and a hidden sheet are left out, as the report
says.

An export of Azure custom question answering (QnA Maker, as FAQ Plus used it) writes one row per
question, the answer repeated beside each alternate question with the same `QnaId`: those rows
are one entry, its first question the question and the others its alternates. Its chit-chat
(greetings the service adds) answers no policy question and is left out.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from knowledge.importing.blocks import Block, DocumentError, markdown_link
from knowledge.importing.cell_formats import shown
from knowledge.importing.document import ImportedDocument, ImportedQuestion, ImportFinding, preview
from knowledge.importing.layouts import section_row
from knowledge.importing.metadata import missing, read_metadata
from knowledge.importing.references import find_references
from knowledge.importing.sheet_links import sheet_links
from knowledge.importing.text_reader import decode_text

SHEET_FORMATS = (".xlsx", ".csv", ".tsv")

Column = Literal["question", "answer", "alternates", "reference", "topic", "label", "group", "source"]

_HEADER_SEARCH = 15
"""Rows at the top of a sheet searched for its header row (a title and a few metadata lines above it)."""
_WORD = re.compile(r"[a-z0-9]+")
_NOT_CURRENT = re.compile(
    r"\b(withdrawn|archived?|retired|superseded|old|deleted|obsolete|change\s*log|history)\b", re.I
)
_BULLET = re.compile(r"^(?:[-*•▪◦●○■–]\s*)(?P<text>\S.*)$")
_NONE = re.compile(r"^(?:n/?a|none|nil|-+|–|—|tbc|not applicable)\.?$", re.IGNORECASE)
_LABEL_NUMBER = re.compile(r"^(?:Q\s*)?(\d+(?:\.\d+)*)\.?$", re.IGNORECASE)
_LABELLED = re.compile(r"^[A-Za-z][\w ]{0,30}:\s*\S")
_CHITCHAT = re.compile(r"chit-?chat", re.IGNORECASE)
_ESCAPED_BREAK = re.compile(r"\\n")


@dataclass(frozen=True)
class Sheet:
    """One sheet's rows of cell texts ('' for an empty cell), as the file holds them."""

    name: str
    rows: tuple[tuple[str, ...], ...]
    hidden: bool = False
    links: Mapping[tuple[int, int], str] = field(default_factory=dict)
    """Where a linked cell leads, by its row and column in `rows` (an Excel hyperlink: not in its text)."""


def read_sheets(suffix: str, data: bytes) -> tuple[Sheet, ...]:
    """The sheets of a workbook (.xlsx) or the one sheet of a .csv or .tsv file; DocumentError when unreadable."""
    if suffix == ".xlsx":
        return _workbook(data)
    text = decode_text(data)
    delimiter = "\t" if suffix == ".tsv" else _delimiter(text)
    try:
        rows = _limited("", csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise DocumentError(f"not a {suffix} file that can be read: {exc}") from None
    return (Sheet("", rows),)


def import_sheets(sheets: Sequence[Sheet], *, untitled: str) -> ImportedDocument:
    """The questions of every current sheet with a header row naming a question and an answer column."""
    notes: list[ImportFinding] = []
    problems: list[ImportFinding] = []
    unplaced: list[ImportFinding] = []
    lines: list[Block] = []  # rows that are not questions: the title, owner and review date are among them
    sheet_of: dict[int, str] = {}  # a line's sheet, by the line's id
    found: list[_Row] = []
    for sheet in sheets:
        header_at, columns = _header(sheet.rows)
        if sheet.hidden or (sheet.name and _NOT_CURRENT.search(sheet.name)):
            if columns:
                why = "it is hidden" if sheet.hidden else "its name says it is not current"
                notes.append(ImportFinding(None, f"sheet '{sheet.name}' left out: {why}"))
            continue
        read = _lines(sheet.rows, 0, len(sheet.rows) if not columns else header_at)
        lines.extend(read)
        sheet_of.update((id(block), sheet.name) for block in read)
        if not columns:
            continue
        found.extend(_rows(sheet, header_at, columns, problems, notes))
    metadata = read_metadata(lines)
    rest = [block for position, block in enumerate(lines) if position not in metadata.used]
    title = next(
        (
            b.text
            for b in rest
            if b.kind == "paragraph" and len(b.text.split()) <= _TITLE_WORDS and not _ORGANISATION.search(b.text)
        ),
        "",
    )
    unplaced.extend(
        ImportFinding(
            b.location, f"sheet '{sheet_of[id(b)]}': {preview(b.text)}" if sheet_of[id(b)] else preview(b.text), "row"
        )
        for b in rest
        if b.text != title
    )
    if not title:
        notes.append(ImportFinding(None, f"the document has no title before its first question: called '{untitled}'"))
        title = untitled
    questions = _questions(_grouped(found, problems), title, notes)
    if not questions:
        problems.append(
            ImportFinding(
                None, "no questions found (expected a header row naming a question column and an answer column)"
            )
        )
    if lacking := missing(metadata):
        notes.append(ImportFinding(None, f"the spreadsheet gives no {lacking} (an 'Owner:' or 'Last reviewed:' line)"))
    return ImportedDocument(
        title,
        metadata.owner,
        metadata.last_reviewed,
        tuple(questions),
        tuple(problems),
        tuple(notes),
        tuple(unplaced),
        "spreadsheet",
        "row",
    )


_TITLE_WORDS = 20
_ORGANISATION = re.compile(r"\b(?:NHS|Trust|Board|Council|Hospitals?|Health)$")
"""A line that is only the organisation's name ('Harbourside NHS Foundation Trust') above the title."""


@dataclass
class _Row:
    """One question row, read across by its header."""

    sheet: str
    at: int
    question: str
    answer: str
    alternates: list[str] = field(default_factory=list)
    reference: str = ""
    label: str = ""
    group: str = ""
    category: str = ""
    link: str = ""
    """Where a linked question or answer cell leads: a reference of the entry, not part of its text."""


def _header(rows: Sequence[Sequence[str]]) -> tuple[int, dict[Column, int]]:
    """The position of the header row and the column each known heading stands for; no columns when none."""
    for position, row in enumerate(rows[:_HEADER_SEARCH]):
        columns: dict[Column, int] = {}
        for index, cell in enumerate(row):
            kind = _column(cell)
            if kind and kind not in columns:
                columns[kind] = index
        if "question" in columns and "answer" in columns:
            return position, columns
    return 0, {}


def _column(heading: str) -> Column | None:
    """What a header cell's column holds, by its words ('Policy reference', 'QnaId', 'Alternate questions')."""
    words = _WORD.findall(heading.casefold())
    if not words or len(words) > 4:
        return None
    joined = " ".join(words)
    if joined in {"qnaid", "qna id", "id"}:
        return "group"
    if joined in {"no", "number", "ref", "faq no", "faq number", "faq ref", "item", "q no"} or heading.strip() == "#":
        return "label"
    if {"question", "questions"} & set(words):
        if {"alternate", "alternative", "alternatives", "other", "similar", "also", "variations", "ways"} & set(words):
            return "alternates"
        if {"suggested", "follow", "prompts", "related", "no", "number", "ref", "id"} & set(words):
            return None
        return "question"
    if {"answer", "answers", "response"} & set(words):
        return "answer"
    if {"policy", "policies", "reference", "references"} & set(words):
        return "reference"
    if {"category", "topic", "theme", "subject", "metadata"} & set(words):
        return "topic"
    if joined == "source":
        return "source"
    return None


def _rows(
    sheet: Sheet, header_at: int, columns: dict[Column, int], problems: list[ImportFinding], notes: list[ImportFinding]
) -> Iterable[_Row]:
    def cell(row: Sequence[str], kind: Column) -> str:
        index = columns.get(kind)
        return row[index].strip() if index is not None and index < len(row) else ""

    def link(position: int, kind: Column) -> str:
        index = columns.get(kind)
        return sheet.links.get((position - 1, index), "") if index is not None else ""

    exported = "group" in columns  # a question answering export escapes its line breaks
    chitchat = 0
    section = ""  # the last section row's text: the category of the rows under it
    for position, row in enumerate(sheet.rows[header_at + 1 :], start=header_at + 2):
        question, answer = cell(row, "question"), cell(row, "answer")
        if _CHITCHAT.search(cell(row, "source")) or _CHITCHAT.search(cell(row, "topic")):
            chitchat += 1
            continue
        if exported:
            answer = _ESCAPED_BREAK.sub("\n", answer)
        if not question and not answer:
            section = section_row(row) or section
            continue  # a spacer, or a section row
        where = f"sheet '{sheet.name}': " if sheet.name else ""
        if not answer:
            problems.append(ImportFinding(position, f"{where}a question with no answer, not imported", "row"))
            continue
        if not question:
            problems.append(ImportFinding(position, f"{where}an answer with no question, not imported", "row"))
            continue
        alternates = [line.strip() for line in cell(row, "alternates").splitlines() if line.strip()]
        # A linked question or answer cell leads to where the answer comes from: the address is a
        # reference, and the approved text stays as the sheet shows it. A linked policy keeps its name.
        reference, policy_link = cell(row, "reference"), link(position, "reference")
        if policy_link and reference:
            reference = markdown_link(reference, policy_link)
        yield _Row(
            sheet.name,
            position,
            " ".join(question.split()),
            answer,
            alternates,
            reference or policy_link,
            cell(row, "label"),
            cell(row, "group"),
            _category(cell(row, "topic")) or section,
            link(position, "answer") or link(position, "question"),
        )
    if chitchat:
        notes.append(ImportFinding(None, f"{chitchat} chit-chat rows (greetings the service adds) left out"))


def _grouped(rows: Sequence[_Row], problems: list[ImportFinding]) -> list[_Row]:
    """Rows sharing an export's QnaId as one entry: the first row's question, the others' as its alternates."""
    entries: list[_Row] = []
    by_group: dict[tuple[str, str], _Row] = {}
    for row in rows:
        first = by_group.get((row.sheet, row.group)) if row.group else None
        if first is None:
            entries.append(row)
            if row.group:
                by_group[(row.sheet, row.group)] = row
            continue
        if " ".join(row.answer.split()) != " ".join(first.answer.split()):
            problems.append(
                ImportFinding(
                    row.at,
                    f"QnaId {row.group} has a different answer here than on its first row: the first kept",
                    "row",
                )
            )
        first.alternates.extend(q for q in (row.question, *row.alternates) if q not in first.alternates)
    return entries


def _questions(rows: Sequence[_Row], title: str, notes: list[ImportFinding]) -> list[ImportedQuestion]:
    # An export's QnaId stays with its answer from one export to the next, as a re-import needs.
    labels = [_label(row.label or row.group) for row in rows]
    given = [label for label in labels if label]
    if len(set(given)) < len(given):
        labels = [""] * len(rows)  # the rows' own labels do not tell them apart
    # A row with no label of its own (added since the sheet was numbered) is named by its place.
    labels = [
        label or (f"Q{ordinal}" if f"Q{ordinal}" not in given else f"row {row.at}")
        for ordinal, (row, label) in enumerate(zip(rows, labels, strict=True), start=1)
    ]
    questions = []
    for row, label in zip(rows, labels, strict=True):
        answer = _cell_answer(row.answer)
        cited = [row.reference] if row.reference and not _NONE.match(row.reference) else []
        cited += [row.link] if row.link else []
        citations = find_references(answer, title=title, source=label, cited=cited)
        notes.extend(ImportFinding(row.at, remark, "row") for remark in citations.remarks)
        alternates = tuple(dict.fromkeys(a for a in row.alternates if a.casefold() != row.question.casefold()))
        questions.append(
            ImportedQuestion(label, row.question, answer, citations.references, row.at, alternates, row.category)
        )
    return questions


def _category(text: str) -> str:
    """A category cell's category: the text itself, or from an export's metadata
    ('category:deposit|policy:hr-61') the `category` value; "" when there is none."""
    if ":" not in text:
        return " ".join(text.split())
    pairs = dict(part.partition(":")[::2] for part in text.split("|"))
    return " ".join(pairs.get("category", "").split())


def _label(text: str) -> str:
    """A row's own label as an entry's source: '7' and 'Q7' are 'Q7'; a code such as 'JE-07' stays."""
    if number := _LABEL_NUMBER.match(text):
        return f"Q{number.group(1)}"
    return text if text and len(text) <= _LABEL_LENGTH and " " not in text else ""


_LABEL_LENGTH = 12


def _cell_answer(text: str) -> str:
    """A cell's text as the answer, line for line as typed: a bullet glyph ('•', '–') written as
    '- ', blank lines between paragraphs kept (one), trailing spaces dropped."""
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").replace("_x000D_", "").split("\n"):
        line = line.strip()
        if bullet := _BULLET.match(line):
            line = f"- {bullet.group('text')}"
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip()


def _lines(rows: Sequence[Sequence[str]], start: int, end: int) -> list[Block]:
    """Rows that ask nothing, as the metadata reader reads a document: a row of one cell a
    paragraph ('Owner: HR'), a row of several a table row ('Owner | HR'), unless each of its cells
    is labelled on its own."""
    blocks: list[Block] = []
    for position in range(start, end):
        cells = tuple(c.strip() for c in rows[position] if c.strip())
        if len(cells) == 1 or all(_LABELLED.match(c) for c in cells):  # 'Owner: HR' beside 'Reviewed: May 2025'
            blocks.extend(Block("paragraph", c, position + 1) for c in cells)
        elif cells:
            blocks.append(Block("table_row", " | ".join(cells), position + 1, cells=cells))
    return blocks


def _delimiter(text: str) -> str:
    """What a .csv file's fields are separated by: commas, or semicolons where Excel's list
    separator is the comma's decimal role (much of Europe), or tabs."""
    try:
        return csv.Sniffer().sniff(text[:_SNIFF], delimiters=",;\t").delimiter
    except csv.Error:
        return ","


_SNIFF = 8192


def _workbook(data: bytes) -> tuple[Sheet, ...]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise DocumentError(f"not an Excel workbook (.xlsx): {exc}") from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            links = sheet_links(package)
    except (zipfile.BadZipFile, KeyError, SyntaxError, ValueError) as exc:
        workbook.close()
        raise DocumentError(f"the workbook's links cannot be read: {exc}") from None
    try:
        return tuple(
            Sheet(
                sheet.title,
                _limited(
                    sheet.title,
                    (
                        [shown(getattr(c, "value", None), getattr(c, "number_format", None)) for c in row]
                        for row in sheet.iter_rows(min_row=1, min_col=1)
                    ),
                ),
                hidden=getattr(sheet, "sheet_state", "visible") != "visible",
                # Rows and columns are read from A1, so a cell's place in `rows` is its number less one.
                links={(row - 1, column - 1): url for (row, column), url in links.get(sheet.title, {}).items()},
            )
            for sheet in workbook.worksheets
        )
    finally:
        workbook.close()


def _limited(name: str, rows: Iterable[list[str]]) -> tuple[tuple[str, ...], ...]:
    """The rows, each without its empty cells at the end (a sheet formatted to its last column
    reports thousands); DocumentError past `MAX_ROWS`, rather than a Q&A cut short."""
    kept: list[tuple[str, ...]] = []
    for row in rows:
        if len(kept) == MAX_ROWS:
            where = f"sheet '{name}'" if name else "the file"
            raise DocumentError(f"{where} has more than {MAX_ROWS:,} rows: is it a Q&A sheet? Save the Q&A on its own")
        while row and not row[-1].strip():
            row.pop()
        kept.append(tuple(row))
    return tuple(kept)


MAX_ROWS = 20_000
"""Rows a sheet may have: ten times the largest policy Q&A seen, far fewer than a data export."""
