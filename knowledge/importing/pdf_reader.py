"""PDF documents with a text layer into blocks, located by page.

Lines are rebuilt from the text's positions; a vertical gap wider than the page's usual line
spacing starts a new paragraph. Page headers and footers (lines repeated at the top or bottom of
several pages) and page numbers are page furniture, not text. A paragraph a page break cuts in
the middle of a sentence is joined with its end on the next page.
"""

from __future__ import annotations

import io
import itertools
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import pypdf
from pypdf.errors import PdfReadError

from knowledge.importing.blocks import Block, BlockDocument, DocumentError

_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
_BULLET = re.compile(r"^(?:[-•▪◦*]|\d{1,2}\))\s+")
_SENTENCE_END = (".", "?", "!", ":", ")", '"', "”")
_EDGE_LINES = 2  # lines at the top and the bottom of a page that may be furniture
_PARAGRAPH_GAP = 1.3  # times the usual line spacing
_CELL_GAP = 2.0  # times the font size between two pieces of one line: a table's next cell


@dataclass(frozen=True)
class _Line:
    text: str
    y: float
    size: float
    bold: bool
    cells: tuple[str, ...]


def read_pdf(data: bytes) -> BlockDocument:
    """Blocks of a PDF's text layer; DocumentError when it is not a PDF, is encrypted or has no text."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DocumentError("the PDF is encrypted: save an unprotected copy")
        pages = [_lines(page) for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise DocumentError(f"not a readable PDF: {exc}") from None
    if not any(pages):
        raise DocumentError("the PDF has no text layer (a scan?): export it from the original document")
    furniture = _furniture(pages)
    blocks: list[Block] = []
    seen_furniture: set[str] = set()
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
        _paragraphs(body, number, blocks)
    return BlockDocument(tuple(blocks), "page")


def _lines(page: pypdf.PageObject) -> list[_Line]:
    pieces: list[tuple[float, float, str, float, bool]] = []

    def visit(text: str, cm: Sequence[float], tm: Sequence[float], font: object, size: float) -> None:
        if text.strip():
            name = str(font.get("/BaseFont", "")) if isinstance(font, dict) else ""
            scale = abs(tm[0]) or 1.0
            pieces.append((round(tm[5], 1), tm[4], text, size * scale, "Bold" in name))

    page.extract_text(visitor_text=visit)
    lines: list[_Line] = []
    for y in sorted({piece[0] for piece in pieces}, reverse=True):
        row = sorted((p for p in pieces if p[0] == y), key=lambda p: p[1])
        cells: list[str] = []
        last_x: float | None = None
        for _, x, text, size, _ in row:
            if last_x is not None and x - last_x > _CELL_GAP * size + _width(cells[-1], size):
                cells.append(text.strip())
            elif cells:
                cells[-1] = f"{cells[-1]}{text}"
            else:
                cells.append(text)
            last_x = x
        cells = [" ".join(c.split()) for c in cells]
        text = " | ".join(cells) if len(cells) > 1 else cells[0]
        lines.append(
            _Line(text, y, max(p[3] for p in row), all(p[4] for p in row), tuple(cells) if len(cells) > 1 else ())
        )
    return lines


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


def _paragraphs(lines: Sequence[_Line], page: int, blocks: list[Block]) -> None:
    if not lines:
        return
    body_size = statistics.median(line.size for line in lines)
    # The usual line spacing is the tightest one between lines of body text.
    gaps = [a.y - b.y for a, b in itertools.pairwise(lines) if a.y - b.y >= 0.9 * body_size]
    usual = min(gaps, default=0.0)
    current: list[_Line] = []
    first_on_page = True

    def flush() -> None:
        nonlocal first_on_page
        if not current:
            return
        text = _join(current)
        previous = blocks[-1] if blocks and blocks[-1].kind != "furniture" else None
        if (
            first_on_page
            and previous is not None
            and previous.kind == "paragraph"
            and not current[0].cells
            and not previous.text.endswith(_SENTENCE_END)
            and text[:1].islower()
        ):
            # Cut by the page break: the paragraph (or question) goes on from the previous page.
            blocks[-1] = Block(previous.kind, _join_text(previous.text, text), previous.location, previous.bold)
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
        starts = index and (
            gap > _PARAGRAPH_GAP * usual
            or bool(line.cells) != bool(current and current[-1].cells)
            or _BULLET.match(line.text)
            or line.cells
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
    cut_address = "://" in last and not last.endswith(_SENTENCE_END) and not second[:1].isupper()
    return f"{first}{second}" if first.endswith("-") or cut_address else f"{first} {second}"
