from __future__ import annotations

import math

from knowledge import Corpus, Entry, OutOfScopeTopic, PolicyReference
from knowledge.normalize import Normalizer
from knowledge.word_model import OUTSIDE, WordModel


def entry(entry_id: str, question: str, *alternates: str) -> Entry:
    return Entry(
        id=entry_id, question=question, alternates=alternates, answer="Approved answer.",
        references=(PolicyReference(name="Policy"),), topic="t", owner="HR", last_reviewed="2024-06-01",
        source="Q1",
    )


CORPUS = Corpus(
    entries=(
        entry("disclaimer", "do I need a disclaimer on my profile", "wording on my personal profile"),
        entry("photos", "can I post photos on my profile", "posting pictures of events on my profile"),
    ),
    out_of_scope=(OutOfScopeTopic(topic="pay", examples=("my payslip is wrong", "when is payday")),),
)


def model() -> WordModel:
    return WordModel(CORPUS, Normalizer())


def test_a_word_only_one_entry_uses_favours_it() -> None:
    disclaimer, photos = model().log_likelihoods("profile disclaimer", [0, 1])
    assert disclaimer > photos


def test_features_are_the_normalised_words() -> None:
    # filler dropped, words stemmed, each word once
    assert model().features("wording on my personal profile, personal!") == {"word", "personal", "profil"}


def test_the_out_of_scope_examples_are_one_class() -> None:
    disclaimer, photos, outside = model().log_likelihoods("my payslip is wrong", [0, 1, OUTSIDE])
    assert outside > max(disclaimer, photos)


def test_a_corpus_without_out_of_scope_examples_has_no_outside_class() -> None:
    bare = WordModel(CORPUS.model_copy(update={"out_of_scope": ()}), Normalizer())
    assert bare.log_likelihoods("payslip", [OUTSIDE]) == [-math.inf]


def test_words_the_model_never_saw_change_nothing() -> None:
    assert model().log_likelihoods("profile disclaimer zebra", [0, 1]) == model().log_likelihoods(
        "profile disclaimer", [0, 1]
    )
