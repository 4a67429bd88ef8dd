"""A document's owner and review date, from a sign-off, 'Owner:'/'Reviewed:' lines, a document-control
table or a footer."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.importing.blocks import Block

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
_MONTH_YEAR = re.compile(rf"^({'|'.join(_MONTHS)})\s+(\d{{4}})$", re.IGNORECASE)
_OWNER = re.compile(r"^(?:(?:document\s+|policy\s+|page\s+)?owner|author)\s*:\s*(\S.*)$", re.IGNORECASE)
_REVIEWED = re.compile(
    r"^(?:last\s+)?(?:reviewed|review\s+date|date\s+reviewed|date\s+of\s+last\s+review|updated|edited|approved|date\s+approved)"
    r"\s*:\s*(\S.*)$",
    re.IGNORECASE,
)
# 'Owner: … | Last reviewed: …' and 'Page owner: … · Last updated: …' on one line.
# 'Page maintained by Facilities and Estates. Last reviewed March 2012.': a sign-off in a sentence.
_MAINTAINED = re.compile(r"\bmaintained\s+by\s+(?:the\s+)?(?P<owner>[A-Z][^.|]+?)\s*[.|]", re.IGNORECASE)
_REVIEWED_IN = re.compile(r"\blast\s+(?:reviewed|updated)\s*:?\s+(?P<date>[A-Za-z]+\s+\d{4})\b", re.IGNORECASE)
_MARKUP = re.compile(r"^\s*>\s*|[*_`]+")
_SEPARATOR = re.compile(r"\s*[|·•]\s*")
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


def parse_month(text: str) -> dt.date | None:
    """'March 2025' or '2025-03' (or '2025-03-14') as a date; None when it is neither."""
    text = text.strip().rstrip(".")
    month_year = _MONTH_YEAR.match(text)
    if month_year:
        return dt.date(int(month_year.group(2)), _MONTHS.index(month_year.group(1).lower()) + 1, 1)
    iso = _ISO_MONTH.match(text)
    if iso:
        try:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3) or 1))
        except ValueError:
            return None
    return None


def read_metadata(blocks: Sequence[Block]) -> Metadata:
    """Owner and review date from labelled lines (body or page furniture), else from a closing sign-off."""
    owner: str | None = None
    reviewed: dt.date | None = None
    used: set[int] = set()
    for position, block in enumerate(blocks):
        # A document-control table row ('Owner | Workforce Team') says what an 'Owner:' line says.
        parts = [f"{block.cells[0]}: {block.cells[1]}"] if len(block.cells) == 2 else _SEPARATOR.split(block.text)
        for part in parts:
            part = _MARKUP.sub("", part).strip()  # '> **Owner:** HR Systems Team', as a wiki exports it
            owner_line, reviewed_line = _OWNER.match(part), _REVIEWED.match(part)
            if owner_line:
                owner = owner or owner_line.group(1).strip()
                used.add(position)
            elif reviewed_line and parse_month(reviewed_line.group(1)):
                reviewed = reviewed or parse_month(reviewed_line.group(1))
                used.add(position)
    body = [position for position, block in enumerate(blocks) if block.kind != "furniture" and position not in used]
    for position in body[-_SIGN_OFF_TAIL - 1 :]:
        # A closing sentence: 'Page maintained by Facilities and Estates. Last reviewed March 2012.'
        text = blocks[position].text
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
            owner = owner or blocks[body[rank + 1]].text.strip()
        break
    return Metadata(owner, reviewed, frozenset(used))
