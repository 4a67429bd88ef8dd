"""Clean staff text before it is matched, stored or echoed: invisible and bidi tricks removed."""

from __future__ import annotations

import re
import unicodedata

MAX_COMBINING_PER_CHARACTER = 3
_SPACE = re.compile(r"\s+")
_AT_TAG = re.compile(r"</?at>", re.IGNORECASE)


def clean_text(text: str) -> str:
    """NFC text without format characters (zero-width, bidi overrides), capped combining marks,
    leftover `<at>` mention tags and runs of white space."""
    text = _AT_TAG.sub("", unicodedata.normalize("NFC", text))
    kept: list[str] = []
    marks = 0
    for char in text:
        category = unicodedata.category(char)
        if category == "Cf" or (category == "Cc" and char not in "\n\t"):
            continue
        if category.startswith("M"):
            marks += 1
            if marks > MAX_COMBINING_PER_CHARACTER:
                continue
        else:
            marks = 0
        kept.append(char)
    return _SPACE.sub(" ", "".join(kept)).strip()


def has_words(text: str) -> bool:
    """True when `text` holds at least one letter or digit (not only emoji or punctuation)."""
    return any(unicodedata.category(char)[0] in "LN" for char in text)
