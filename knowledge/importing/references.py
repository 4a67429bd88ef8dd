"""The policies an answer cites: markdown links, hyperlinks, URLs, named policies with codes and sections.

Every reference found also carries the document itself with the question number, so an answer
always names where it comes from. A '#' link is the document's placeholder: it never becomes a URL.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.importing.blocks import MARKDOWN_LINK
from knowledge.models import PolicyReference

CITATION_LABEL = (
    r"(?:Sources?|See(?:\s+also)?|(?:Policy\s+)?References?|Ref|(?:Related\s+)?(?:Polic(?:y|ies)|guidance)"
    r"|(?:Further|More)\s+information|Find\s+out\s+more)"
)
"""The label of a line that cites a policy ('Source:', 'See also:', 'Policy reference:', 'Related guidance:')."""
_URL = re.compile(r"<?(https?://[^\s<>\]]+)>?")
_URL_TAIL = ".,;:!?)'\"”’"
_SECTION_TAIL = re.compile(r"^(.*?)\s+(\d+(?:\.\d+)+)$")
_QUESTION_ON = re.compile(r"Question\s+(\d+(?:\.\d+)+)\s+on\s+the\s+\[((?:\\.|[^\]\\])+)\]")
# "see the Attendance Policy FAQ 7.8", "Question 3.1 of the Attendance Policy FAQs".
_PLAIN_FAQ = re.compile(r"\bFAQ(?:'s|s)?\s+(\d+(?:\.\d+)+)")
_PLAIN_QUESTION_OF = re.compile(r"\bQuestion\s+(\d+(?:\.\d+)+)\s+(?:on|of|in)\s+the\s+(.*?\bFAQ(?:'s|s)?)\b")
# "Family Leave Policy HR048", "Travel and Expenses Policy FIN012 section 6.4", "Uniform Policy",
# "Time off in Lieu Procedure (HR-09)", "Reasonable Adjustments Guidance for Staff (HR-30)", "… (WF-11a)",
# "Dignity at Work Policy", "Raising Concerns (Freedom to Speak Up) Policy HR-042, section 2.1",
# "Staff Car Parking Policy EF-012, Appendix B".
_NAMED = re.compile(
    r"\b((?:(?:[A-Z][\w&'’-]*|\([A-Z][^()]{0,40}\)),?\s+(?:(?:and|of|for|on|at|to|in|off|with|&)\s+){0,2}){1,6}"
    r"(?:Policy|Procedure|Guidance|Guidelines|Handbook|Scheme|Standard)"
    # Words after the policy word are the name's too when its code follows: 'Guidance for Staff
    # (HR-30)', 'NHS Pension Scheme Guide for Members (PEN-02)'.
    r"(?:(?:\s+[A-Z][\w&'’-]*){0,2}(?:\s+(?:for|to)\s+[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){0,2})?"
    r"(?=\s+\(?[A-Z]{2,5}[\s-]?\d))?)"
    r"(?!\s+FAQ)(?:\s+\(?([A-Z]{2,5}[\s-]?\d{2,4}[a-z]?)\)?)?"
    r"(?:,?\s+(?:(?:section|para(?:graph)?)\s+(\d+(?:\.\d+)*)|(Appendix\s+[A-Z0-9]{1,2})\b))?"
)
_CODED = re.compile(r"\b([A-Z]{2,5}-?\d{2,4})\b")
_SECTION = re.compile(r"\b[Ss]ection\s+(\d+(?:\.\d+)*)")
_NAME_WORD = re.compile(r"^(?:[A-Z][\w&'’-]*|&|POL\d+)$")
_NOT_A_NAME = frozenset({"See", "Please", "Refer", "The", "This", "Under", "In", "Our", "Your", "As", "Per", "Read"})
_POLICY_WORDS = re.compile(r"\b(FAQ|FAQ's|FAQs|Policy|Procedure|POL\d+)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Citations:
    """References of one entry, and remarks for the curator (a section without its policy, …)."""

    references: tuple[PolicyReference, ...]
    remarks: tuple[str, ...]


def find_references(answer: str, *, title: str, source: str, cited: Sequence[str] = ()) -> Citations:
    """References in `answer` and in its `cited` lines ('Source: …' text), then the document itself."""
    remarks: list[str] = []
    found = [*_in_text(answer, remarks)]
    for line in cited:
        found.extend(_cited_line(line, remarks))
    found.append(PolicyReference(name=title, section=source))
    unique: dict[tuple[str, str | None], PolicyReference] = {}
    for reference in found:
        key = (reference.name.casefold(), reference.section)
        # The same policy named in a link and again in the text is one reference; the first wins,
        # but a later mention may bring the URL the first lacked.
        if key in unique and unique[key].url is None and reference.url:
            unique[key] = unique[key].model_copy(update={"url": reference.url})
        unique.setdefault(key, reference)
    # 'the Resolution Policy' in the text and 'Resolution Policy HR-09' in the citation are one policy.
    coded = {ref.name.casefold().rsplit(" ", 1)[0] for ref in unique.values() if _CODED.search(ref.name.split()[-1])}
    unique = {
        key: ref
        for key, ref in unique.items()
        if ref.url or ref.section or ref.name.casefold() not in coded or _CODED.search(ref.name.split()[-1])
    }
    if len(unique) == 1:
        remarks.append(f"{source} names no policy; referenced to the document only")
    for reference in unique.values():
        if reference.name in {"FAQ", "FAQs"}:
            remarks.append(f"{source} mentions {reference.label} without naming its policy")
    return Citations(tuple(unique.values()), tuple(dict.fromkeys(remarks)))


def _in_text(text: str, remarks: list[str]) -> list[PolicyReference]:
    found: list[tuple[int, PolicyReference]] = []
    sections = {m.group(2): m.group(1) for m in _QUESTION_ON.finditer(text)}
    for match in MARKDOWN_LINK.finditer(text):
        label, url = match.group(1).replace("\\", ""), match.group(2)
        if url.startswith("mailto:"):
            found.append((match.start(), PolicyReference(name=label, url=url)))
        elif _POLICY_WORDS.search(label) or url.startswith("https://"):
            found.append((match.start(), _policy(label, section=sections.get(match.group(1)), url=url)))
    plain = MARKDOWN_LINK.sub(lambda m: " " * len(m.group(0)), text)
    found.extend(_plain_mentions(plain, remarks))
    for match in _URL.finditer(plain):
        url = match.group(1).rstrip(_URL_TAIL)
        found.append((match.start(), _from_url(url)))
    return [reference for _, reference in sorted(found, key=lambda item: item[0])]


def _cited_line(line: str, remarks: list[str]) -> list[PolicyReference]:
    """A 'Source:'/'See:'/'Reference:' line: its policy takes the line's URL when it names one."""
    found = _in_text(line, remarks)
    named = [ref for ref in found if ref.url is None]
    urls = [ref.url for ref in found if ref.url]
    if len(named) == 1 and len(urls) == 1:
        return [named[0].model_copy(update={"url": urls[0]})]
    if found:
        return found
    text = line.strip().rstrip(".")
    return [PolicyReference(name=text)] if text else []


def _plain_mentions(text: str, remarks: list[str]) -> list[tuple[int, PolicyReference]]:
    """Policies named in running text outside any link, with where they start."""
    found: list[tuple[int, PolicyReference]] = []
    taken: list[tuple[int, int]] = []
    for match in _PLAIN_QUESTION_OF.finditer(text):
        words = match.group(2).split()
        name = " ".join([*_name_words(words[:-1]), words[-1]])
        found.append((match.start(), _policy(name, section=match.group(1), url="")))
        taken.append(match.span())
    for match in _PLAIN_FAQ.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        name = " ".join([*_name_words(text[: match.start()].split()), match.group(0).split()[0]])
        found.append((match.start(), _policy(f"{name} {match.group(1)}", section=None, url="")))
        taken.append((match.start() - len(name), match.end()))
    named: list[tuple[int, int, str]] = []
    for match in _NAMED.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        name = " ".join(_trim(match.group(1).split()))
        if not name or name.split()[0] in {"Policy", "Procedure"}:
            continue
        full = f"{name} {match.group(2).replace(' ', '')}" if match.group(2) else name
        found.append((match.start(), PolicyReference(name=full, section=match.group(3) or match.group(4))))
        named.append((match.start(), match.end(), full))
        taken.append(match.span())
    for match in _CODED.finditer(text):
        untaken = not any(start <= match.start() < end for start, end in taken)
        if (
            untaken
            and not match.group(1).startswith("FAQ")
            and re.match(r"^(?:POL|HR|FIN|IG|HS|IT|OP)\d", match.group(1))
        ):
            found.append((match.start(), PolicyReference(name=match.group(1))))
            named.append((match.start(), match.end(), match.group(1)))
            taken.append(match.span())
    for match in _SECTION.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        before = [name for start, _, name in named if start < match.start()]
        if before:
            found.append((match.start(), PolicyReference(name=before[-1], section=match.group(1))))
        else:
            remarks.append(f"mentions section {match.group(1)} without naming its policy")
    return found


def _trim(words: list[str]) -> list[str]:
    """Drop leading words that begin a sentence rather than a name ('See the …', 'the Trust’s …')."""
    while words and (words[0] in _NOT_A_NAME or not words[0][:1].isupper() or words[0].endswith(("'s", "’s"))):
        words = words[1:]
    return words


def _name_words(words: list[str]) -> list[str]:
    """The capitalised words right before a mention: 'see the Attendance Policy' -> Attendance Policy."""
    name: list[str] = []
    for word in reversed(words[-6:]):
        if not _NAME_WORD.match(word) or word in _NOT_A_NAME:
            break
        name.insert(0, word)
    return name


def _from_url(url: str) -> PolicyReference:
    host = url.split("/")[2].removeprefix("www.")
    return PolicyReference(
        name=host.upper() if host.endswith(".uk") else host, url=url if url.startswith("https://") else None
    )


def _policy(text: str, *, section: str | None, url: str) -> PolicyReference:
    tail = _SECTION_TAIL.match(text)
    name = text
    if tail and section is None:
        name, section = tail.group(1), tail.group(2)
    name = re.sub(r"\bFAQ(?:'s|s)$", "FAQ", name) if section else re.sub(r"\bFAQ's\b", "FAQs", name)
    real_url = url if url.startswith(("https://", "mailto:")) else None
    return PolicyReference(name=name, section=section, url=real_url)
