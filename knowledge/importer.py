"""Read a policy Q&A document (numbered questions, lettered sub-questions) into draft entries.

The documents HR publishes look like `data/social-media-qa-2024-06.txt`: a title, an
introduction, questions `1.`, `2.` … with sub-questions `(a)`, `(b)` …, answers as paragraphs with
markdown links to policies, and a sign-off of a month and year followed by the owning team.
Answers are kept word for word; only whitespace is tidied.

What the reader finds is split in two: `problems` are parts of the document it could not read
(a question with no answer, no sign-off), `notes` are things a curator should know but that lost
nothing (a question that names no policy, a sentence joined across a page break). Both carry the
line number in the document.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from knowledge.models import PolicyReference

_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_QUESTION = re.compile(r"^(\d{1,3})\.\s+(?:\(([a-z])\)\s+)?(\S.*)$")
_SUBQUESTION = re.compile(r"^\(([a-z])\)\s+(\S.*)$")
_SIGN_OFF_DATE = re.compile(rf"^({'|'.join(_MONTHS)})\s+(\d{{4}})$", re.IGNORECASE)
_LINK = re.compile(r"\[((?:\\.|[^\]\\])+)\]\(([^)\s]*)\)")
_AUTOLINK = re.compile(r"<(https://[^>\s]+)>")
_SECTION_TAIL = re.compile(r"^(.*?)\s+(\d+(?:\.\d+)+)$")
_QUESTION_ON = re.compile(r"Question\s+(\d+(?:\.\d+)+)\s+on\s+the\s+\[((?:\\.|[^\]\\])+)\]")
# Mentions in running text, outside links: "see the Attendance Policy FAQ 7.8",
# "Question 3.1 of the Attendance Policy FAQs".
_PLAIN_FAQ = re.compile(r"\bFAQ(?:'s|s)?\s+(\d+(?:\.\d+)+)")
_PLAIN_QUESTION_OF = re.compile(r"\bQuestion\s+(\d+(?:\.\d+)+)\s+(?:on|of|in)\s+the\s+(.*?\bFAQ(?:'s|s)?)\b")
_NAME_WORD = re.compile(r"^(?:[A-Z][\w&'’-]*|&|POL\d+)$")
_NOT_A_NAME = frozenset({"See", "Please", "Refer", "The", "This", "Under", "In", "Our", "Your", "As", "Per"})
_POLICY_WORDS = re.compile(r"\b(FAQ|FAQ's|FAQs|Policy|POL\d+)\b", re.IGNORECASE)
_SENTENCE_END = (".", "?", "!", ":", ")", '"', "”")


@dataclass(frozen=True)
class ImportFinding:
    """Something the reader noticed at `line` of the document (None: the document as a whole)."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass(frozen=True)
class ImportedQuestion:
    """One question as found in the document, before curation (no id, topic or alternates)."""

    source: str
    question: str
    answer: str
    references: tuple[PolicyReference, ...]
    line: int


@dataclass(frozen=True)
class ImportedDocument:
    """Everything read from one document: what could not be read (`problems`) and `notes`."""

    title: str
    owner: str | None
    last_reviewed: dt.date | None
    questions: tuple[ImportedQuestion, ...]
    problems: tuple[ImportFinding, ...] = field(default=())
    notes: tuple[ImportFinding, ...] = field(default=())


def import_document(text: str) -> ImportedDocument:
    """Parse `text`; problems and notes (with line numbers) are reported, never raised."""
    lines = text.splitlines()
    problems: list[ImportFinding] = []
    notes: list[ImportFinding] = []
    title = next((line.strip() for line in lines if line.strip()), "")
    blocks: list[tuple[str, str, int, list[tuple[int, str]]]] = []
    number: str | None = None
    sign_off: int | None = None
    for index, raw in enumerate(lines, start=1):
        line = raw.strip()
        if _SIGN_OFF_DATE.match(line) and blocks:
            sign_off = index
            break
        top = _QUESTION.match(line)
        sub = _SUBQUESTION.match(line)
        if top:
            _check_numbering(number, top.group(1), index, problems)
            number = top.group(1)
            letter = top.group(2)
            source = f"Q{number}({letter})" if letter else f"Q{number}"
            blocks.append((source, top.group(3), index, []))
        elif sub and number is not None:
            blocks.append((f"Q{number}({sub.group(1)})", sub.group(2), index, []))
        elif sub:
            problems.append(ImportFinding(index, f"sub-question ({sub.group(1)}) before any numbered question"))
        elif blocks:
            blocks[-1][3].append((index, raw.rstrip()))
    owner, last_reviewed = _sign_off(lines, sign_off, problems)
    questions = []
    for position, (source, question, line_no, body) in enumerate(blocks):
        answer = _paragraphs(body, notes)
        if not answer:
            following = blocks[position + 1][0] if position + 1 < len(blocks) else ""
            if following.startswith(f"{source}("):
                notes.append(ImportFinding(line_no, f"{source} is a heading for its sub-questions"))
            else:
                problems.append(ImportFinding(line_no, f"question {source} has no answer; not imported"))
            continue
        references = _references(answer, title=title, source=source, notes=notes, line=line_no)
        questions.append(ImportedQuestion(source, question.strip(), answer, references, line_no))
    if not questions:
        problems.append(ImportFinding(None, "no numbered questions found (expected lines like '1. What …?')"))
    return ImportedDocument(title, owner, last_reviewed, tuple(questions), tuple(problems), tuple(notes))


def _check_numbering(previous: str | None, current: str, line: int, problems: list[ImportFinding]) -> None:
    expected = int(previous) + 1 if previous else 1
    if int(current) != expected:
        problems.append(
            ImportFinding(line, f"question {current} follows {previous or 'the introduction'}; "
                                f"expected {expected} (a question may be missing or mis-numbered)")
        )


def _sign_off(
    lines: list[str], index: int | None, problems: list[ImportFinding]
) -> tuple[str | None, dt.date | None]:
    if index is None:
        problems.append(
            ImportFinding(None, "no sign-off found (expected a month and year, e.g. 'June 2024', "
                                "then the owning team, after the last answer)")
        )
        return None, None
    match = _SIGN_OFF_DATE.match(lines[index - 1].strip())
    assert match is not None
    reviewed = dt.date(int(match.group(2)), _MONTHS.index(match.group(1).lower()) + 1, 1)
    owner = next((line.strip() for line in lines[index:] if line.strip()), None)
    if owner is None:
        problems.append(ImportFinding(index, "no owning team after the sign-off date"))
    return owner, reviewed


def _paragraphs(body: list[tuple[int, str]], notes: list[ImportFinding]) -> str:
    paragraphs: list[tuple[int, list[str]]] = []
    current: list[str] = []
    for line_no, line in [*body, (0, "")]:
        if line.strip():
            if not current:
                paragraphs.append((line_no, current))
            current.append(line.strip())
        else:
            current = []
    merged: list[str] = []
    for line_no, paragraph in paragraphs:
        text = "\n".join(paragraph)
        # A page break in the exported document splits a sentence across two paragraphs.
        if merged and not merged[-1].endswith(_SENTENCE_END) and text[:1].islower():
            notes.append(ImportFinding(line_no, "joined a sentence split across a page break"))
            merged[-1] = f"{merged[-1]} {text}"
        else:
            merged.append(text)
    return "\n\n".join(merged)


def _references(
    answer: str, *, title: str, source: str, notes: list[ImportFinding], line: int
) -> tuple[PolicyReference, ...]:
    found: list[PolicyReference] = []
    sections = {m.group(2): m.group(1) for m in _QUESTION_ON.finditer(answer)}
    for match in _LINK.finditer(answer):
        text = match.group(1).replace("\\", "")
        url = match.group(2)
        if url.startswith("mailto:"):
            found.append(PolicyReference(name=text, url=url))
        elif _POLICY_WORDS.search(text):
            found.append(_policy(text, section=sections.get(match.group(1)), url=url))
    found.extend(_plain_mentions(_LINK.sub(" ", answer)))
    for match in _AUTOLINK.finditer(answer):
        host = match.group(1).split("/")[2].removeprefix("www.")
        found.append(PolicyReference(name=host.upper() if host.endswith(".uk") else host, url=match.group(1)))
    found.append(PolicyReference(name=title, section=source))
    unique: dict[tuple[str, str | None], PolicyReference] = {}
    for reference in found:
        # The same policy named in a link and again in the text is one reference; the first wins.
        unique.setdefault((reference.name.casefold(), reference.section), reference)
    if len(unique) == 1:
        notes.append(ImportFinding(line, f"{source} names no policy; referenced to the document only"))
    for reference in unique.values():
        if reference.name in {"FAQ", "FAQs"}:
            notes.append(ImportFinding(line, f"{source} mentions {reference.label} without naming its policy"))
    return tuple(unique.values())


def _plain_mentions(text: str) -> list[PolicyReference]:
    """Policy FAQ sections named in running text outside any link, in the order they appear."""
    found: list[tuple[int, PolicyReference]] = []
    for match in _PLAIN_QUESTION_OF.finditer(text):
        words = match.group(2).split()
        name = " ".join([*_name_words(words[:-1]), words[-1]])
        found.append((match.start(), _policy(name, section=match.group(1), url="")))
    for match in _PLAIN_FAQ.finditer(text):
        name = " ".join([*_name_words(text[: match.start()].split()), match.group(0).split()[0]])
        found.append((match.start(), _policy(f"{name} {match.group(1)}", section=None, url="")))
    return [reference for _, reference in sorted(found, key=lambda item: item[0])]


def _name_words(words: list[str]) -> list[str]:
    """The capitalised words right before a mention: 'see the Attendance Policy' -> Attendance Policy."""
    name: list[str] = []
    for word in reversed(words[-6:]):
        if not _NAME_WORD.match(word) or word in _NOT_A_NAME:
            break
        name.insert(0, word)
    return name


def _policy(text: str, *, section: str | None, url: str) -> PolicyReference:
    tail = _SECTION_TAIL.match(text)
    name = text
    if tail and section is None:
        name, section = tail.group(1), tail.group(2)
    if section:
        name = re.sub(r"\bFAQ(?:'s|s)$", "FAQ", name)
    else:
        name = re.sub(r"\bFAQ's\b", "FAQs", name)
    # '#' is the document's placeholder link: never invent a URL from it.
    real_url = url if url.startswith("https://") else None
    return PolicyReference(name=name, section=section, url=real_url)
