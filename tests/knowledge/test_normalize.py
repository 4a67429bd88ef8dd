from __future__ import annotations

import pytest

from knowledge.normalize import Normalizer, stem


@pytest.mark.parametrize(
    ("variants", "expected"),
    [
        (("posting", "posted", "posts", "post"), "post"),
        (("requested", "requests", "request"), "request"),
        (("policies", "policy"), "policy"),
        (("organization", "organisation", "organisations"), "organisation"),
        (("used", "using", "use"), "use"),
        (("deleted", "delete", "deletes"), "delet"),
    ],
)
def test_variants_of_a_word_share_a_stem(variants: tuple[str, ...], expected: str) -> None:
    assert {stem(word) for word in variants} == {expected}


def test_short_words_and_numbers_are_kept() -> None:
    assert [stem(w) for w in ("bus", "sar", "2024", "pc")] == ["bus", "sar", "2024", "pc"]


def test_synonyms_fold_to_one_token_before_stopwords_and_stems() -> None:
    normalizer = Normalizer([["whatsapp", "whats app", "what's app"], ["sickness absence", "off sick"]])
    assert normalizer.tokens("Whats App group?") == normalizer.tokens("whatsapp groups")
    assert normalizer.tokens("colleague OFF SICK") == ["colleagu", "sickness_absence"]


def test_chatter_and_contractions_are_dropped() -> None:
    assert Normalizer().tokens("hi, what's the policy on tiktok tbh? isn't it banned") == ["policy", "tiktok", "ban"]


def test_words_keep_the_spelling_as_written() -> None:
    assert Normalizer().words("Testimonals posted") == [("testimonals", "testimonal"), ("posted", "post")]
