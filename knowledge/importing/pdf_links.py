"""A PDF's links: the annotations over its text that lead to a web page or an email address.

A PDF's text layer holds a link's text and, apart from it, an annotation: a box on the page and
where it leads. Word's "Save as PDF" writes one for each hyperlink (one a line, where the text
wraps). The reader notes which text starts inside each box (`LinkArea.holds`), then writes each
link into the block that shows its text, as a markdown link, as the Word reader writes a
hyperlink. Jumps inside the document, file links and malformed annotations are left out.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pypdf
from pypdf.errors import PdfReadError

from knowledge.importing.blocks import FOLLOWED, MARKDOWN_LINK, Block, Link, markdown_link

__all__ = ["LinkArea", "anchors", "link_areas", "link_text"]


@dataclass(frozen=True)
class LinkArea:
    """Where a link annotation lies on the page (one box a line it covers) and its address."""

    url: str
    boxes: tuple[tuple[float, float, float, float], ...]

    def holds(self, x: float, y: float) -> bool:
        """Whether text starting at (x, y), on its baseline, is in the link: a box spans its line's
        descenders, so the baseline lies a little above its bottom."""
        return any(left - 1 <= x < right - 1 and bottom - 1 <= y <= top for left, bottom, right, top in self.boxes)


def link_areas(page: pypdf.PageObject) -> list[LinkArea]:
    """The page's links to a web page or an email address, in the order the page lists them."""
    areas = []
    for reference in page.get("/Annots") or ():
        try:
            area = _link_area(reference.get_object())
        except (AttributeError, TypeError, ValueError, PdfReadError):
            continue  # a malformed annotation costs its link, not the document
        if area is not None:
            areas.append(area)
    return areas


def _link_area(annotation: Any) -> LinkArea | None:
    action = annotation.get("/A")
    action = action.get_object() if action is not None else {}
    url = str(action.get("/URI", "")) if annotation.get("/Subtype") == "/Link" else ""
    if not url.startswith(FOLLOWED):
        return None  # a jump inside the document, or an address staff cannot follow
    numbers = [float(n) for n in annotation.get("/QuadPoints") or ()]
    quads = [numbers[i : i + 8] for i in range(0, len(numbers) - 7, 8)]
    boxes = [(min(q[0::2]), min(q[1::2]), max(q[0::2]), max(q[1::2])) for q in quads]
    if not boxes and len(rect := [float(n) for n in annotation.get("/Rect") or ()]) == 4:
        boxes = [(min(rect[0], rect[2]), min(rect[1], rect[3]), max(rect[0], rect[2]), max(rect[1], rect[3]))]
    return LinkArea(url, tuple(boxes)) if boxes else None


def anchors(areas: Sequence[LinkArea], anchored: Sequence[list[tuple[float, float, str]]]) -> list[Link]:
    """Each link with the text it covers, read in lines top to bottom. Consecutive links to one
    address (a link Word cut where its text wrapped) are one link."""
    links: list[Link] = []
    for area, texts in zip(areas, anchored, strict=True):
        lines = [
            "".join(t for _, _, t in row)
            for _, row in itertools.groupby(sorted(texts, key=lambda t: (-t[0], t[1])), key=lambda t: t[0])
        ]
        text = " ".join(" ".join(lines).split())
        if not text:
            continue
        if links and links[-1].url == area.url:
            links[-1] = Link(f"{links[-1].text} {text}", area.url)
        else:
            links.append(Link(text, area.url))
    return links


def link_text(blocks: list[Block], page: int, links: Sequence[Link]) -> None:
    """Writes each link of `page` into the first of its blocks that shows the link's text outside
    another link, as a markdown link: the PDF's text layer holds the text and, apart, where it leads."""
    for link in links:
        if link.text == link.url or link.text == link.url.removeprefix("mailto:"):
            continue  # a printed address: the text is the address already
        for index, block in enumerate(blocks):
            if block.location != page or block.kind == "furniture" or block.cells:
                continue
            if (at := _unlinked(block.text, link.text)) is not None:
                text = block.text[:at] + markdown_link(link.text, link.url) + block.text[at + len(link.text) :]
                blocks[index] = dataclasses.replace(block, text=text, links=(*block.links, link))
                break


def _unlinked(text: str, anchor: str) -> int | None:
    """Where `anchor` first appears in `text` outside a markdown link, if it does."""
    inside = [match.span() for match in MARKDOWN_LINK.finditer(text)]
    for match in re.finditer(re.escape(anchor), text):
        if not any(start <= match.start() < end for start, end in inside):
            return match.start()
    return None
