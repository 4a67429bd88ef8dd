"""Short titles: what a button says for an entry, where the full question would be cut off.

Teams shows a button's title on one line; past about forty characters it is clipped, and long
questions that begin with the same words become buttons nobody can tell apart. Curators write a
short title per entry; for a question without one, `propose_short_title` derives a proposal that
`faqbot import` writes and `faqbot lint` names.
"""

from __future__ import annotations

import re
from collections.abc import Collection

MAX_SHORT_TITLE_CHARS = 40
_ELLIPSIS = "…"
# "Compliance - Do work WhatsApp groups…": a label before the question itself.
_LABEL = re.compile(r"^[\w&/ ]{1,30}\s[-–—:]\s+(?=\S)")
_SENTENCE_END = re.compile(r"(?<=[?.!])\s+")
_CLAUSE_END = re.compile(r"\s*(?:[,;:(]|\s[-–—]\s)")


def propose_short_title(question: str, source: str = "", taken: Collection[str] = ()) -> str:
    """A short title for `question` of at most MAX_SHORT_TITLE_CHARS characters, unique against `taken`.

    How: drop a leading label ("Compliance - "); take the first sentence, or failing that its first
    clause, when it fits; otherwise cut the first sentence at the last whole word that fits and end it
    with an ellipsis. A title already in `taken` gets the entry's `source` (e.g. "Q18(b)") appended,
    shortening the title to make room.
    """
    text = " ".join(question.split())
    text = _LABEL.sub("", text, count=1) or text
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0]
    clause = _CLAUSE_END.split(sentence, maxsplit=1)[0]
    title = next((c for c in (sentence, clause) if 0 < len(c) <= MAX_SHORT_TITLE_CHARS), None)
    if title is None:
        title = _cut(sentence, MAX_SHORT_TITLE_CHARS)
    if title in taken and source:
        suffix = f" ({source})"
        title = _cut(title.rstrip(_ELLIPSIS), MAX_SHORT_TITLE_CHARS - len(suffix)) + suffix
    return title


def _cut(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters, else its longest whole-word start that fits with '…'."""
    if len(text) <= limit:
        return text
    room = text[: limit - len(_ELLIPSIS) + 1]
    words = room[: room.rfind(" ")] if " " in room else room[: limit - len(_ELLIPSIS)]
    return words.rstrip(" ,;:-–—") + _ELLIPSIS
