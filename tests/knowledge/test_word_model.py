from __future__ import annotations

import math

from knowledge.normalize import Normalizer
from knowledge.word_model import OUTSIDE, WordModel, features

NORMALIZER = Normalizer()
PHRASINGS = {
    0: ("do I need a disclaimer on my profile", "wording on my personal profile"),
    1: ("can I post photos on my profile", "posting pictures of events on my profile"),
    OUTSIDE: ("my payslip is wrong", "when is payday"),
}


def model(phrasings: dict[int, tuple[str, ...]] = PHRASINGS) -> WordModel:
    return WordModel((label, NORMALIZER.tokens(text)) for label, texts in phrasings.items() for text in texts)


def likelihoods(question: str, labels: list[int]) -> list[float]:
    return model().log_likelihoods(NORMALIZER.tokens(question), labels)


def test_a_word_only_one_entry_uses_favours_it() -> None:
    disclaimer, photos = likelihoods("profile disclaimer", [0, 1])
    assert disclaimer > photos


def test_features_are_the_distinct_words_of_more_than_one_letter() -> None:
    assert features(["word", "personal", "x", "profil", "personal"]) == {"word", "personal", "profil"}


def test_the_out_of_scope_examples_are_one_class() -> None:
    disclaimer, photos, outside = likelihoods("my payslip is wrong", [0, 1, OUTSIDE])
    assert outside > max(disclaimer, photos)


def test_a_label_without_phrasings_is_impossible() -> None:
    bare = model({0: PHRASINGS[0], 1: PHRASINGS[1]})
    assert bare.log_likelihoods(["payslip"], [OUTSIDE]) == [-math.inf]


def test_words_the_model_never_saw_change_nothing() -> None:
    assert likelihoods("profile disclaimer zebra", [0, 1]) == likelihoods("profile disclaimer", [0, 1])


def test_more_phrasings_do_not_make_a_label_more_likely_a_priori() -> None:
    # A curated entry with many phrasings must not bury a new document's entry that has one.
    crowded = model({0: PHRASINGS[0], 1: (*PHRASINGS[1], "photos", "pictures", "posting photos")})
    zero, one = crowded.log_likelihoods([], [0, 1])
    assert one == zero
