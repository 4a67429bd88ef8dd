from __future__ import annotations

import pytest

from bot.sanitize import clean_text, has_words


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  what\u200b is a   profile ", "what is a profile"),
        ("\u202eevil\u202c text", "evil text"),
        ("e" + "\u0301" * 50, "\u00e9" + "\u0301" * 3),  # NFC folds the first mark into é
        ("<at>HR Bot</at> hello", "HR Bot hello"),
        ("line\x00one\x07", "lineone"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_has_words() -> None:
    assert has_words("tiktok?")
    assert has_words("١٢٣")
    assert not has_words("😀 ?! …")
