"""Showing what a staff member typed on an Adaptive Card, without letting it format or link anything.

A `TextBlock` renders Markdown, so `[Click me](https://evil)` in a question would become a live
link on an HR agent's card. A `RichTextBlock` of `TextRun`s renders its text literally. The text
is also cleaned first (no zero-width or bidi-override characters, capped combining marks) and
shortened, and the element is built as an object, never by pasting text into JSON.
"""

from __future__ import annotations

from typing import Any

from bot.sanitize import clean_text

MAX_SHOWN_CHARS = 4000
ELLIPSIS = "…"


def user_text_block(text: str, *, max_chars: int = MAX_SHOWN_CHARS, **style: Any) -> dict[str, Any]:
    """A card element showing `text` literally: no Markdown, no links, no mention or bidi tricks.

    `style` goes on the RichTextBlock (e.g. spacing="Small", separator=True).
    """
    shown = clean_text(text)
    if len(shown) > max_chars:
        shown = shown[: max_chars - 1].rstrip() + ELLIPSIS
    return {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": shown}], **style}
