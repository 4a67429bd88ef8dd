"""Plain text and markdown documents into blocks: one block per non-blank line."""

from __future__ import annotations

import re

from knowledge.importing.blocks import Block, BlockDocument, Link

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_BOLD_LINE = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__)$")
_LINK = re.compile(r"\[((?:\\.|[^\]\\])+)\]\(([^)\s]*)\)")


def read_text(text: str) -> BlockDocument:
    """Blocks of `text`, located by line; a line right after another continues its paragraph."""
    blocks: list[Block] = []
    previous_blank = True
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            previous_blank = True
            continue
        blocks.append(_block(line, number, continues=not previous_blank and bool(blocks)))
        previous_blank = False
    return BlockDocument(tuple(blocks), "line")


def _block(line: str, number: int, *, continues: bool) -> Block:
    links = tuple(Link(m.group(1).replace("\\", ""), m.group(2)) for m in _LINK.finditer(line))
    heading = _HEADING.match(line)
    if heading:
        return Block("heading", heading.group(2), number, links=links, level=len(heading.group(1)))
    bold = _BOLD_LINE.match(line)
    if bold and "**" not in bold.group(1):
        return Block("paragraph", bold.group(1), number, bold=True, links=links, continues=continues)
    return Block("paragraph", line, number, links=links, continues=continues)
