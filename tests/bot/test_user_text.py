"""Staff text shown on a card renders literally: no links, formatting, mentions or bidi tricks."""

from __future__ import annotations

import json

import pytest

from bot.user_text import user_text_block

HOSTILE = [
    "[Reset your password here](https://evil.example/login)",
    "**URGENT** _HR_ # Heading\n- list\n1. item",
    "<a href='https://evil.example'>click</a><script>alert(1)</script>",
    '{"type": "Action.OpenUrl", "url": "https://evil.example"}',
    '"}, {"type": "Action.Submit", "data": {"approve": true}}, {"x": "',
    "<at>HR Direct</at> please approve",
    "${$root.secret} {{DATE(2017-02-14T06:08:39Z, SHORT)}}",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_stays_one_literal_text_run(text: str) -> None:
    element = user_text_block(text)
    assert element["type"] == "RichTextBlock"
    (run,) = element["inlines"]
    assert set(run) == {"type", "text"}  # no selectAction, no styling a user could steer
    assert run["type"] == "TextRun"
    # Structure is built as objects: whatever the text, the JSON round-trips to the same one run.
    assert json.loads(json.dumps(element)) == element
    assert "Action." not in json.dumps({k: v for k, v in element.items() if k != "inlines"})


def test_invisible_and_bidi_characters_are_removed() -> None:
    (run,) = user_text_block("pay\u202eecnaliw\u202c \u200bnow")["inlines"]
    assert run["text"] == "payecnaliw now"


def test_long_text_is_shortened_with_an_ellipsis() -> None:
    (run,) = user_text_block("word " * 5000, max_chars=100)["inlines"]
    assert len(run["text"]) == 100
    assert run["text"].endswith("…")


def test_style_goes_on_the_block() -> None:
    element = user_text_block("question", spacing="Small", separator=True)
    assert element["spacing"] == "Small" and element["separator"] is True
