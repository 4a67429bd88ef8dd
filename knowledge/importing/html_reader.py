"""HTML pages (an intranet FAQ saved from a browser) into blocks, located by source line.

Headings, paragraphs, list items, table rows, `<details>`/`<summary>` accordions (the summary
is the question) and script-driven ones (a heading's `<button aria-expanded>` is the question,
the panel it controls the answer), links and bold text are kept; scripts, styles, navigation and
the page header are not text, nor is what the browser does not show (`hidden`, `display:none`) outside the page's
main content (a saved page keeps its dismissed cookie banner; inside `<main>`, a collapsed
accordion's answer is hidden too, and is read); the page footer is page furniture (it may name
the owner). ARIA roles count as the elements they stand for, as a SharePoint page marks itself up
with them: role="main", "heading" (with its aria-level), "button" (an accordion's question),
"contentinfo" (the footer); "banner", "navigation" and "search" are not text, nor are readers'
comments under the page or an icon font's glyphs. A Confluence page's Expand macro is an accordion:
its control's text the question, its content the answer.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from html.parser import HTMLParser

from knowledge.importing.blocks import (
    ACCORDION_LEVEL,
    Block,
    BlockDocument,
    BlockKind,
    DocumentError,
    Link,
    markdown_link,
)

_SKIPPED = frozenset(
    {"head", "title", "script", "style", "nav", "header", "noscript", "template", "svg", "button", "form"}
)
_BLOCKS = frozenset(
    {
        "p",
        "li",
        "summary",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "dt",
        "dd",
        "div",
        "blockquote",
        "section",
        "article",
        "details",
        "main",
        "body",
        "footer",
        "ul",
        "ol",
        "table",
        "tr",
    }
)
_BOLD = frozenset({"strong", "b"})
_MAIN = frozenset({"main", "article"})
_GRID = frozenset({"tr", "td", "th"})
# Elements that hold a page's questions and answers: text after the last of them is no answer.
_ANSWER_GROUPS = frozenset({"details", "dl"})
_STRUCTURE = frozenset({"table", "h1", "h2", "h3", "h4", "h5", "h6", "dl", "details"})
_MAIN_TAG = re.compile(r"<(?:main|article)[\s>]|\srole\s*=\s*[\"']?main\b", re.IGNORECASE)
# Landmarks that are page furniture however they are marked up: a SharePoint page's suite bar and
# site header are <div role="banner">, its menus <div role="navigation">.
_FURNITURE_ROLES = frozenset({"banner", "navigation", "search"})
# Confluence's Expand macro: its control's text is the question, its content the answer.
# So is WordPress's Yoast FAQ block: each section a question (in bold) over its answer.
_SUMMARY_CLASSES = frozenset({"expand-control-text", "schema-faq-question"})
_PANEL_CLASSES = frozenset({"expand-content", "schema-faq-section"})
# A page Word saved ("Web Page, Filtered") marks its title and list paragraphs by class, the list's
# bullet or number typed before the text ('·', 'o', '§' in symbol fonts; '1.', 'a)').
_WORD_TITLE = "MsoTitle"
_TITLE_POINTS = 16.0
"""Text set this large (or larger) throughout a paragraph is a title, not running text."""
_FONT_SIZES = {"5": 18.0, "6": 24.0, "7": 36.0}  # <font size="5"> and up: the old HTML sizes a title takes
_POINT_SIZE = re.compile(r"font-size\s*:\s*(\d+(?:\.\d+)?)\s*pt", re.IGNORECASE)
_WORD_LIST = re.compile(r"^MsoListParagraph")
_WORD_MARKER = re.compile(r"^(?:(?P<bullet>[·o§▪•◦\-–])|(?P<number>\d{1,2}[.)]|[a-z][.)]|[ivx]{1,4}[.)]))\s+(?=\S)")
_COMMENT_STATES = frozenset({"no", "has", "with", "show", "hide", "enable", "disable", "allow", "open", "closed"})
_COMMENT_REGIONS = frozenset({"area", "wrapper", "section", "list", "container", "region", "block", "form", "thread"})
_BR_BULLET = re.compile(r"^[•●▪◦·–-]\s+(?=\S)")
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
# An icon font's glyph (a chevron, a menu icon) is drawn from the Private Use Area: no text.
_ICON_GLYPHS = re.compile("[\ue000-\uf8ff]")
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "source", "area", "base", "col", "embed"})


class _Depth:
    """Open elements inside one element (its own start tag counted); 0 outside it."""

    def __init__(self) -> None:
        self.open = 0

    def start(self, tag: str) -> None:
        if self.open and tag not in _VOID:
            self.open += 1

    def end(self, tag: str) -> None:
        if self.open and tag not in _VOID:
            self.open -= 1


@dataclass
class _List:
    numbered: bool
    number: int
    """Its last item's number (one less than its first's before it has any)."""
    has_item: bool = False
    started: bool = False
    """It says the number it starts at (`<ol start="3">`)."""


class _ListNumbers:
    """The numbers of the lists open, as a word processor that saves a document as a web page
    means them. A heading it numbers itself ('1.2') is an item of a list inside a list
    (`<ol><li><h1>…<ol><li><h2>`); where the numbering goes on at a deeper level, the outer list is
    opened again with no item of its own (`<ol><ol start="2"><li><h2>`), and stands for the number
    its level showed last."""

    def __init__(self) -> None:
        self.open: list[_List] = []
        self.shown: list[int] = []  # the numbers the last numbered heading showed, outermost first

    def start(self, tag: str, start: str | None) -> None:
        said = (start or "").strip()
        self.open.append(_List(tag == "ol", int(said) - 1 if said.isdigit() else 0, started=said.isdigit()))

    def item(self) -> None:
        if self.open:
            self.open[-1].number += 1
            self.open[-1].has_item = True

    def end(self) -> None:
        if self.open:
            self.open.pop()

    def innermost_numbered(self) -> bool:
        """Whether the innermost list open is a numbered one (`<ol>`)."""
        return bool(self.open) and self.open[-1].numbered

    def label(self) -> str:
        """The numbers of a heading in the open numbered lists, outermost first ('1.2'); '' outside
        them. The steps of an answer's own lists in between number nothing the headings go on from."""
        if not self.open or not all(each.numbered for each in self.open):
            return ""
        self.shown = [
            each.number
            if each.has_item
            else each.number + 1
            if each.started
            else (self.shown[depth] if depth < len(self.shown) else 1)
            for depth, each in enumerate(self.open)
        ]
        return ".".join(str(number) for number in self.shown)


class _Reader(HTMLParser):
    def __init__(self, *, has_main: bool, layout_tables: list[bool]) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.weights: list[bool] = []
        self.links: list[Link] = []
        self.start_line = 0
        self.skipping = 0
        self.hidden = 0
        self.layout_tables = list(layout_tables)
        """For each `<table>` of the page in order, whether it lays the page out (see `_layout_tables`)."""
        self.tables: list[bool] = []
        """The tables open, innermost last: True for a layout table."""
        self.controlled: set[str] = set()
        """Ids of the panels accordion buttons open."""
        self.panel = 0
        """Open elements inside an accordion's answer panel (its own start tag counted)."""
        self.skipped: list[str] = []
        """The skipped elements open, innermost last (an accordion's button is read, not skipped)."""
        self.main = 0
        self.role_main = _Depth()
        """Inside an element marked role="main" (a SharePoint page's content)."""
        self.has_main = has_main
        self.heading = _Depth()
        """Inside an element marked role="heading" or an expand control (its text is one heading)."""
        self.heading_tag = ""
        """What the heading counts as when it ends: 'h2' for aria-level 2, 'summary' for an expand control."""
        self.page_info = _Depth()
        """Inside an element marked role="contentinfo": a footer by another name."""
        self.groups = 0
        """Open answer groups (`<details>`, `<dl>`, an accordion's panel): a page that asks in them
        answers inside them."""
        self.last_group_end: int | None = None
        """Blocks read when the page's last answer group closed: what follows it answers nothing,
        under whatever heading ('Still have a question?' over a contact box)."""
        self.after_group = False
        """An answer group has closed and none is open: what is read now answers nothing (until a
        heading: a page's next section may ask in groups again)."""
        self.bold = 0
        self.item_started = False
        """A list item has started and holds no text yet."""
        self.item_paragraph = False
        """The paragraph being read is a list item's own text (<li><p>…), not one of several inside it."""
        self.sizes: list[float] = []
        """The point sizes `<font>` and `<span>` elements set, innermost last (0 for none)."""
        self.large: list[bool] = []
        """For each piece of text of the block being read, whether it is set in a title's size."""
        self.footer = 0
        self.numbers = _ListNumbers()
        self.word_class = ""
        """The class Word gave the paragraph being read ('MsoTitle', 'MsoListParagraphCxSpFirst')."""
        self.link: tuple[str, list[str]] | None = None
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.hidden:
            self.hidden += tag not in _VOID
            return
        # An <article>'s or <main>'s own <header> holds its title (WordPress's entry header).
        kept = (tag == "button" and _toggles(dict(attrs))) or (tag == "header" and self._in_main())
        if tag in _SKIPPED and not kept:
            self.skipping += 1
            self.skipped.append(tag)
            return
        if self.skipping:
            return
        found = dict(attrs)
        role = (found.get("role") or "").strip().lower()
        if tag not in _VOID and (role in _FURNITURE_ROLES or _comments(found) or _icon(found)):
            self.hidden = 1
            return
        for depth in (self.role_main, self.heading, self.page_info):
            depth.start(tag)
        if role == "main" and not self.role_main.open and tag not in _VOID:
            self.role_main.open = 1
        if tag in _MAIN:
            self.main += 1
        elif tag not in _VOID and self.has_main and not self._in_main() and _unseen(found):
            self.hidden = 1
            return
        if tag == "footer":
            self.footer += 1
        # LibreOffice saves a document's page header and footer as <div title="header">.
        page_part = tag == "div" and (found.get("title") or "").lower() in {"header", "footer"}
        if (role == "contentinfo" or page_part) and not self.page_info.open and tag not in _VOID:
            self.page_info.open = 1
        if tag in {"font", "span"}:
            self.sizes.append(_point_size(found))
        classes = set((found.get("class") or "").split())
        if (role == "heading" or classes & _SUMMARY_CLASSES) and not self.heading.open and tag not in _VOID:
            self.flush()
            self.heading.open = 1
            self.heading_tag = "summary" if classes & _SUMMARY_CLASSES else f"h{_level(found.get('aria-level'))}"
        if tag in _ANSWER_GROUPS:
            self.groups += 1
        if self.panel:
            self.panel += tag not in _VOID
        elif tag not in _VOID and (found.get("id") in self.controlled or classes & _PANEL_CLASSES):
            self.panel, self.groups = 1, self.groups + 1
        if (tag == "button" or role == "button") and found.get("aria-controls"):
            self.controlled.update((found.get("aria-controls") or "").split())
        if tag in {"ul", "ol"}:
            self.numbers.start(tag, found.get("start"))
        elif tag == "li":
            self.numbers.item()
        if tag == "table":
            self.tables.append(bool(self.layout_tables) and self.layout_tables.pop(0))
        if tag in _GRID and self.tables and self.tables[-1]:
            self.flush()  # a layout table's cells are page regions, not a table's cells
        elif tag == "tr":
            self.flush()
            self.row = []
        elif tag in {"td", "th"} and self.row is not None:
            self.cell = []
        elif tag in _BLOCKS and self.cell is None and not self.heading.open:
            self.flush()
        elif tag in _BLOCKS and self.cell is not None and not (tag == "p" and self.item_started):
            self.cell.append("\n\n- " if tag == "li" else "\n\n")
        if tag in _BOLD:
            self.bold += 1
        elif tag == "br":
            self._text("\n")
        elif tag == "a":
            self.link = (dict(attrs).get("href") or "", [])
        if tag == "p":  # after the flush that ended the block before it
            self.word_class = found.get("class") or ""
            self.item_paragraph, self.item_started = self.item_started, False
        elif tag == "li":
            self.item_started = True

    def handle_endtag(self, tag: str) -> None:
        if self.hidden:
            self.hidden -= tag not in _VOID
            return
        if tag in _SKIPPED and self.skipped and self.skipped[-1] == tag and self.skipping:
            self.skipped.pop()
            self.skipping = max(0, self.skipping - 1)
            return
        if self.skipping:
            return
        if tag in _MAIN:
            self.main = max(0, self.main - 1)
        if self.heading.open == 1 and tag not in _VOID:
            self.flush(self.heading_tag)
        if tag in {"font", "span"} and self.sizes:
            self.sizes.pop()
        if tag in _BOLD:
            self.bold = max(0, self.bold - 1)
        elif tag == "a" and self.link is not None:
            url, words = self.link
            self.link = None
            text = " ".join("".join(words).split())
            if text:
                self.links.append(Link(text, url))
                self._text(markdown_link(text, url) if url and not url.startswith("javascript:") else text)
        elif tag in _GRID and self.tables and self.tables[-1]:
            self.flush()
        elif tag in {"td", "th"} and self.row is not None and self.cell is not None:
            self.row.append("\n\n".join(_clean(p) for p in "".join(self.cell).split("\n\n") if _clean(p)))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            cells = tuple(self.row)
            self.row = None
            if any(cells):
                self.blocks.append(Block("table_row", " | ".join(cells), self.getpos()[0], cells=cells))
        elif tag in _BLOCKS and self.cell is None and not self.heading.open:
            self.flush(tag)
        for depth in (self.role_main, self.heading, self.page_info):
            depth.end(tag)
        if tag in {"ul", "ol"}:
            self.numbers.end()
        if tag == "footer":
            self.footer = max(0, self.footer - 1)
        if tag == "table" and self.tables:
            self.tables.pop()
        if tag in _ANSWER_GROUPS and self.groups:
            self.groups -= 1
            self.after_group = self.groups == 0
            self.last_group_end = len(self.blocks) if self.after_group else self.last_group_end
        if self.panel:
            self.panel -= tag not in _VOID
            if not self.panel:  # an accordion's answer panel ends as a <details> does
                self.groups = max(0, self.groups - 1)
                self.after_group = self.groups == 0
                self.last_group_end = len(self.blocks) if self.after_group else self.last_group_end

    def handle_data(self, data: str) -> None:
        if self.skipping or self.hidden:
            return
        # A line break in the page's source is a space (Word wraps its HTML at 76 columns); only
        # <br> breaks a line.
        data = data.replace("\r", " ").replace("\n", " ")
        if self.link is not None:
            self.link[1].append(data)
            if data.strip():
                self.weights.append(self.bold > 0)
            return
        self._text(data)

    def _in_main(self) -> bool:
        return bool(self.main or self.role_main.open)

    def _text(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
            self.item_started = self.item_started and not data.strip()
            return
        if not self.parts:
            self.start_line = self.getpos()[0]
        self.parts.append(data)
        if data.strip():
            self.item_started = False
            self.weights.append(self.bold > 0)
            self.large.append(next((size for size in reversed(self.sizes) if size), 0.0) >= _TITLE_POINTS)

    def flush(self, tag: str = "") -> None:
        raw = "".join(self.parts)
        pieces = (
            _broken(raw) if tag in {"p", "div", ""} and "\n" in raw and not (self.footer or self.page_info.open) else []
        )
        if len(pieces) > 1:
            # A CMS answer is often one paragraph whose lines <br> breaks: '<br><br>' between its
            # paragraphs, '• ' before its list items.
            detached = self.after_group and not self.groups
            for piece_kind, piece in pieces:
                links = tuple(link for link in self.links if link.text in piece)
                self.blocks.append(Block(piece_kind, piece, self.start_line, links=links, detached=detached))
            self.parts, self.weights, self.links, self.large = [], [], [], []
            self.word_class = ""
            return
        text = _clean(raw)
        if text:
            kind: BlockKind = "paragraph"
            level = 0
            numbered = ""
            if self.footer or self.page_info.open:
                kind = "furniture"
            elif tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                kind, level = "heading", int(tag[1])
                # A heading Word numbers itself, saved as the item of a numbered list (<ol><li><h2>),
                # shows the list's numbers before it ('1.2'), as the Word file's heading does.
                if numbered := self.numbers.label():
                    text = f"{numbered} {text}"
            elif tag == "summary":
                kind, level = "heading", ACCORDION_LEVEL
            elif tag == "li" or (tag == "p" and self.item_paragraph):
                # A list item's text may be a paragraph of its own (<li><p>…), as LibreOffice saves it.
                kind = "list_item"
            elif tag == "p" and self.word_class == _WORD_TITLE:
                kind = "heading"
            elif tag == "p" and self.large and all(self.large):
                kind, level = "heading", 1  # a title typed in large letters, as a word processor saves it
            bold = bool(self.weights) and all(self.weights) and (kind == "paragraph" or self.item_paragraph)
            ordered = kind == "list_item" and self.numbers.innermost_numbered()
            marker = _WORD_MARKER.match(text) if tag == "p" and _WORD_LIST.match(self.word_class) else None
            if marker:
                kind, ordered, text, bold = "list_item", bool(marker.group("number")), text[marker.end() :], False
            if kind == "heading":
                self.after_group = False
            detached = self.after_group and not self.groups and kind != "heading"
            self.blocks.append(
                Block(
                    kind,
                    text,
                    self.start_line,
                    bold=bold,
                    links=tuple(self.links),
                    level=level,
                    ordered=ordered,
                    detached=detached,
                    numbered=numbered,
                )
            )
        self.parts, self.weights, self.links, self.large = [], [], [], []
        self.word_class = ""
        self.item_paragraph = False


class _TableKinds(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.layout: list[bool] = []
        self.open: list[int] = []
        self.widest: list[int] = []  # for each table, the most cells a row of it has
        self.row_cells: list[int] = []  # for each open table, the cells of its row so far

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _STRUCTURE and self.open:
            self.layout[self.open[-1]] = True
        if tag == "table":
            self.layout.append(False)
            self.widest.append(0)
            self.open.append(len(self.layout) - 1)
            self.row_cells.append(0)
        elif tag == "tr" and self.open:
            self.row_cells[-1] = 0
        elif tag in {"td", "th"} and self.open:
            self.row_cells[-1] += 1
            self.widest[self.open[-1]] = max(self.widest[self.open[-1]], self.row_cells[-1])

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.open:
            # A one-column table boxes paragraphs (a shaded question row above its answer row, as
            # Word and LibreOffice save such a document as a web page): it holds no data.
            if self.widest[self.open[-1]] <= 1:
                self.layout[self.open[-1]] = True
            self.open.pop()
            self.row_cells.pop()


def _layout_tables(text: str) -> list[bool]:
    """For each `<table>` in order, whether it lays the page out rather than holding data: an old
    intranet page frames its menu and its content in table cells, with headings, definition lists
    and other tables inside them, which a table of data never holds; a one-column table boxes
    paragraphs."""
    kinds = _TableKinds()
    kinds.feed(text)
    kinds.close()
    return kinds.layout


def _point_size(attrs: dict[str, str | None]) -> float:
    """The size in points a `<font>` or `<span>` sets (0 when it sets none, or in other units)."""
    if found := _POINT_SIZE.search(attrs.get("style") or ""):
        return float(found.group(1))
    return _FONT_SIZES.get((attrs.get("size") or "").strip(), 0.0)


def _toggles(attrs: dict[str, str | None]) -> bool:
    """A button that opens a panel (an accordion's question), not a control such as 'Search'."""
    return "aria-expanded" in attrs or "aria-controls" in attrs


def _unseen(attrs: dict[str, str | None]) -> bool:
    """An element the browser does not show, whatever its stylesheet says."""
    style = (attrs.get("style") or "").replace(" ", "").lower()
    return "hidden" in attrs or "display:none" in style or "visibility:hidden" in style


def _comments(attrs: dict[str, str | None]) -> bool:
    """Readers' comments under the page (SharePoint's `sp-comments`, WordPress's `comments-area`):
    an element whose id, class or label names them. What staff wrote there is not HR's answer; a
    class that only says whether there are comments ('no-comments', 'has-comments') names none."""
    names = [*(attrs.get("class") or "").split(), attrs.get("id") or "", attrs.get("aria-label") or ""]
    for name in names:
        words = [word.lower() for word in _WORDS.findall(name)]
        for at, word in enumerate(words):
            if word not in {"comment", "comments"} or any(w in _COMMENT_STATES for w in words[:at]):
                continue
            if at + 1 == len(words) or words[at + 1] in _COMMENT_REGIONS:
                return True
    return False


def _icon(attrs: dict[str, str | None]) -> bool:
    """An icon (Notion's page and callout emoji, a person's initial as their avatar): no text."""
    return any(name == "icon" or name.endswith("-icon") for name in (attrs.get("class") or "").split())


def _level(value: str | None) -> int:
    """An `aria-level` as a heading level (1 to 6; 2 when it says none)."""
    return min(6, max(1, int(value))) if value and value.strip().isdigit() else 2


def _broken(raw: str) -> list[tuple[BlockKind, str]]:
    """A paragraph with line breaks as the blocks it shows: each run of lines between blank lines
    a paragraph, each line starting with a bullet a list item."""
    found: list[tuple[BlockKind, str]] = []
    for chunk in re.split(r"\n[^\S\n]*\n", raw):
        lines: list[str] = []
        for line in _clean(chunk).split("\n") if _clean(chunk) else []:
            bullet = _BR_BULLET.match(line)
            if bullet:
                if lines:
                    found.append(("paragraph", "\n".join(lines)))
                    lines = []
                found.append(("list_item", line[bullet.end() :]))
            else:
                lines.append(line)
        if lines:
            found.append(("paragraph", "\n".join(lines)))
    return found


def _clean(text: str) -> str:
    """Collapse HTML whitespace; a `<br>` stays a line break; icon glyphs go."""
    lines = (" ".join(line.split()) for line in html.unescape(_ICON_GLYPHS.sub("", text)).split("\n"))
    return "\n".join(line for line in lines if line)


def read_html(data: bytes) -> BlockDocument:
    """Blocks of an HTML page; DocumentError when it holds no text."""
    match = re.search(rb"charset=[\"']?([\w-]+)", data[:2048])
    encoding = match.group(1).decode("ascii") if match else "utf-8"
    try:
        text = data.decode(encoding, errors="replace")
    except LookupError:
        text = data.decode("utf-8", errors="replace")
    reader = _Reader(has_main=bool(_MAIN_TAG.search(text)), layout_tables=_layout_tables(text))
    reader.feed(text)
    reader.close()
    reader.flush()
    if reader.last_group_end is not None:
        end = reader.last_group_end
        reader.blocks[end:] = [b if b.kind == "heading" else replace(b, detached=True) for b in reader.blocks[end:]]
    if not reader.blocks:
        raise DocumentError("the page has no text")
    return BlockDocument(tuple(reader.blocks), "line")
