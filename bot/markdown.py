"""Approved answers carry the source's markdown links; Teams cards need them rendered sensibly.

Link targets the source left as placeholders ('#') are never shown as links: the link text
stays, and becomes a link only when the corpus gives that policy a real URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge import PolicyReference

_LINK = re.compile(r"\[((?:\\.|[^\]\\])+)\]\(([^)\s]*)\)")
_AUTOLINK = re.compile(r"<(https://[^>\s]+)>")
_ESCAPED = re.compile(r"\\(.)")


def _reference_urls(references: Iterable[PolicyReference]) -> dict[str, str]:
    urls: dict[str, str] = {}
    for ref in references:
        if ref.url:
            urls[ref.label.lower()] = ref.url
            urls[ref.name.lower()] = ref.url
    return urls


def to_card_markdown(answer: str, references: Iterable[PolicyReference] = ()) -> str:
    """`answer` as Adaptive Card markdown: real links kept, placeholder links as plain text."""
    urls = _reference_urls(references)

    def link(match: re.Match[str]) -> str:
        text = _ESCAPED.sub(r"\1", match.group(1))
        target = match.group(2)
        url = target if target.startswith(("https://", "mailto:")) else urls.get(text.lower())
        return f"[{text}]({url})" if url else text

    rendered = _LINK.sub(link, answer)
    return _AUTOLINK.sub(lambda m: f"[{m.group(1)}]({m.group(1)})", rendered)


def to_plain_text(answer: str) -> str:
    """`answer` without markdown: link texts kept, real URLs shown in brackets."""

    def link(match: re.Match[str]) -> str:
        text = _ESCAPED.sub(r"\1", match.group(1))
        target = match.group(2)
        if target.startswith("mailto:"):
            return text
        return f"{text} ({target})" if target.startswith("https://") else text

    return _AUTOLINK.sub(r"\1", _LINK.sub(link, answer))
