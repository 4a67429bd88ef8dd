"""Where the questions are in a document's blocks: one parser for every format.

Layouts recognised: numbered questions (`1.`, `Q1.`, `Q1:`, `Question 1` with the question on
the same or the next line, sub-questions `18(a)` or `(a)` under a number), `Q:` … `A:` pairs,
question headings, bold question paragraphs, question lines ending in `?`, and two-column
question/answer tables. A document is read in the layout most of its blocks fit.

Section headings between questions are not answer text, and neither are 'Back to top' links;
'Source:', 'See:' and 'Reference:' lines are kept apart as the entry's citations.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from knowledge.importing.blocks import ACCORDION_LEVEL, MARKDOWN_LINK, Block, Unit
from knowledge.importing.document import ImportFinding
from knowledge.importing.references import CITATION_LABEL

_PLAIN = re.compile(
    r"^(?P<n>\d{1,3})(?:\s*\((?P<a>[a-z])\)[.:)]?|[.:])(?:\s+\((?P<b>[a-z])\))?(?:\s+(?P<text>\S.*))?$", re.DOTALL
)
# '2.1 How do I make a formal complaint?': questions numbered within numbered sections.
_DOTTED = re.compile(r"^(?P<n>\d{1,2}\.\d{1,2})\.?\s+(?P<text>\S.*)$", re.DOTALL)
_LABELLED = re.compile(
    r"^(?:Q|[Qq]uestion|QUESTION)\s?(?P<n>\d{1,3})(?:\s*\((?P<a>[a-z])\))?\s*[.:)\-–]?"
    r"(?:\s+\((?P<b>[a-z])\))?(?:\s+(?P<text>\S.*))?$",
    re.DOTALL,
)
_SUB = re.compile(r"^\((?P<a>[a-z])\)\s+(?P<text>\S.*)$", re.DOTALL)
_QA_QUESTION = re.compile(r"^Q\s*[:.]\s*(?P<text>\S.*)$", re.DOTALL)
_INLINE_ANSWER = re.compile(r"(?<=\?)\s+A\s*[:.]\s+")
# 'A: …', 'Answer 3. …', and '**A:** …' as Markdown exports write it.
_ANSWER_LABEL = re.compile(r"^(?:\*\*|__)?(?:A\d{0,3}|Answer(?:\s+\d{1,3})?)\s*[:.]\s*(?:\*\*|__)?\s*", re.IGNORECASE)
# 'Source: …', 'See also: …', 'Policy reference: …', 'Related policy: …', 'Related guidance: …',
# 'Further information: …', and a paragraph that is only '(see …)'.
_CITED = re.compile(
    rf"^(?:{CITATION_LABEL}\s*:\s*(?P<text>\S.*)|\(\s*see(?:\s+also)?\s+(?P<bracketed>[^()]+)\)\.?)$",
    re.IGNORECASE | re.DOTALL,
)
# 'Can I be suspended?.......5', 'Can I be suspended?<tab>5' or, where the leader was lost (a
# contents saved as a web page), 'Can I be suspended? 5': a line of a table of contents.
_CONTENTS_LINE = re.compile(r"^\S.*?(?:\.{4,}|…{2,}|\t|\?\s)\s*\d{1,4}$", re.DOTALL)
_CONTENTS_LINES = 3
_EMPHASIS = re.compile(r"^(?:\*\*?|__?)(.+?)(?:\*\*?|__?)$", re.DOTALL)
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")
_BACK_TO_TOP = re.compile(r"^\W*(?:back\s+to\s+(?:the\s+)?top|top\s+of\s+page)\W*$", re.IGNORECASE)
_TABLE_HEADER = frozenset({"question", "questions", "q", "answer", "no", "no.", "#"})
_QUESTION_LINE_LIMIT = 300


@dataclass
class FoundQuestion:
    """A question while the parser collects its answer blocks and citation lines."""

    source: str
    question: str
    location: int
    answer: list[Block] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)
    section: str = ""
    """The title of the section the question is under, if the document groups its questions."""


@dataclass(frozen=True)
class LayoutReading:
    """The questions found, in which layout, and what the parser could not place."""

    layout: str
    title: str
    questions: tuple[FoundQuestion, ...]
    problems: tuple[ImportFinding, ...]
    notes: tuple[ImportFinding, ...]
    unplaced: tuple[Block, ...]


@dataclass(frozen=True)
class _Start:
    number: str | None
    letter: str | None
    text: str


def parse_layout(blocks: Sequence[Block], *, unit: Unit) -> LayoutReading:
    """Questions in `blocks` (page furniture and metadata already removed)."""
    blocks = [b for b in blocks if b.kind != "furniture" and not _BACK_TO_TOP.match(MARKDOWN_LINK.sub(r"\1", b.text))]
    # A table of contents lists every question with its page: those lines are not the questions.
    contents = [b for b in blocks if b.kind != "table_row" and _CONTENTS_LINE.match(b.text)]
    if len(contents) >= _CONTENTS_LINES:
        listed = {id(b) for b in contents}
        blocks = [b for b in blocks if id(b) not in listed]
    layout = _choose(blocks)
    if layout == "table":
        return _tables(blocks, unit)
    return _Walker(blocks, unit, layout).walk()


def numbered_start(text: str) -> _Start | None:
    """`1. …`, `Q1: …`, `Question 1`, `18(a) …` (question text empty when it is on the next line)."""
    match = _LABELLED.match(text) or _PLAIN.match(text)
    if not match:
        return None
    return _Start(match.group("n"), match.group("a") or match.group("b"), (match.group("text") or "").strip())


def _is_question_line(block: Block) -> bool:
    text = block.text.strip()
    return (
        block.kind == "paragraph" and not block.continues and text.endswith("?") and len(text) <= _QUESTION_LINE_LIMIT
    )


def _question_headings(blocks: Sequence[Block]) -> set[int]:
    """Headings that ask: those ending in '?', and those of the deepest level that have text under
    them. A heading with none is a section's title even at that level (a page whose sections and
    questions are both level 2), and so is one that comes before the first heading that asks with
    a '?' (a page's 'Useful links' box beside its introduction)."""
    under = [
        i
        for i, b in enumerate(blocks)
        if b.kind == "heading" and i + 1 < len(blocks) and blocks[i + 1].kind != "heading"
    ]
    deepest = max((blocks[i].level for i in under), default=None)
    asking = [i for i, b in enumerate(blocks) if i > 0 and b.kind == "heading" and b.text.rstrip().endswith("?")]
    first = asking[0] if len(asking) >= 2 else 0
    found = {*asking, *(i for i in under if i > 0 and blocks[i].level == deepest and i >= first)}
    # A page that asks in accordions ('<summary>', an expand control) asks nowhere else: its
    # 'Still have a question?' heading heads a contact section.
    accordions = {i for i in found if blocks[i].level >= ACCORDION_LEVEL}
    return accordions if len(accordions) >= 2 else found


def _table_questions(blocks: Sequence[Block]) -> list[Block]:
    return [
        b
        for b in blocks
        if b.kind == "table_row"
        and len(b.cells) >= 2
        and b.cells[-2].strip()
        and b.cells[-2].strip().casefold() not in _TABLE_HEADER
    ]


def _dotted_count(blocks: Sequence[Block]) -> int:
    return sum(1 for b in blocks if b.kind != "table_row" and not b.continues and _DOTTED.match(b.text))


def _choose(blocks: Sequence[Block]) -> str:
    body = blocks[1:]
    if _dotted_count(body) >= 2:
        return "numbered"
    qa = sum(1 for b in body if _QA_QUESTION.match(b.text))
    if qa >= 2 and any(_ANSWER_LABEL.match(b.text) or _INLINE_ANSWER.search(b.text) for b in body):
        return "Q: A:"
    starts = [start for b in body if b.kind != "table_row" and (start := numbered_start(b.text))]
    # Numbered steps inside the answers of a document that asks its questions in bold are not
    # questions: each list starts again from 1, where a document's questions keep counting up.
    numbers = [int(start.number) for start in starts if start.number]
    restarts = sum(1 for before, after in itertools.pairwise(numbers) if after < before)
    asked_in_bold = sum(
        1
        for b in body
        if b.bold and b.kind == "paragraph" and b.text.rstrip().endswith("?") and not numbered_start(b.text)
    )
    # The same for a document that asks in headings ('### How do I log in?') over numbered steps.
    asked_in_headings = sum(
        1 for b in body if b.kind == "heading" and b.text.rstrip().endswith("?") and not numbered_start(b.text)
    )
    # So are a few numbered lists, none of whose items asks, under questions asked that way.
    numbered_questions = sum(1 for start in starts if start.text.rstrip().endswith("?"))
    steps_only = restarts >= 2 or numbered_questions < 2
    if len(starts) >= 2 and not (steps_only and max(asked_in_bold, asked_in_headings) >= 2):
        return "numbered"
    counts = {
        "table": len(_table_questions(blocks)),
        "headings": len(_question_headings(blocks)),
        "bold": sum(1 for b in body if b.bold and b.kind in {"paragraph", "list_item"}),
        "question lines": sum(1 for b in body if _is_question_line(b)),
    }
    best = max(counts, key=lambda name: counts[name])
    return best if counts[best] >= 2 else "numbered"


class _Walker:
    """Reads blocks in order: a question start opens an entry, what follows is its answer."""

    def __init__(self, blocks: Sequence[Block], unit: Unit, layout: str) -> None:
        self.blocks, self.unit, self.layout = blocks, unit, layout
        self.questions: list[FoundQuestion] = []
        self.problems: list[ImportFinding] = []
        self.notes: list[ImportFinding] = []
        self.unplaced: list[Block] = []
        self.number: str | None = None
        self.asked_in_bold = False  # the open question's line was bold
        self.step: tuple[str, int] | None = None  # the last step read: its question's source and number
        self.section = ""  # the last section heading read: the questions after it are under it
        self.headings = _question_headings(blocks) if layout == "headings" else set()
        # A document that labels its questions ('Q4.', 'Question 4') numbers its steps plainly
        # ('1. Open the link'): then only labelled numbers start questions.
        self.labelled_only = sum(1 for b in blocks if b.kind != "table_row" and _LABELLED.match(b.text)) >= 2
        # A policy appendix numbers its questions within sections ('2.1 …'): the sections' own
        # numbers ('2. Mediation') head groups of questions.
        self.dotted = _dotted_count(blocks) >= 2
        self.starter: Callable[[int, Block], _Start | None] = {
            "numbered": self._numbered,
            "Q: A:": self._qa,
            "headings": self._heading,
            "bold": self._bold,
            "question lines": self._question_line,
        }[layout]

    def walk(self) -> LayoutReading:
        title_at = self._title_at()
        # A title that links to its own page ('[Parking FAQ](/pages/123)') is called by its text.
        title = MARKDOWN_LINK.sub(r"\1", self.blocks[title_at].text).strip() if title_at is not None else ""
        pending: FoundQuestion | None = None  # 'Question 1' with the question on the next line
        for index, block in enumerate(self.blocks):
            if index == title_at:
                continue
            if pending is not None:
                pending.question = block.text.strip()
                pending = None
                continue
            start = self.starter(index, block)
            sub = _SUB.match(block.text) if self.layout == "numbered" and start is None else None
            current = self.questions[-1] if self.questions else None
            if start is not None:
                inline = _INLINE_ANSWER.search(start.text) if self.layout == "Q: A:" else None
                asked = replace(start, text=start.text[: inline.start()].strip()) if inline else start
                self._open(asked, block)
                if inline:  # 'Q: What happens …? A: Your manager …' in one paragraph
                    self._answer(self.questions[-1], replace(block, text=start.text[inline.end() :].strip()))
                if not start.text:
                    pending = self.questions[-1]
            elif sub and self.number is not None and self._asks(sub.group("text"), block, current):
                self.questions.append(
                    FoundQuestion(
                        f"Q{self.number}({sub.group('a')})",
                        sub.group("text").strip(),
                        block.location,
                        section=self.section,
                    )
                )
            elif sub and not block.continues and self.number is None:
                self.problems.append(self._at(block, f"sub-question ({sub.group('a')}) before any numbered question"))
            elif current is None or block.detached:
                # Before the first question only the line right above it heads it (not the
                # trust's name or an introduction's heading).
                if current is None and self._before_question(index) and self._is_section(index, block):
                    self.section = _section_title(block)
                    if self.section:
                        continue  # placed: the first questions' category
                self.unplaced.append(block)
            elif (
                block.continues
                and not current.answer
                and not current.question.endswith("?")
                and not _ANSWER_LABEL.match(block.text)
            ):
                current.question = f"{current.question} {block.text.strip()}"
            elif block.kind != "list_item" and (cited := _cited(block.text)):
                current.cited.append(cited)
            elif self._is_section(index, block):
                self.section = _section_title(block)
                if block.kind == "paragraph" and not block.text.isupper():
                    self.notes.append(
                        self._at(block, f"'{block.text.strip()}' read as a section heading, not answer text")
                    )
            else:
                self._answer(current, block)
        return LayoutReading(
            self.layout, title, tuple(self._answered()), tuple(self.problems), tuple(self.notes), tuple(self.unplaced)
        )

    @staticmethod
    def _asks(text: str, block: Block, current: FoundQuestion | None) -> bool:
        """Whether a lettered paragraph ('(b) …') is a sub-question: under a question that is only a
        heading for its parts, or itself a question; '(a) Complete the form' in an answer is a step."""
        if current is None or not current.answer:
            return True
        return not block.continues and text.rstrip().endswith("?")

    def _title_at(self) -> int | None:
        first = next((i for i, b in enumerate(self.blocks) if self.starter(i, b) is not None), len(self.blocks))
        return _title_before(self.blocks, first)

    def _open(self, start: _Start, block: Block) -> None:
        if self.layout == "numbered" and start.number is not None:
            if start.letter is None or start.number != self.number:
                self._check_numbering(start.number, block)
            self.number = start.number
        number = start.number or str(len({q.source.split("(")[0] for q in self.questions}) + 1)
        source = f"Q{number}({start.letter})" if start.letter else f"Q{number}"
        self.asked_in_bold = block.bold
        self.questions.append(FoundQuestion(source, start.text, block.location, section=self.section))

    def _answer(self, current: FoundQuestion, block: Block) -> None:
        if not current.answer and _ANSWER_LABEL.match(block.text):
            rest = _ANSWER_LABEL.sub("", block.text, count=1).strip()
            if not rest:
                return
            block = replace(block, text=rest)
        current.answer.append(block)

    def _answered(self) -> list[FoundQuestion]:
        kept = []
        for position, question in enumerate(self.questions):
            if question.answer:
                kept.append(question)
                continue
            following = self.questions[position + 1].source if position + 1 < len(self.questions) else ""
            location = ImportFinding(question.location, "", self.unit)
            if following.startswith(f"{question.source}("):
                self.notes.append(
                    ImportFinding(location.line, f"{question.source} is a heading for its sub-questions", self.unit)
                )
            else:
                self.problems.append(
                    ImportFinding(location.line, f"question {question.source} has no answer; not imported", self.unit)
                )
        return kept

    def _check_numbering(self, current: str, block: Block) -> None:
        expected = self._next_numbers()
        if current not in expected:
            self.problems.append(
                self._at(
                    block,
                    f"question {current} follows {self.number or 'the introduction'}; "
                    f"expected {' or '.join(expected)} (a question may be missing or mis-numbered)",
                )
            )

    def _next_numbers(self) -> list[str]:
        """The numbers the next question may have: the next one, or in a new section its first."""
        if self.dotted:
            section, item = (int(part) for part in self.number.split(".")) if self.number else (0, 0)
            return [f"{section}.{item + 1}", f"{section + 1}.1"]
        return [str(int(self.number) + 1 if self.number else 1)]

    def _at(self, block: Block, message: str) -> ImportFinding:
        return ImportFinding(block.location, message, self.unit)

    def _is_section(self, index: int, block: Block) -> bool:
        """Whether `block` heads a group of questions (and is no answer text): a heading, a line in
        capitals, or a short title-like line right before the next question."""
        if block.kind == "heading":
            return True
        text = block.text.strip()
        letters = [c for c in text if c.isalpha()]
        if block.kind != "paragraph" or len(letters) < 4 or text.endswith("?") or len(text) > 80:
            return False
        if all(c.isupper() for c in letters):
            return True
        # 'Types of flexible working' before a question; said in the preview, so a curator can put
        # it back if it was answer text.
        titled = (
            text[0].isupper()
            and len(text.split()) <= 8
            and text[-1] not in ".!:;,)"
            and not block.links
            and not any(c.isdigit() for c in text)
            and not block.continues
        )
        return titled and self._before_question(index)

    def _before_question(self, index: int) -> bool:
        """Whether the block after the one at `index` starts a question."""
        following = self.blocks[index + 1] if index + 1 < len(self.blocks) else None
        return following is not None and self.starter(index + 1, following) is not None

    def _numbered(self, index: int, block: Block) -> _Start | None:
        if block.kind == "table_row" or block.continues:
            return None
        if self.dotted:
            dotted = _DOTTED.match(block.text)
            return _Start(dotted.group("n"), None, dotted.group("text").strip()) if dotted else None
        if self.labelled_only and not _LABELLED.match(block.text):
            return None
        start = numbered_start(block.text)
        if start is not None and start.number is not None and self._steps_back(start, block):
            return None
        return start

    def _steps_back(self, start: _Start, block: Block) -> bool:
        """Whether a plainly numbered line under an answered question is a step of that answer: its
        number goes back ('1. You are told in writing' under question 5), where questions count up."""
        current = self.questions[-1] if self.questions else None
        if current is None or not current.answer or self.number is None or _LABELLED.match(block.text):
            return False
        number = int(start.number or 0)
        # Steps 1 to 4 under question 5 go on to 5, 6, 7: the next step, unless set as the questions are.
        goes_on = self.step == (current.source, number - 1) and block.bold != self.asked_in_bold
        if number > int(self.number) and not goes_on:
            return False
        self.step = (current.source, number)
        self.notes.append(self._at(block, f"'{start.number}. …' read as a step of {current.source}'s answer"))
        return True

    def _qa(self, index: int, block: Block) -> _Start | None:
        match = _QA_QUESTION.match(block.text)
        return _Start(None, None, match.group("text").strip()) if match else None

    def _heading(self, index: int, block: Block) -> _Start | None:
        # A question typed as a bold paragraph among questions given a heading style (it happens
        # in documents drafted by hand) asks as they do.
        typed = block.kind == "paragraph" and block.bold and block.text.rstrip().endswith("?") and not block.detached
        return self._labelled(block.text) if index in self.headings or typed else None

    def _bold(self, index: int, block: Block) -> _Start | None:
        return self._labelled(block.text) if block.bold and block.kind in {"paragraph", "list_item"} else None

    def _question_line(self, index: int, block: Block) -> _Start | None:
        return self._labelled(block.text) if _is_question_line(block) else None

    @staticmethod
    def _labelled(text: str) -> _Start:
        numbered = numbered_start(text)
        if numbered and numbered.text:
            return numbered
        qa = _QA_QUESTION.match(text)
        return _Start(None, None, (qa.group("text") if qa else text).strip())


def _table_section(block: Block) -> str:
    """The title a row or line between a table's question rows gives the rows below it (a merged
    row across the table, a short line between its parts on a PDF page), or ""."""
    if block.kind == "furniture":
        return ""
    return section_row(block.cells if block.kind == "table_row" else (block.text,))


def section_row(cells: Sequence[str]) -> str:
    """The title of a table row that heads the rows below it: one short text however many cells it
    spans (a merged row repeats it), no sentence; "" for any other row."""
    texts = {cell.strip() for cell in cells if cell.strip()}
    if len(texts) != 1:
        return ""
    (text,) = texts
    if len(text.split()) > _SECTION_WORDS or text[-1] in ".?!;," or "\n" in text:
        return ""
    return MARKDOWN_LINK.sub(r"\1", text).rstrip(":").strip()


_SECTION_WORDS = 12


def _section_title(block: Block) -> str:
    """A section heading's title as typed (without a number Word shows before it), or "" for one that
    names no subject ('Questions and answers')."""
    text = block.text.strip()
    if block.numbered and text.startswith(block.numbered):
        text = text[len(block.numbered) :]  # Word's own numbering: not in the heading's text
    title = MARKDOWN_LINK.sub(r"\1", text).strip().rstrip(":").strip()
    return "" if _NO_SUBJECT.match(title) else title


_NO_SUBJECT = re.compile(
    r"^(?:(?:frequently\s+asked\s+)?questions(?:\s+(?:and|&)\s+answers)?|q\s*&\s*a|faqs?|contents)$", re.IGNORECASE
)


def _cited(text: str) -> str | None:
    """What a citation paragraph cites ('Source: …', '(see …)'); None for any other paragraph,
    such as 'References: one from your manager is enough. We also ask…' (a citation is one phrase)."""
    text = _EMPHASIS.sub(r"\1", text.strip())  # '*Related guidance: …*', in italics
    match = _CITED.match(text)
    if not match or _SENTENCE_BREAK.search(text):
        return None
    return (match.group("text") or match.group("bracketed")).strip()


def _title_before(blocks: Sequence[Block], first_question: int) -> int | None:
    """Where the document's title is: its top heading (a Word title, `#`, `<h1>`, a PDF's largest
    type) before the first question, else its first line; None when it starts with a question. A
    saved intranet page starts with a breadcrumb trail and a PDF with the organisation's name, not
    with the title."""
    before = range(min(first_question, len(blocks)))
    top = [i for i in before if blocks[i].kind == "heading" and blocks[i].level <= 1]
    if top:
        return top[0]
    # A page framed by a banner table and titled in an <h2>: the banner is not the title.
    if before and blocks[0].kind == "table_row":
        headings = [i for i in before if blocks[i].kind == "heading"]
        return min(headings, key=lambda i: (blocks[i].level, i)) if headings else 0
    return 0 if before else None


def _tables(blocks: Sequence[Block], unit: Unit) -> LayoutReading:
    rows = {id(b) for b in _table_questions(blocks)}
    title_at = _title_before(blocks, next((i for i, b in enumerate(blocks) if b.kind == "table_row"), len(blocks)))
    title = blocks[title_at].text.strip() if title_at is not None else ""
    questions: list[FoundQuestion] = []
    unplaced: list[Block] = []
    section = ""
    started = False  # in the table: a short line between its rows heads a section
    for index, block in enumerate(blocks):
        if id(block) not in rows:
            if started and (heads := _table_section(block)):
                section = "" if _NO_SUBJECT.match(heads) else heads
                continue
            started = started or block.kind == "table_row"
            if index != title_at and block.kind != "table_row":
                unplaced.append(block)
            continue
        started = True
        question_cell, answer_cell = block.cells[-2].strip(), block.cells[-1]
        numbered = numbered_start(question_cell)
        if numbered and numbered.text:
            number, letter, question_cell = numbered.number, numbered.letter, numbered.text
        else:
            lead = block.cells[0].strip() if len(block.cells) > 2 else ""
            number, letter = (lead if lead.isdigit() else str(len(questions) + 1)), None
        found = FoundQuestion(
            f"Q{number}({letter})" if letter else f"Q{number}", question_cell, block.location, section=section
        )
        for paragraph in (p.strip() for p in answer_cell.split("\n\n")):
            cited = _cited(paragraph)
            if cited:
                found.cited.append(cited)
            elif paragraph:
                found.answer.append(Block("paragraph", paragraph, block.location))
        questions.append(found)
    problems = [
        ImportFinding(q.location, f"question {q.source} has no answer; not imported", unit)
        for q in questions
        if not q.answer
    ]
    return LayoutReading("table", title, tuple(q for q in questions if q.answer), tuple(problems), (), tuple(unplaced))
