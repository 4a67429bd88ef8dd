"""A document's owner and review date, from a sign-off, 'Owner:'/'Reviewed:' lines, a document-control
table or a footer."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.importing.blocks import MARKDOWN_LINK, Block

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_ABBREVIATIONS = [month[:3] for month in _MONTHS]
# 'March 2025', '12 March 2025', '12th Mar 2025'.
_MONTH_YEAR = re.compile(
    r"^(?:(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+)?"
    rf"(?P<month>{'|'.join(_MONTHS)}|{'|'.join(_ABBREVIATIONS)}|sept)\.?,?\s+(?P<year>\d{{4}})$",
    re.IGNORECASE,
)
# 'February 11, 2025' and '@February 11, 2025 10:42 AM', as American tools (Notion) write it.
_MONTH_DAY_YEAR = re.compile(
    rf"^@?(?P<month>{'|'.join(_MONTHS)}|{'|'.join(_ABBREVIATIONS)}|sept)\.?\s+(?P<day>\d{{1,2}}),\s+(?P<year>\d{{4}})"
    r"(?:\s+\d{1,2}:\d{2}(?:\s*[AP]M)?)?$",
    re.IGNORECASE,
)
# '12/03/2025': day first, as the UK writes it.
_UK_DATE = re.compile(r"^(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})$")
_OWNER = re.compile(r"^(?:(?:document\s+|policy\s+|page\s+)?owner|author)\s*:\s*(\S.*)$", re.IGNORECASE)
_REVIEWED = re.compile(
    r"^(?P<label>(?:last\s+)?(?:reviewed|review\s+date|date\s+reviewed|date\s+of\s+last\s+review|updated|edited|approved|date\s+approved)"
    r"(?:\s+(?:time|date|on))?)"
    r"\s*:\s*(?P<date>\S.*)$",
    re.IGNORECASE,
)
# Which labelled date is the last review, when a document gives several: a review, then a change,
# then the approval; a bare 'Review date' last, since it often means the next review.
_LABEL_RANKS = (("review date", 3), ("review", 0), ("updated", 1), ("edited", 1), ("modified", 1), ("approved", 2))
# 'Owner: … | Last reviewed: …' and 'Page owner: … · Last updated: …' on one line.
# 'Page maintained by Facilities and Estates. Last reviewed March 2012.': a sign-off in a sentence.
_MAINTAINED = re.compile(r"\bmaintained\s+by\s+(?:the\s+)?(?P<owner>[A-Z][^.|]+?)\s*[.|]", re.IGNORECASE)
# 'Last modified by Daniel Asante on 12 June 2025.': what a SharePoint page says of itself.
_CHANGED_BY = re.compile(
    r"^(?:page\s+)?(?P<label>last\s+(?:modified|updated|edited|reviewed))\s+by\s+[^.]+?\s+on\s+"
    r"(?P<date>(?:\d{1,2}\s+)?[A-Za-z]+\.?\s+\d{4}|\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})(?!\w)",
    re.IGNORECASE,
)
# 'Owner: Estates & Facilities – reviewed 14/01/2025': the review date said after the owner.
_OWNER_THEN_DATE = re.compile(
    r"^(?P<owner>.+?)\s*[–—,;(-]\s*(?P<label>(?:last\s+)?(?:reviewed|updated))(?:\s+on)?\s*:?\s*(?P<date>[^()]+?)\)?$",
    re.IGNORECASE,
)
_REVIEWED_IN = re.compile(r"\blast\s+(?:reviewed|updated)\s*:?\s+(?P<date>[A-Za-z]+\s+\d{4})\b", re.IGNORECASE)
_MARKUP = re.compile(r"^\s*>\s*|[*_`]+")
_SEPARATOR = re.compile(r"\s*[|·•\n]\s*")
# 'Owner: Health and Safety Team Reviewed: August 2025': a dated label after the owner on its line.
_NEXT_LABEL = re.compile(
    r"\s+(?=(?:last\s+)?(?:reviewed|review\s+date|date\s+reviewed|updated|edited|approved|date\s+approved)\s*:)",
    re.IGNORECASE,
)
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
# A sign-off is the date and the owning team at the very end: at most this many blocks after the date.
_SIGN_OFF_TAIL = 2
_SIGN_OFF_LENGTH = 200  # characters: a closing sentence longer than this is answer text


@dataclass(frozen=True)
class Metadata:
    """Owner and review date found in the document, and the positions of the blocks that said so."""

    owner: str | None
    last_reviewed: dt.date | None
    used: frozenset[int]


def missing(metadata: Metadata) -> str:
    """What `metadata` lacks, as a report says it ('owner', 'review date', 'owner and review date'; '' for nothing)."""
    return " and ".join(
        name for name, value in (("owner", metadata.owner), ("review date", metadata.last_reviewed)) if value is None
    )


def parse_month(text: str) -> dt.date | None:
    """'March 2025', '12 March 2025', '12/03/2025' (day first) or '2025-03' (or '2025-03-14') as a
    date (the first of the month when no day is given); None when it is none of these or no such day."""
    text = text.strip().rstrip(".")
    if written := _MONTH_YEAR.match(text) or _MONTH_DAY_YEAR.match(text):
        year, month, day = (
            written.group("year"),
            _ABBREVIATIONS.index(written.group("month").lower()[:3]) + 1,
            written.group("day"),
        )
    elif uk := _UK_DATE.match(text):
        year, month, day = uk.group("year"), int(uk.group("month")), uk.group("day")
    elif iso := _ISO_MONTH.match(text):
        year, month, day = iso.group(1), int(iso.group(2)), iso.group(3)
    else:
        return None
    try:
        return dt.date(int(year), month, int(day or 1))
    except ValueError:
        return None


def _rank(label: str) -> int:
    label = " ".join(label.lower().split())
    return next(rank for word, rank in (*_LABEL_RANKS, ("", len(_LABEL_RANKS))) if word in label)


def read_metadata(blocks: Sequence[Block]) -> Metadata:
    """Owner and review date from labelled lines (body or page furniture), else from a closing sign-off."""
    owner: str | None = None
    dates: list[tuple[int, dt.date]] = []  # (rank of the label, date), in the document's order
    used: set[int] = set()
    for position, block in enumerate(blocks):
        # A document-control table row ('Owner | Workforce Team', or two such pairs side by side:
        # 'Owner | Workforce Team | Approved by | Policy Group') says what an 'Owner:' line says.
        cells = block.cells
        paired = len(cells) in {2, 4, 6}
        parts = (
            [f"{label}: {value}" for label, value in zip(cells[::2], cells[1::2], strict=True)]
            if paired
            else _SEPARATOR.split(block.text)
        )
        for piece in (piece for part in parts for piece in _NEXT_LABEL.split(part)):
            part = _plain(piece)  # '> **Owner:** HR Systems Team', as a wiki exports it
            owner_line, reviewed_line = _OWNER.match(part), _REVIEWED.match(part) or _CHANGED_BY.match(part)
            if owner_line:
                value = owner_line.group(1).strip()
                if (dated := _OWNER_THEN_DATE.match(value)) and (date := parse_month(dated.group("date"))):
                    value = dated.group("owner").strip()
                    dates.append((_rank(dated.group("label")), date))
                owner = owner or value
                used.add(position)
            elif reviewed_line and (date := parse_month(reviewed_line.group("date"))):
                dates.append((_rank(reviewed_line.group("label")), date))
                used.add(position)
    reviewed = min(dates, key=lambda found: found[0])[1] if dates else None
    body = [position for position, block in enumerate(blocks) if block.kind != "furniture" and position not in used]
    for position in body[-_SIGN_OFF_TAIL - 1 :]:
        # A closing sentence: 'Page maintained by Facilities and Estates. Last reviewed March 2012.'
        text = _plain(blocks[position].text)
        maintained, reviewed_in = _MAINTAINED.search(text), _REVIEWED_IN.search(text)
        if len(text) <= _SIGN_OFF_LENGTH and maintained and (owner is None or reviewed is None):
            owner = owner or maintained.group("owner").strip()
            reviewed = reviewed or (parse_month(reviewed_in.group("date")) if reviewed_in else None)
            used.add(position)
    body = [position for position in body if position not in used]
    for rank, position in enumerate(body):
        date = parse_month(blocks[position].text)
        if date is None or len(body) - rank - 1 > _SIGN_OFF_TAIL or rank == 0:
            continue
        used.update(body[rank:])
        reviewed = reviewed or date
        if rank + 1 < len(body):
            owner = owner or _plain(blocks[body[rank + 1]].text)
        break
    return Metadata(owner, reviewed, frozenset(used))


def _plain(text: str) -> str:
    """`text` without markup: a linked team ('[Temporary Staffing](https://…) Team') is its words."""
    return _MARKUP.sub("", MARKDOWN_LINK.sub(r"\1", text)).strip()
