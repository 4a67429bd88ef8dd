"""PDF documents with a text layer into blocks, located by page.

Lines are rebuilt from the text's positions; a vertical gap wider than the page's usual line
spacing starts a new paragraph. Page headers and footers (lines repeated at the top or bottom of
several pages) and page numbers are page furniture, not text. A paragraph a page break cuts in
the middle of a sentence is joined with its end on the next page.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import pypdf
from pypdf.errors import PdfReadError

from knowledge.importing.blocks import Block, BlockDocument, DocumentError, Link
from knowledge.importing.pdf_links import LinkArea, anchors, link_areas, link_text
from knowledge.importing.references import CITATION_LABEL

_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
# A bullet glyph may touch its text ('•new starters'): Word exports the gap as a move, not a space.
_BULLET = re.compile(r"^(?:[•▪◦●○■□◆➢\uf0b7\uf0a7]\s*|[-*]\s+|\d{1,2}\)\s+)(?=\S)")
_SENTENCE_END = (".", "?", "!", ":", ")", '"', "”")
_EDGE_LINES = 2  # lines at the top and the bottom of a page that may be furniture
_PARAGRAPH_GAP = 1.3  # times the usual line spacing
_CELL_GAP = 2.0  # times the font size between two pieces of one line: a table's next cell
_MARKER = 3  # characters: at most this long, a line's first piece is a list marker ('1.', 'a)', '•')
_SHORT_LINE = 0.6  # a line ending before this share of the widest one ends its paragraph
_HEADING_GAP = 1.5  # times a heading's size between its wrapped lines
_ALIGNED = 3.0  # points: a piece starting this close to a column's left edge is in that column
_NARROW = 0.5  # a character's width in a proportional font, times its size (an estimate on the narrow side)
_CITATION = re.compile(rf"^{CITATION_LABEL}\s*:\s*\S", re.IGNORECASE)
_STEP = re.compile(r"^(?:\d{1,2}[.)]|\(?[a-z]\))\s+\S")
"""A numbered or lettered step ('2. Send the form', '(b) the dates'): after a sentence's end, it starts a paragraph."""
_PATH_POINTS = frozenset({b"m", b"l", b"c", b"v", b"y"})
_PAINTS = frozenset({b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"S", b"s", b"n"})
_FILLS = frozenset({b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"})
_DOT_SIZE = (1.5, 7.0)  # points: the width and height a drawn bullet has, at least and at most
_BULLET_GAP = 3.0  # times the text's size: how far before its text a drawn bullet stands, at most
_SAME_LINE = 1.0  # points: baselines this close are one line
_WIDE = 0.65  # a character's width, times its size, estimated on the wide side
_FIT_MARGIN = 0.1  # of a column's width: room to spare before a word counts as fitting on the line above
_ROW_GAP = 1.25  # times the usual line spacing between a question cell's last line and the next row's
_CELL_BULLET = re.compile(r"^[•▪◦●○■□◆➢\uf0b7\uf0a7–*-]\s*")
_NUMBERED_CELL = re.compile(r"^(?:Q\s?)?\d{1,3}[.):]\s")
_HEADER_WORDS = frozenset({"question", "questions", "answer", "answers", "q", "a", "no", "no.", "#"})
_RULE = 2.0  # points: a filled rectangle at most this wide is a drawn line (Word draws cell borders so)


@dataclass(frozen=True)
class _Line:
    text: str
    y: float
    size: float
    bold: bool
    cells: tuple[str, ...]
    starts: tuple[float, ...] = ()
    """Where each cell (or the whole line) starts, left to right."""
    pieces: tuple[tuple[float, str], ...] = ()
    """The text as the PDF places it: where each piece starts, and its text."""
    ruled: bool = False
    """A line is drawn across the start of the text between this line and the one above (a table's row border)."""
    boxed: bool = False
    """The line lies beside a vertical rule: inside a table drawn with borders."""
    opens_bold: bool = False
    """The line's first words are bold (a bold question's end before its answer, 'confirmation? A: The …')."""


def read_pdf(data: bytes) -> BlockDocument:
    """Blocks of a PDF's text layer; DocumentError when it is not a PDF, is encrypted or has no text."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DocumentError("the PDF is encrypted: save an unprotected copy")
        read = [_lines(page, link_areas(page)) for page in reader.pages]
        pages = [lines for lines, _ in read]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise DocumentError(f"not a readable PDF: {exc}") from None
    if not any(pages):
        raise DocumentError("the PDF has no text layer (a scan?): export it from the original document")
    furniture = _furniture(pages)
    # A page of one-line paragraphs (a closing page, a page of short answers) has no line spacing of
    # its own to tell its paragraph breaks by: the document's usual one does.
    typical = statistics.median([spacing for spacing in map(_usual_spacing, pages) if spacing] or [0.0])
    blocks: list[Block] = []
    seen_furniture: set[str] = set()
    table = _Table()
    for number, lines in enumerate(pages, start=1):
        body = []
        for position, line in enumerate(lines):
            edge = position < _EDGE_LINES or position >= len(lines) - _EDGE_LINES
            if edge and _PAGE_NUMBER.match(line.text):
                continue
            if edge and _shape(line.text) in furniture:
                if line.text not in seen_furniture:
                    seen_furniture.add(line.text)
                    blocks.append(Block("furniture", line.text, number))
                continue
            body.append(line)
        spacing = min([spacing for spacing in (_usual_spacing(body), typical) if spacing], default=0.0)
        size = statistics.median(line.size for line in body) if body else 0.0
        first = True
        for run, columns in _runs(body, table.columns):
            if columns is not None and (table.continues(columns) or _wrapped(run, columns)):
                table.read(run, columns, number, spacing, blocks)
            else:
                table.close(blocks)
                _paragraphs(run, number, blocks, spacing, size, first_on_page=first)
            first = False
    table.close(blocks)
    for number, (_, links) in enumerate(read, start=1):
        link_text(blocks, number, links)
    return BlockDocument(tuple(blocks), "page")


@dataclass(frozen=True)
class _Rule:
    """A vertical line drawn on the page (a table's cell border), in page coordinates."""

    x: float
    low: float
    high: float


@dataclass(frozen=True)
class _Border:
    """A horizontal line drawn on the page (a table's row border, or an underline), in page coordinates."""

    y: float
    left: float
    right: float


def _lines(page: pypdf.PageObject, areas: Sequence[LinkArea]) -> tuple[list[_Line], list[Link]]:
    """The page's lines, top to bottom, and its links with the text each covers."""
    pieces: list[tuple[float, float, str, float, bool]] = []
    anchored: list[list[tuple[float, float, str]]] = [[] for _ in areas]
    rules: list[_Rule] = []
    row_borders: list[_Border] = []
    moved_to: list[tuple[float, float]] = []
    path: list[tuple[float, float]] = []  # the points of the path being drawn
    dots: list[tuple[float, float, float]] = []  # small filled shapes: centre x, centre y, width

    def draw(operator: bytes, operands: Sequence[object], cm: Sequence[float], tm: Sequence[float]) -> None:
        def at(x: float, y: float) -> tuple[float, float]:
            return x * cm[0] + y * cm[2] + cm[4], x * cm[1] + y * cm[3] + cm[5]

        numbers = [float(value) for value in operands if isinstance(value, (int, float))]
        if operator in _PATH_POINTS and len(numbers) in {2, 4, 6}:
            path.extend(at(*numbers[i : i + 2]) for i in range(0, len(numbers), 2))
        elif operator == b"re" and len(numbers) == 4:
            path.extend(at(numbers[0] + dx, numbers[1] + dy) for dx in (0, numbers[2]) for dy in (0, numbers[3]))
        elif operator in _PAINTS:
            if operator in _FILLS and path and (dot := _dot(path)):
                dots.append(dot)
            path.clear()
        if operator == b"re" and len(numbers) == 4 and abs(numbers[2] * cm[0]) <= _RULE and numbers[3]:
            (x, low), (_, high) = at(numbers[0] + numbers[2] / 2, numbers[1]), at(numbers[0], numbers[1] + numbers[3])
            rules.append(_Rule(x, min(low, high), max(low, high)))
        elif operator == b"re" and len(numbers) == 4 and abs(numbers[3] * cm[3]) <= _RULE and numbers[2]:
            (left, y), (right, _) = at(numbers[0], numbers[1] + numbers[3] / 2), at(numbers[0] + numbers[2], numbers[1])
            row_borders.append(_Border(y, min(left, right), max(left, right)))
        elif operator == b"m" and len(numbers) == 2:
            moved_to[:] = [at(*numbers)]
        elif operator == b"l" and len(numbers) == 2 and moved_to:
            (x0, y0), (x1, y1) = moved_to[0], at(*numbers)
            if abs(x1 - x0) < 0.5 and abs(y1 - y0) > 1.0:
                rules.append(_Rule(x0, min(y0, y1), max(y0, y1)))
            elif abs(y1 - y0) < 0.5 and abs(x1 - x0) > 1.0:
                row_borders.append(_Border(y0, min(x0, x1), max(x0, x1)))
            moved_to[:] = [(x1, y1)]

    def visit(text: str, cm: Sequence[float], tm: Sequence[float], font: object, size: float) -> None:
        if text.strip():
            name = str(font.get("/BaseFont", "")) if isinstance(font, dict) else ""
            # Where the text lands on the page: its text matrix through the page's current matrix
            # (a browser's "print to PDF" draws with the page flipped, y growing downwards).
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]) or 1.0
            pieces.append((round(y, 1), x, text, size * scale, "Bold" in name))
            for area, texts in zip(areas, anchored, strict=True):
                if area.holds(x, y):
                    texts.append((round(y, 1), x, text))

    page.extract_text(visitor_text=visit, visitor_operand_before=draw)
    pieces += _bullets(dots, pieces)
    lines: list[_Line] = []
    above: float | None = None
    # Pieces of one line may sit a fraction of a point apart (a table's cells, placed one by one).
    level: dict[float, float] = {}
    for y in sorted({piece[0] for piece in pieces}, reverse=True):
        level[y] = next((kept for kept in level.values() if kept - y <= _SAME_LINE), y)
    pieces = [(level[piece[0]], *piece[1:]) for piece in pieces]
    for y in sorted(set(level.values()), reverse=True):
        row = sorted((p for p in pieces if p[0] == y), key=lambda p: p[1])
        # A border starts before the text it boxes; a link's underline starts with its text.
        ruled = above is not None and any(
            y < b.y < above and b.left <= row[0][1] - 1.0 and b.right >= row[0][1] + 1.0 for b in row_borders
        )
        above = y
        # A cell border drawn between two pieces divides them, however close they are.
        borders = [rule.x for rule in rules if rule.low <= y <= rule.high]
        cells: list[str] = []
        starts: list[float] = []
        last_x: float | None = None
        for _, x, text, size, _ in row:
            bordered = last_x is not None and any(last_x < border < x for border in borders)
            if last_x is not None and (bordered or x - last_x > _CELL_GAP * size + _width(cells[-1], size)):
                cells.append(text.strip())
                starts.append(x)
            elif cells:
                # A list marker ('1.', '•', 'a)') followed by a move, not a space, before its text.
                moved = last_x is not None and x - last_x > _width(cells[-1], size) * 0.9
                marker = len(cells[-1].strip()) <= _MARKER and moved
                cells[-1] = f"{cells[-1]} {text}" if marker and not cells[-1].endswith(" ") else f"{cells[-1]}{text}"
            else:
                cells.append(text)
                starts.append(x)
            last_x = x
        cells = [" ".join(c.split()) for c in cells]
        text = " | ".join(cells) if len(cells) > 1 else cells[0]
        lines.append(
            _Line(
                text,
                y,
                max(p[3] for p in row),
                # A list's number may be set in the plain font before a bold question: the words decide.
                all(p[4] for p in (row[1:] if len(row) > 1 and len(row[0][2].strip()) <= _MARKER else row)),
                tuple(cells) if len(cells) > 1 else (),
                tuple(starts),
                tuple((x, text) for _, x, text, _, _ in row),
                ruled,
                any(rule.low - 1.0 <= y <= rule.high + 1.0 for rule in rules),
                row[0][4],
            )
        )
    return lines, anchors(areas, anchored)


def _dot(points: Sequence[tuple[float, float]]) -> tuple[float, float, float] | None:
    """A filled shape the size of a bullet (a browser draws a list's bullets so): its centre and width."""
    xs, ys = [x for x, _ in points], [y for _, y in points]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    if not (_DOT_SIZE[0] <= width <= _DOT_SIZE[1] and _DOT_SIZE[0] <= height <= _DOT_SIZE[1]):
        return None
    return (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2, width


def _bullets(
    dots: Sequence[tuple[float, float, float]], pieces: Sequence[tuple[float, float, str, float, bool]]
) -> list[tuple[float, float, str, float, bool]]:
    """A '•' piece for each drawn dot that stands before the first text of a line, at the height of
    its small letters: a bullet drawn as a shape rather than written as a glyph."""
    found: list[tuple[float, float, str, float, bool]] = []
    if not dots or not pieces:
        return found
    by_height: dict[int, list[tuple[float, float, str, float, bool]]] = {}
    for piece in pieces:  # a page may draw thousands of small shapes (a chart): look only nearby
        by_height.setdefault(int(piece[0]), []).append(piece)
    tallest = max(piece[3] for piece in pieces)
    for x, y, width in dots:
        near = [p for at in range(int(y - tallest) - 1, int(y) + 2) for p in by_height.get(at, ())]
        level = [p for p in near if p[0] - 1.0 <= y <= p[0] + 0.8 * p[3]]
        beside = [p for p in level if x < p[1] <= x + _BULLET_GAP * p[3]]
        before = [p for p in level if p[1] <= x]
        if beside and not before:
            first = min(beside, key=lambda p: p[1])
            found.append((first[0], x - width / 2, "•", first[3], False))
    return found


def _item_text_x(line: _Line) -> float:
    """Where a list item's text starts: after its bullet when the PDF places the two apart."""
    first = line.pieces[0]
    return line.pieces[1][0] if len(line.pieces) > 1 and len(first[1].strip()) <= _MARKER else first[0]


def _right(line: _Line) -> float:
    """Where the line's text ends, estimated."""
    if not line.pieces:
        return 0.0
    x, text = line.pieces[-1]
    return x + len(text.rstrip()) * line.size * _NARROW


def _width(text: str, size: float) -> float:
    return len(text) * size * 0.6


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", text.casefold())


def _furniture(pages: Sequence[Sequence[_Line]]) -> set[str]:
    """Line shapes found at the top or bottom of at least two pages (and of most pages when there are many)."""
    counts: dict[str, int] = {}
    for lines in pages:
        edges = {*lines[:_EDGE_LINES], *lines[-_EDGE_LINES:]}
        for shape in {_shape(line.text) for line in edges}:
            counts[shape] = counts.get(shape, 0) + 1
    needed = max(2, len(pages) // 2)
    return {shape for shape, count in counts.items() if count >= needed}


def _usual_spacing(lines: Sequence[_Line]) -> float:
    """The usual line spacing of a page: the tightest one between lines of body text."""
    if not lines:
        return 0.0
    body_size = statistics.median(line.size for line in lines)
    gaps = [a.y - b.y for a, b in itertools.pairwise(lines) if a.y - b.y >= 0.9 * body_size]
    return min(gaps, default=0.0)


def _paragraphs(
    lines: Sequence[_Line],
    page: int,
    blocks: list[Block],
    usual: float,
    body_size: float,
    *,
    first_on_page: bool = True,
) -> None:
    """Blocks of running text; `usual` is the page's line spacing and `body_size` its text's size."""
    if not lines:
        return
    full = max((_right(line) for line in lines if abs(line.size - body_size) < 0.5), default=0.0)
    current: list[_Line] = []

    def flush() -> None:
        nonlocal first_on_page
        if not current:
            return
        text = _join(current)
        previous = blocks[-1] if blocks and blocks[-1].kind != "furniture" else None
        if (
            first_on_page
            and previous is not None
            and previous.kind in {"paragraph", "list_item"}
            and not current[0].cells
            and not previous.text.endswith(_SENTENCE_END)
            and text[:1].islower()
            and not _BULLET.match(text)
        ):
            # Cut by the page break: the paragraph, question or list item goes on from the previous page.
            blocks[-1] = dataclasses.replace(previous, text=_join_text(previous.text, text))
        elif current[0].cells:
            blocks.extend(Block("table_row", line.text, page, cells=line.cells) for line in current)
        elif current[0].size >= 1.2 * body_size:
            blocks.append(Block("heading", text, page, level=1 if current[0].size >= 1.5 * body_size else 2))
        elif _BULLET.match(text):
            blocks.append(Block("list_item", _BULLET.sub("", text, count=1), page, bold=current[0].bold))
        else:
            blocks.append(Block("paragraph", text, page, bold=all(line.bold for line in current)))
        first_on_page = False
        current.clear()

    for index, line in enumerate(lines):
        gap = lines[index - 1].y - line.y if index else 0.0
        # A heading's lines are spaced for its own size: a title wrapped onto two lines is one.
        heading_goes_on = (
            index
            and line.size >= 1.2 * body_size
            and abs(line.size - lines[index - 1].size) < 0.5
            and gap <= _HEADING_GAP * line.size
        )
        # A line that stops well short of the margin ends its paragraph ('Owner: Payroll Services'
        # above 'Last reviewed: February 2025', with no space between paragraphs).
        after_short = index and _right(lines[index - 1]) < _SHORT_LINE * full and line.text[:1].isupper()
        # Paragraphs set with no space between them: after a sentence's end, a line citing a policy, or
        # one whose first word would have fitted on the line above, is a new paragraph.
        after_sentence = (
            index
            and lines[index - 1].text.endswith(_SENTENCE_END)
            and (line.text[:1].isupper() or bool(_STEP.match(line.text)))
        )
        word = (len(line.text.split(maxsplit=1)[0]) + 1) * line.size * _WIDE if line.text.strip() else 0.0
        left = lines[index - 1].pieces[0][0] if index and lines[index - 1].pieces else 0.0
        after_break = after_sentence and (
            bool(_CITATION.match(line.text)) or _right(lines[index - 1]) + word + _FIT_MARGIN * (full - left) < full
        )
        # A line left of a list item's text is not that item's next line ('(see …)' under a list).
        dedented = (
            bool(current) and _BULLET.match(current[0].text) and line.pieces[0][0] < _item_text_x(current[0]) - _ALIGNED
        )
        starts = (
            index
            and not heading_goes_on
            and (
                # A larger line is spaced for its size ('3.2 What should I do …' set at 13 points).
                gap > _PARAGRAPH_GAP * usual * max(1.0, min(line.size, lines[index - 1].size) / body_size)
                # A bold question above its answer; a bold question may wrap into the line where its answer starts.
                or (line.bold != lines[index - 1].bold and not (lines[index - 1].bold and line.opens_bold))
                or abs(line.size - lines[index - 1].size) >= 0.5  # a question under its section's heading
                or bool(line.cells) != bool(current and current[-1].cells)
                or _BULLET.match(line.text)
                or line.cells
                or after_short
                or after_break
                or dedented
            )
        )
        if starts:
            flush()
        current.append(line)
    flush()


def _join(lines: Sequence[_Line]) -> str:
    text = lines[0].text
    for line in lines[1:]:
        text = _join_text(text, line.text)
    return text


def _join_text(first: str, second: str) -> str:
    """Two wrapped lines as one: a line ending in a hyphen, or in an address cut by the wrap, goes on without
    a space."""
    last = first.rsplit(" ", 1)[-1]
    # 'trust.secretary@westmoordale.nhs.' then 'uk': the full stop is the address's, not a sentence's.
    ends_open = not last.endswith(_SENTENCE_END) or (last.endswith(".") and second[:1].islower())
    cut_address = ("://" in last or "@" in last) and ends_open and not second[:1].isupper()
    return f"{first}{second}" if first.endswith("-") or cut_address else f"{first} {second}"


def _runs(
    lines: Sequence[_Line], columns: tuple[float, ...] | None = None
) -> list[tuple[list[_Line], tuple[float, ...] | None]]:
    """A page's lines split into runs of running text (columns None) and of tables: a table starts
    at a line of several cells, whose left edges are its columns (or goes on from the previous page
    with `columns`, its header row taken for page furniture), and goes on while every piece of a
    line starts in a column and a line in the first column alone stays inside it (a short line
    across the table is a section row), and, for a table drawn with borders, while its lines stay
    within them."""
    runs: list[tuple[list[_Line], tuple[float, ...] | None]] = []
    bordered = False  # the table's lines so far lie within its drawn borders
    for line in lines:
        if columns is not None and (_cells_in(line, columns) is None or (bordered and not line.boxed)):
            columns = None  # out of the table's columns, or out of its borders: the text after it
        if columns is None and len(line.starts) >= 2:
            columns = line.starts
            bordered = False
        bordered = bordered or (columns is not None and line.boxed)
        if not runs or runs[-1][1] != columns:
            runs.append(([], columns))
        runs[-1][0].append(line)
    return runs


def _column(x: float, columns: Sequence[float]) -> int | None:
    inside = [index for index, left in enumerate(columns) if x >= left - _ALIGNED]
    return inside[-1] if inside else None


def _cells_in(line: _Line, columns: Sequence[float]) -> list[tuple[int, float, str]] | None:
    """The line's text by the table's columns, as (column, where it starts, text); None when the
    line is not part of the table."""
    cells: list[tuple[int, float, str]] = []
    for x, text in line.pieces:
        column = _column(x, columns)
        if column is None:
            return None
        if cells and cells[-1][0] == column:
            cells[-1] = (column, cells[-1][1], cells[-1][2] + text)
        else:
            cells.append((column, x, text))
    cells = [(column, x, " ".join(text.split())) for column, x, text in cells if text.strip()]
    if len(cells) == 1 and len(columns) > 1 and cells[0][0] == 0:
        # One piece in the first column: the cell's own text, unless it reaches into the next column.
        reach = cells[0][1] + len(cells[0][2]) * line.size * _NARROW
        if reach > columns[1] + _ALIGNED and not _section_row(line):
            return None
    return cells


def _section_row(line: _Line) -> bool:
    """A short line across the table's columns ('Section 2: Your payslip'), not running text."""
    text = line.text.strip()
    return len(line.starts) == 1 and len(text) <= 80 and not text.endswith((".", ",", ";"))


def _wrapped(run: Sequence[_Line], columns: Sequence[float]) -> bool:
    """Whether a table's cells wrap onto lines that leave a column empty (its first, or the others
    under a first column that wraps): then a row is rebuilt from all its lines, not read line by line."""
    return any(
        (cells := _cells_in(line, columns)) and (cells[0][0] != 0 or (index and len(cells) < len(columns)))
        for index, line in enumerate(run)
    )


def _column_spacing(run: Sequence[_Line], columns: Sequence[float]) -> float:
    """The usual spacing between a column's lines (the columns' lines interleave on the page)."""
    size = statistics.median(line.size for line in run)
    last: dict[int, float] = {}
    gaps = []
    for line in run:
        for column, _, _ in _cells_in(line, columns) or []:
            if column in last and last[column] - line.y >= 0.9 * size:
                gaps.append(last[column] - line.y)
            last[column] = line.y
    return min(gaps, default=0.0)


class _Table:
    """A table whose cells wrap, read across its lines (and pages) into one row per question."""

    def __init__(self) -> None:
        self.columns: tuple[float, ...] | None = None
        self.header_seen = False
        self.header: tuple[str, ...] | None = None
        self.cells: list[list[str]] = []
        self.last_y: list[float | None] = []
        self.last_right: dict[int, float] = {}  # where each column's last line ended, estimated
        self.widest: dict[int, float] = {}  # the furthest right any line of each column reached
        self.last_size: dict[int, float] = {}  # the size of each column's last line
        self.page = 0
        self.row_page = 0
        self.spacing = 0.0

    def continues(self, columns: Sequence[float]) -> bool:
        """Whether a table starting with these columns goes on from the one open (a page break)."""
        return (
            self.columns is not None
            and len(columns) == len(self.columns)
            and all(abs(a - b) <= _ALIGNED for a, b in zip(columns, self.columns, strict=True))
        )

    def read(
        self, run: Sequence[_Line], columns: tuple[float, ...], page: int, spacing: float, blocks: list[Block]
    ) -> None:
        """Add the run's lines to the table's rows; a finished row is written to `blocks`."""
        if not self.continues(columns):
            self.close(blocks)
            self.columns = columns
        assert self.columns is not None
        if page != self.page or not self.last_y:
            self.last_y = [None] * len(self.columns)  # gaps are not measured across a page break
            self.page = page
        self.spacing = _column_spacing(run, self.columns) or spacing
        for line in run:
            cells = _cells_in(line, self.columns) or []
            texts = [text for _, _, text in cells]
            if len(texts) > 1 and ({t.casefold() for t in texts} <= _HEADER_WORDS or tuple(texts) == self.header):
                if not self.header_seen:  # repeated at the top of each page
                    self.header_seen = True
                    blocks.append(Block("table_row", " | ".join(texts), page, cells=tuple(texts)))
                continue
            if self.header is None and not self.cells and len(texts) == len(self.columns) and not self.header_seen:
                self.header = tuple(texts)  # the first row, one line in every column: a header a page break repeats
                self.header_seen = True
            if len(cells) == 1 and cells[0][0] == 0 and _section_row(line) and not self._in_question(line.y):
                self._flush(blocks)
                blocks.append(Block("paragraph", texts[0], page, bold=line.bold))
                continue
            for column, x, text in cells:
                self._add(column, x, text, line.y, page, blocks, ruled=line.ruled, size=line.size)

    def _in_question(self, y: float) -> bool:
        """Whether a line at `y` goes on with the open row's question cell."""
        last = self.last_y[0] if self.last_y else None
        return bool(self.cells) and last is not None and last - y <= _ROW_GAP * self.spacing

    def _add(
        self,
        column: int,
        x: float,
        text: str,
        y: float,
        page: int,
        blocks: list[Block],
        *,
        ruled: bool = False,
        size: float = 0.0,
    ) -> None:
        assert self.columns is not None
        last = self.last_y[column]
        gap = last - y if last is not None else None
        # A row border drawn above the line ends the row, however closely the rows are set.
        wraps = gap is not None and gap <= _ROW_GAP * self.spacing and not ruled
        short = self._after_short(column, x, text, size)
        # After a page break, the first column goes on with a row whose cell was cut mid-sentence: in
        # a table of numbered questions, a line without a number; in any table, a line in lower case.
        open_cell = self.cells[0][-1] if self.cells and self.cells[0] else ""
        numbered = bool(_NUMBERED_CELL.match(self.cells[0][0])) if open_cell else False
        cut = (
            gap is None
            and bool(open_cell)
            and not open_cell.endswith(_SENTENCE_END)
            and (text[:1].islower() or (numbered and not _NUMBERED_CELL.match(text)))
        )
        if column == 0 and not wraps and not cut:
            self._flush(blocks)  # the first column starts again: a new row
        if not self.cells:
            self.cells = [[] for _ in self.columns]
            self.row_page = page
        parts = self.cells[column]
        bullet = _CELL_BULLET.match(text)
        in_item = bool(parts) and parts[-1].startswith("- ") and x > self.columns[column] + _ALIGNED
        if bullet and len(text) > bullet.end():
            parts.append(f"- {text[bullet.end() :]}")
        elif (
            parts
            and wraps
            and parts[-1].endswith(_SENTENCE_END)
            and (_STEP.match(text) or (short and text[:1].isupper()))
        ):
            parts.append(text)  # a new paragraph, or the next numbered step, in the cell
        elif parts and (wraps and (in_item or not parts[-1].startswith("- "))):
            parts[-1] = _join_text(parts[-1], text)
        elif (
            parts
            and gap is None
            and not parts[-1].endswith(_SENTENCE_END)
            and (text[:1].islower() or column == 0 or (parts[-1][-1:].isalpha() and not _CITATION.match(text)))
        ):
            parts[-1] = _join_text(parts[-1], text)  # a sentence cut by the page break ('… by NHS' | 'Pensions')
        else:
            parts.append(text)
        self.last_y[column] = y

    def _after_short(self, column: int, x: float, text: str, size: float) -> bool:
        """Whether the column's line above could end a paragraph before this one: it stopped well
        short of the column's edge, or this line's first word would have fitted on it, or this
        line is set in another size or cites a policy ('Policy: …'). A cell's paragraphs are often
        set with no space between them, so this is what tells them apart."""
        assert self.columns is not None
        left, right = self.columns[column], x + len(text) * size * _NARROW
        self.widest[column] = max(self.widest.get(column, right), right)
        previous_right = self.last_right.get(column, right)
        previous_size = self.last_size.get(column, size)
        self.last_right[column], self.last_size[column] = right, size
        width = self.widest[column] - left
        word = (len(text.split(maxsplit=1)[0]) + 1) * size * _WIDE if text.strip() else 0.0
        return (
            abs(previous_size - size) >= 0.5
            or bool(_CITATION.match(text))
            or previous_right - left < _SHORT_LINE * width
            or previous_right + word + _FIT_MARGIN * width < left + width
        )

    def _flush(self, blocks: list[Block]) -> None:
        if any(self.cells):
            cells = tuple("\n\n".join(parts) for parts in self.cells)
            text = " | ".join(" ".join(cell.split()) for cell in cells)
            blocks.append(Block("table_row", text, self.row_page, cells=cells))
        self.cells = []

    def close(self, blocks: list[Block]) -> None:
        """Write the last row and forget the table."""
        self._flush(blocks)
        self.columns = None
        self.header_seen = False
        self.header = None
        self.last_y = []
        self.last_right, self.widest, self.last_size = {}, {}, {}
