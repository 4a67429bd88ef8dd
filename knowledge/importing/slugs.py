"""Readable ASCII ids from questions written in any Unicode text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

_SLUG_WORDS = 6
_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "given",
        "how",
        "i",
        "if",
        "in",
        "is",
        "it",
        "me",
        "my",
        "of",
        "on",
        "or",
        "should",
        "that",
        "the",
        "there",
        "this",
        "to",
        "we",
        "what",
        "when",
        "where",
        "which",
        "who",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)
# Letters NFKD does not take apart into a base letter and accents.
_LETTERS = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "ø": "o",
        "Ø": "o",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "ł": "l",
        "Ł": "l",
        "þ": "th",
        "ð": "d",
        "ı": "i",
    }
)
# An apostrophe inside a word joins it ("can’t" is one word); any other mark separates words.
_APOSTROPHE = re.compile(r"(?<=\w)['’‘ʼ`´](?=\w)")


def ascii_words(text: str) -> list[str]:
    """The lower-case ASCII words of `text`: accents dropped, apostrophes joined, dashes and quotes split."""
    text = _APOSTROPHE.sub("", text.translate(_LETTERS))
    spaced = "".join(c if c.isalnum() or unicodedata.combining(c) else " " for c in unicodedata.normalize("NFKD", text))
    plain = spaced.encode("ascii", "ignore").decode("ascii")
    return re.findall(r"[a-z0-9]+", plain.lower())


def slug(question: str, used: Collection[str]) -> str:
    """A readable id from the question's first meaningful words, unique against `used`."""
    words = [word for word in ascii_words(question) if word not in _STOP_WORDS]
    base = "-".join(words[:_SLUG_WORDS]) or "question"
    candidate, counter = base, 2
    while candidate in used:
        candidate, counter = f"{base}-{counter}", counter + 1
    return candidate
