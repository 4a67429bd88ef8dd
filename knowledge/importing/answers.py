"""An answer's blocks as the approved text: every word, paragraph break, list item, table row and link."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.importing.blocks import Block

_SENTENCE_END = (".", "?", "!", ":", ")", '"', "”")


@dataclass(frozen=True)
class AnswerText:
    """The answer as markdown, and where a sentence split by a page break was joined."""

    text: str
    joined_at: tuple[int, ...]


def render_answer(blocks: Sequence[Block]) -> AnswerText:
    """Paragraphs apart by a blank line; list items and table rows one per line; lines of a paragraph kept."""
    parts: list[tuple[str, str]] = []  # (kind, text)
    joined: list[int] = []
    ordinal = 0
    for block in blocks:
        text = block.text.strip()
        if block.kind == "list_item":
            ordinal = ordinal + 1 if parts and parts[-1][0] == "list_item" else 1
            marker = f"{ordinal}." if block.ordered else "-"
            parts.append(("list_item", f"{marker} {text}"))
        elif block.kind == "table_row":
            parts.append(("table_row", "| " + " | ".join(c.strip().replace("\n\n", " ") for c in block.cells) + " |"))
        elif block.continues and parts:
            parts[-1] = (parts[-1][0], f"{parts[-1][1]}\n{text}")
        elif parts and parts[-1][0] == "paragraph" and not parts[-1][1].endswith(_SENTENCE_END) and text[:1].islower():
            # A page break in the exported document splits a sentence across two paragraphs.
            joined.append(block.location)
            parts[-1] = ("paragraph", f"{parts[-1][1]} {text}")
        else:
            parts.append(("paragraph", text))
    out: list[str] = []
    for position, (kind, text) in enumerate(parts):
        if position and not (kind in {"list_item", "table_row"} and parts[position - 1][0] == kind):
            out.append("\n\n")
        elif position:
            out.append("\n")
        out.append(text)
    return AnswerText("".join(out), tuple(joined))
