"""Plain text and markdown documents into blocks: one block per non-blank line.

Text copied out of a PDF viewer keeps the PDF's page furniture where the pages broke: a page
number line ("Page 3 of 7") and a running header repeated on every page are furniture, and a
paragraph they interrupt goes on after them.

A documentation site's Markdown (MkDocs) is read as the site shows it: the front matter's owner
and review date are the document's; a collapsible admonition that asks (`??? question "How do I
…?"`, its answer indented below) is a question like an HTML `<summary>`; any other admonition at
the top level (`!!! tip "…"`) is a callout standing apart from the answers around it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from knowledge.importing.blocks import ACCORDION_LEVEL, MARKDOWN_LINK, Block, BlockDocument, DocumentError, Link

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_BOLD_LINE = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__)$")
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*-)?$", re.IGNORECASE)
# A rule ('---', '***') or a Markdown table's divider row ('| --- | :-: |') draws a line: no text.
_RULE = re.compile(r"^(?:[-*_](?:\s*[-*_]){2,}|\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-{3,}:?\s*\|?|\|(?:\s*:?-{3,}:?\s*)\|)$")
_GLYPH_ITEM = re.compile(r"^[•▪◦●○■□◆➢]\s*(?P<text>\S.*)$")
_ADMONITION = re.compile(r"^(?P<marker>\?\?\?\+?|!!!)\s+(?P<kind>[\w-]+)(?:\s+\"(?P<title>[^\"]*)\")?\s*$")
_ASKING_KINDS = frozenset({"question", "faq", "help"})  # Material for MkDocs' question admonitions
_FRONT_MATTER_KEYS = {
    "owner": "Owner",
    "author": "Owner",
    "last_reviewed": "Last reviewed",
    "reviewed": "Last reviewed",
    "last_updated": "Last updated",
    "updated": "Last updated",
}
_RUNNING_HEADER = 3  # times a short line must repeat, word for word, to be a page's running header
_HEADER_LENGTH = 100
_NEAR_PAGE_NUMBER = 3  # lines (blank ones too) either side of a page number where a running header is


def read_text(text: str) -> BlockDocument:
    """Blocks of `text`, located by line; a line right after another continues its paragraph."""
    raw_lines = text.splitlines()
    blocks, first = _front_matter(raw_lines)
    lines = [raw.strip() for raw in raw_lines]
    repeated = _running_headers(lines)
    previous_blank, started = True, False
    callout: int | None = None  # the indent of the top-level callout being read
    asked: int | None = None  # the indent of the last admonition that asks: its answer is indented more
    for number, line in enumerate(lines[first:], start=first + 1):
        if not line:
            previous_blank = True
            continue
        indent = len(raw_lines[number - 1]) - len(raw_lines[number - 1].lstrip())
        if callout is not None and indent <= callout:
            callout = None
        if admonition := _ADMONITION.match(line):
            title = (admonition.group("title") or "").strip()
            if admonition.group("marker").startswith("???") and (
                admonition.group("kind").lower() in _ASKING_KINDS or title.endswith("?")
            ):
                blocks.append(Block("heading", title, number, level=ACCORDION_LEVEL))
                asked = indent
            else:
                callout = indent if indent == 0 else callout
                if title:
                    blocks.append(Block("paragraph", title, number, bold=True, detached=callout is not None))
            previous_blank, started = True, True
            continue
        if _PAGE_NUMBER.match(line) or repeated[line] >= _RUNNING_HEADER or _RULE.match(line):
            blocks.append(Block("furniture", line, number))
            continue  # the paragraph it interrupted goes on after it
        block = _block(line, number, continues=not previous_blank and started)
        # An answer is the admonition's indented text: what follows it unindented answers nothing.
        beyond = asked is not None and indent <= asked and block.kind != "heading"
        blocks.append(replace(block, detached=True) if callout is not None or beyond else block)
        previous_blank, started = False, True
    return BlockDocument(tuple(blocks), "line")


def _running_headers(lines: list[str]) -> Counter[str]:
    """Short lines repeated word for word beside page numbers: a PDF's running header where its
    pages broke. A line repeated elsewhere (the same 'Policy: …' under several answers) is text."""
    numbered = [i for i, line in enumerate(lines) if _PAGE_NUMBER.match(line)]
    near = {j for i in numbered for j in range(i - _NEAR_PAGE_NUMBER, i + _NEAR_PAGE_NUMBER + 1)}
    candidates = Counter(line for line in lines if line and len(line) <= _HEADER_LENGTH and not line.endswith("?"))
    beside = {line for i, line in enumerate(lines) if i in near and candidates[line] >= _RUNNING_HEADER}
    return Counter({line: count for line, count in candidates.items() if line in beside})


def _front_matter(lines: list[str]) -> tuple[list[Block], int]:
    """The owner and review date a YAML front matter block gives (as labelled furniture lines),
    and the number of lines it takes (0 when the text has none)."""
    if not lines or lines[0].strip() != "---":
        return [], 0
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in {"---", "..."}), None)
    if end is None:
        return [], 0
    found = []
    for number, line in enumerate(lines[1:end], start=2):
        key, _, value = line.partition(":")
        label = _FRONT_MATTER_KEYS.get(key.strip().lower())
        if label and value.strip():
            found.append(Block("furniture", f"{label}: {value.strip().strip(chr(34) + chr(39))}", number))
    return found, end + 1


def _block(line: str, number: int, *, continues: bool) -> Block:
    links = tuple(Link(m.group(1).replace("\\", ""), m.group(2)) for m in MARKDOWN_LINK.finditer(line))
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


def decode_text(data: bytes) -> str:
    """Text as Windows saves it: UTF-8 (with or without its mark), UTF-16 with its mark (Notepad's
    "Unicode"), else Windows-1252 (Notepad's "ANSI", where ’ and £ are single bytes)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DocumentError(f"not UTF-16 text ({exc.reason} at byte {exc.start})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"neither UTF-8 nor Windows-1252 text ({exc.reason} at byte {exc.start})") from None
