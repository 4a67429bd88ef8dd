"""Plain text and markdown documents into blocks: one block per non-blank line.

Text copied out of a PDF viewer keeps the PDF's page furniture where the pages broke: a page
number line ("Page 3 of 7") and a running header repeated on every page are furniture, and a
paragraph they interrupt goes on after them.
"""

from __future__ import annotations

import re
from collections import Counter

from knowledge.importing.blocks import Block, BlockDocument, Link

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_BOLD_LINE = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__)$")
_LINK = re.compile(r"\[((?:\\.|[^\]\\])+)\]\(([^)\s]*)\)")
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*-)?$", re.IGNORECASE)
_GLYPH_ITEM = re.compile(r"^[•▪◦●○■□◆➢]\s*(?P<text>\S.*)$")
_RUNNING_HEADER = 3  # times a short line must repeat, word for word, to be a page's running header
_HEADER_LENGTH = 100


def read_text(text: str) -> BlockDocument:
    """Blocks of `text`, located by line; a line right after another continues its paragraph."""
    lines = [raw.strip() for raw in text.splitlines()]
    repeated = Counter(line for line in lines if line and len(line) <= _HEADER_LENGTH and not line.endswith("?"))
    blocks: list[Block] = []
    previous_blank, started = True, False
    for number, line in enumerate(lines, start=1):
        if not line:
            previous_blank = True
            continue
        if _PAGE_NUMBER.match(line) or repeated[line] >= _RUNNING_HEADER:
            blocks.append(Block("furniture", line, number))
            continue  # the paragraph it interrupted goes on after it
        blocks.append(_block(line, number, continues=not previous_blank and started))
        previous_blank, started = False, True
    return BlockDocument(tuple(blocks), "line")


def _block(line: str, number: int, *, continues: bool) -> Block:
    links = tuple(Link(m.group(1).replace("\\", ""), m.group(2)) for m in _LINK.finditer(line))
    heading = _HEADING.match(line)
    if heading:
        return Block("heading", heading.group(2), number, links=links, level=len(heading.group(1)))
    item = _GLYPH_ITEM.match(line)
    if item:
        return Block("list_item", item.group("text"), number, links=links)
    bold = _BOLD_LINE.match(line)
    if bold and "**" not in bold.group(1):
        return Block("paragraph", bold.group(1), number, bold=True, links=links, continues=continues)
    return Block("paragraph", line, number, links=links, continues=continues)
