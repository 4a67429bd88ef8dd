"""Word documents (.docx) into blocks: paragraphs, heading styles, bold runs, lists, tables, hyperlinks."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import docx
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from knowledge.importing.blocks import Block, BlockDocument, DocumentError, Link, markdown_link

_HEADING_STYLE = re.compile(r"^Heading\s+(\d)$")
# What wraps runs inside a paragraph: a tracked insertion or move, a content control, a smart tag,
# custom XML, a simple field.
_WRAPPERS = frozenset(
    qn(tag) for tag in ("w:ins", "w:moveTo", "w:sdt", "w:sdtContent", "w:smartTag", "w:customXml", "w:fldSimple")
)
_LEVEL_FIELD = re.compile(r"%(\d)")
_TITLE_SIZE = 1.5  # times the body text's size
_WORD_DEFAULT_SIZE = 11.0  # points, when the Normal style does not say


def read_docx(data: bytes) -> BlockDocument:
    """Blocks of a Word document in reading order, located by paragraph (table rows count as paragraphs)."""
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentError(f"not a Word document (.docx): {exc}") from None
    blocks: list[Block] = []
    revised: list[int] = []
    normal = _normal_size(document)
    numbering = _Numbering(document)
    for item in _body(document, document.element.body):
        if isinstance(item, Table) and _one_column(item):
            # A one-column table boxes paragraphs (a shaded question row, its answer below): read them.
            for cell in dict.fromkeys(c for row in item.rows for c in row.cells):
                for paragraph in cell.paragraphs:
                    block = _paragraph(paragraph, len(blocks) + 1, normal)
                    if block is not None:
                        blocks.append(block)
                        if _tracked(paragraph):
                            revised.append(len(blocks))
        elif isinstance(item, Table):
            for row in item.rows:
                cells = tuple(dict.fromkeys(row.cells))  # a merged cell appears once per grid column
                texts = tuple("\n\n".join(t for t in (_cell_text(p) for p in cell.paragraphs) if t) for cell in cells)
                if any(texts):
                    blocks.append(Block("table_row", " | ".join(texts), len(blocks) + 1, cells=texts))
                    if any(_tracked(p) for cell in cells for p in cell.paragraphs):
                        revised.append(len(blocks))
        else:
            block = _paragraph(item, len(blocks) + 1, normal, numbering.label(item))
            if block is not None:
                blocks.append(block)
                if _tracked(item):
                    revised.append(len(blocks))
    blocks.extend(_furniture(document, len(blocks)))
    return BlockDocument(tuple(blocks), "paragraph", tuple(revised))


def _body(document: Document, element: Any) -> Iterator[Paragraph | Table]:
    """The body's paragraphs and tables in order, those inside block content controls too (a
    template's rich-text box; python-docx's own iteration skips them)."""
    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document)
        elif child.tag == qn("w:tbl"):
            yield Table(child, document)
        elif child.tag in {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")}:
            yield from _body(document, child)


class _Numbering:
    """The numbers Word gives numbered paragraphs itself (a heading numbered '2.1' through its
    style): the text holds no number, so it is counted here as Word counts it."""

    def __init__(self, document: Document) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        numbering = next(
            (r.target_part for r in document.part.rels.values() if r.reltype == RT.NUMBERING and not r.is_external),
            None,
        )
        if numbering is None:  # a document with no numbering part numbers nothing itself
            return
        root = numbering.element
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for definition in root.findall(qn("w:abstractNum")):
            levels = {}
            for level in definition.findall(qn("w:lvl")):
                start, kind, shown = (level.find(qn(tag)) for tag in ("w:start", "w:numFmt", "w:lvlText"))
                levels[int(level.get(qn("w:ilvl"), "0"))] = (
                    int(start.get(qn("w:val"), "1")) if start is not None else 1,
                    kind.get(qn("w:val"), "decimal") if kind is not None else "decimal",
                    shown.get(qn("w:val"), "") if shown is not None else "",
                )
            abstract[definition.get(qn("w:abstractNumId"), "")] = levels
        for instance in root.findall(qn("w:num")):
            ref = instance.find(qn("w:abstractNumId"))
            if ref is not None:
                self.levels[instance.get(qn("w:numId"), "")] = abstract.get(ref.get(qn("w:val"), ""), {})

    def label(self, paragraph: Paragraph) -> str | None:
        """The number Word shows before `paragraph` ('2.1'), counting it; None when it has none or
        a bullet. Call it for every paragraph, in order."""
        found = _numbered_as(paragraph)
        if found is None or found[0] not in self.levels or found[1] not in self.levels[found[0]]:
            return None
        num_id, depth = found
        levels, counters = self.levels[num_id], self.counters.setdefault(num_id, [])
        counters.extend([None] * (depth + 1 - len(counters)))
        current = counters[depth]
        counters[depth] = levels[depth][0] if current is None else current + 1
        del counters[depth + 1 :]
        start, kind, shown = levels[depth]
        if kind != "decimal" or not shown:
            return None

        def value(match: re.Match[str]) -> str:
            at = int(match.group(1)) - 1
            count = counters[at] if at < len(counters) else None
            return str(count if count is not None else levels.get(at, (1, "", ""))[0])

        return _LEVEL_FIELD.sub(value, shown).strip() or None


def _numbered_as(paragraph: Paragraph) -> tuple[str, int] | None:
    """The numbering (numId, level) the paragraph has itself or through its style."""
    candidates: list[Any] = [paragraph._p.pPr]  # noqa: SLF001 - no public API for numbering
    style = paragraph.style
    while style is not None:
        candidates.append(style.element.pPr)
        style = style.base_style
    for properties in candidates:
        numbering = properties.numPr if properties is not None else None
        if numbering is not None and numbering.numId is not None:
            num_id = str(numbering.numId.val)
            depth = int(numbering.ilvl.val) if numbering.ilvl is not None else 0
            return None if num_id == "0" else (num_id, depth)
    return None


def _one_column(table: Table) -> bool:
    return all(len(dict.fromkeys(row.cells)) == 1 for row in table.rows)


def _tracked(paragraph: Paragraph) -> bool:
    """Whether the paragraph holds changes Word is still tracking (an insertion or a deletion)."""
    return bool(paragraph._p.xpath("./w:ins | ./w:del | ./w:moveFrom | ./w:moveTo"))  # noqa: SLF001


def _paragraph(paragraph: Paragraph, location: int, normal: float, number: str | None = None) -> Block | None:
    """The paragraph as a block; `number` is what Word numbers it automatically ('2.1'), shown
    before a heading's text as Word shows it."""
    text, links, bold = _text(paragraph)
    if not text:
        return None
    style = paragraph.style.name if paragraph.style is not None else ""
    heading = _HEADING_STYLE.match(style)
    if style == "Title":
        return Block("heading", text, location, links=links, level=0)
    if heading:
        shown = f"{number} {text}" if number else text
        return Block("heading", shown, location, links=links, level=int(heading.group(1)), numbered=number or "")
    if _is_list(paragraph):
        # Numbered by its style ('List Number') or by a numbering of its own (as Google Docs exports lists).
        ordered = "Number" in style or number is not None
        return Block("list_item", text, location, bold=bold, links=links, ordered=ordered)
    # A title typed in large letters rather than given the Title style.
    if _size(paragraph) >= _TITLE_SIZE * normal:
        return Block("heading", text, location, links=links, level=1)
    return Block("paragraph", text, location, bold=bold, links=links)


def _is_list(paragraph: Paragraph) -> bool:
    style = paragraph.style.name if paragraph.style is not None else ""
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None  # noqa: SLF001 - no public API
    # 'List Continue' indents a paragraph under a list item, with no bullet or number of its own.
    return numbered or (style.startswith("List") and not style.startswith("List Continue"))


def _cell_text(paragraph: Paragraph) -> str:
    """A paragraph of a table cell, a list item marked '- ' as the other formats mark it."""
    text = _text(paragraph)[0]
    return f"- {text}" if text and _is_list(paragraph) else text


def _size(paragraph: Paragraph) -> float:
    """The smallest point size its runs set (0 when one of them leaves it to the style)."""
    sizes = [run.font.size.pt if run.font.size is not None else 0.0 for run in paragraph.runs if run.text.strip()]
    return min(sizes, default=0.0)


def _normal_size(document: Document) -> float:
    size = document.styles["Normal"].font.size
    return size.pt if size is not None else _WORD_DEFAULT_SIZE


def _text(paragraph: Paragraph) -> tuple[str, tuple[Link, ...], bool]:
    """The paragraph's text with hyperlinks as markdown, its links, and whether every word is bold."""
    parts: list[str] = []
    links: list[Link] = []
    weights: list[bool] = []
    style_bold = bool(paragraph.style is not None and paragraph.style.font.bold)
    for item in _content(paragraph):
        if isinstance(item, Hyperlink):
            url = item.url or (f"#{item.fragment}" if item.fragment else "")
            if item.text.strip():
                links.append(Link(item.text, url))
                parts.append(markdown_link(item.text, url) if url else item.text)
                weights.extend(run.bold if run.bold is not None else style_bold for run in item.runs)
        else:
            parts.append(item.text)
            if item.text.strip():
                weights.append(item.bold if item.bold is not None else style_bold)
    return "".join(parts).strip(), tuple(links), bool(weights) and all(weights)


def _content(paragraph: Paragraph, element: Any = None) -> Iterator[Run | Hyperlink]:
    """The paragraph's runs and hyperlinks in order, as Word shows them: tracked insertions and
    moves included as if accepted, text in content controls, smart tags and simple fields too
    (python-docx's own iteration skips all of these), tracked deletions left out."""
    parent = paragraph._p if element is None else element  # noqa: SLF001 - no public API for these
    for child in parent.iterchildren():
        if child.tag == qn("w:r"):
            yield Run(child, paragraph)
        elif child.tag == qn("w:hyperlink"):
            yield Hyperlink(child, paragraph)
        elif child.tag in _WRAPPERS:
            yield from _content(paragraph, child)


def _furniture(document: Document, count: int) -> list[Block]:
    blocks: list[Block] = []
    for section in document.sections:
        for part in (section.header, section.footer):
            for paragraph in part.paragraphs:
                text = _text(paragraph)[0]
                if text:
                    blocks.append(Block("furniture", text, count + len(blocks) + 1))
    return blocks
