"""Read a policy Q&A document (numbered questions, lettered sub-questions) into draft entries.

The documents HR publishes look like `data/social-media-qa-2024-06.txt`: a title, an
introduction, questions `1.`, `2.` … with sub-questions `(a)`, `(b)` …, answers as paragraphs with
markdown links to policies, and a sign-off of a month and year followed by the owning team.
Answers are kept word for word; only whitespace is tidied.
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
_POLICY_WORDS = re.compile(r"\b(FAQ|FAQ's|FAQs|Policy|POL\d+)\b", re.IGNORECASE)
_SENTENCE_END = (".", "?", "!", ":", ")", '"', "”")


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
    """Everything read from one document, and what could not be read."""

    title: str
    owner: str | None
    last_reviewed: dt.date | None
    questions: tuple[ImportedQuestion, ...]
    problems: tuple[str, ...] = field(default=())


def import_document(text: str) -> ImportedDocument:
    """Parse `text`; problems (with line numbers) are reported, never raised."""
    lines = text.splitlines()
    problems: list[str] = []
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
            number = top.group(1)
            letter = top.group(2)
            source = f"Q{number}({letter})" if letter else f"Q{number}"
            blocks.append((source, top.group(3), index, []))
        elif sub and number is not None:
            blocks.append((f"Q{number}({sub.group(1)})", sub.group(2), index, []))
        elif blocks:
            blocks[-1][3].append((index, raw.rstrip()))
    owner, last_reviewed = _sign_off(lines, sign_off, problems)
    questions = []
    for source, question, line_no, body in blocks:
        answer = _paragraphs(body, problems)
        if not answer:
            problems.append(f"line {line_no}: question {source} has no answer")
            continue
        references = _references(answer, title=title, source=source, problems=problems, line=line_no)
        questions.append(ImportedQuestion(source, question.strip(), answer, references, line_no))
    if not questions:
        problems.append("no numbered questions found (expected lines like '1. What …?')")
    return ImportedDocument(title, owner, last_reviewed, tuple(questions), tuple(problems))


def _sign_off(
    lines: list[str], index: int | None, problems: list[str]
) -> tuple[str | None, dt.date | None]:
    if index is None:
        problems.append("no sign-off date found (expected a line like 'June 2024' after the answers)")
        return None, None
    match = _SIGN_OFF_DATE.match(lines[index - 1].strip())
    assert match is not None
    reviewed = dt.date(int(match.group(2)), _MONTHS.index(match.group(1).lower()) + 1, 1)
    owner = next((line.strip() for line in lines[index:] if line.strip()), None)
    if owner is None:
        problems.append(f"line {index}: no owning team after the sign-off date")
    return owner, reviewed


def _paragraphs(body: list[tuple[int, str]], problems: list[str]) -> str:
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
            problems.append(f"line {line_no}: joined a sentence split across a page break")
            merged[-1] = f"{merged[-1]} {text}"
        else:
            merged.append(text)
    return "\n\n".join(merged)


def _references(
    answer: str, *, title: str, source: str, problems: list[str], line: int
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
    for match in _AUTOLINK.finditer(answer):
        host = match.group(1).split("/")[2].removeprefix("www.")
        found.append(PolicyReference(name=host.upper() if host.endswith(".uk") else host, url=match.group(1)))
    found.append(PolicyReference(name=title, section=source))
    unique: list[PolicyReference] = []
    for reference in found:
        if reference not in unique:
            unique.append(reference)
    if len(unique) == 1:
        problems.append(f"line {line}: {source} names no policy; referenced to the document only")
    return tuple(unique)


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
