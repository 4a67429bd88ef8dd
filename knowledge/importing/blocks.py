"""The neutral form every document format is read into: a sequence of typed blocks.

A reader (text, Word, PDF, HTML) knows its format and nothing about Q&A layouts; the layout
parser knows Q&A layouts and nothing about formats. Blocks are what passes between them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from knowledge.errors import FaqbotError

BlockKind = Literal["paragraph", "heading", "list_item", "table_row", "furniture"]
Unit = Literal["line", "page", "paragraph", "row"]


ACCORDION_LEVEL = 7
"""The heading level of a question asked in an accordion (`<summary>`, an expand control, a
collapsible admonition): deeper than any heading, as it sits under the page's headings."""


@dataclass(frozen=True)
class Link:
    """A hyperlink as written in the document: its visible text and where it leads."""

    text: str
    url: str


@dataclass(frozen=True)
class Block:
    """One paragraph, heading, list item or table row, at `location` (a line, page or paragraph number).

    `text` is the visible text with hyperlinks written as markdown links. `continues` marks a line
    of the same paragraph as the block before it (plain text without a blank line between).
    `furniture` is page furniture (headers, footers): never answer text, but it may hold metadata.
    `level` orders headings (1 is the top); `cells` are a table row's cells; `ordered` marks an
    item of a numbered list. `detached` text stands apart from the question before it (a contact
    box after the last accordion of a page), so it is no part of that answer. `numbered` is the
    number a word processor shows before a heading (`text` starts with it) without it being typed.
    """

    kind: BlockKind
    text: str
    location: int
    bold: bool = False
    links: tuple[Link, ...] = ()
    cells: tuple[str, ...] = ()
    level: int = 0
    continues: bool = False
    ordered: bool = False
    detached: bool = False
    numbered: str = ""


@dataclass(frozen=True)
class BlockDocument:
    """A document read into blocks; `unit` says what a block's location counts. `revised` are the
    locations of blocks with changes still tracked in the file (read as if accepted)."""

    blocks: tuple[Block, ...]
    unit: Unit
    revised: tuple[int, ...] = ()


class DocumentError(FaqbotError):
    """The file cannot be read as a document of its format (corrupt, encrypted, no text layer)."""

    exit_code = 1
    summary = "the document cannot be read"


FOLLOWED = ("https://", "http://", "mailto:")
"""Addresses an answer may link staff to; a file share, a script or a jump inside a file is not one."""

MARKDOWN_LINK = re.compile(r"\[((?:\\.|[^\]\\])+)\]\(([^)\s]*)\)")
"""A markdown link as `markdown_link` writes it: group 1 its text (brackets escaped), group 2 its address."""


def markdown_link(text: str, url: str) -> str:
    """`text` linked to `url` as markdown, brackets and parentheses in the text escaped."""
    escaped = "".join(f"\\{char}" if char in "[]()" else char for char in text)
    return f"[{escaped}]({url})"
