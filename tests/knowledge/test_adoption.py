from __future__ import annotations

from knowledge import Corpus, Entry, OutOfScopeTopic, PolicyReference, Ranker
from knowledge.adoption import ADOPTED_TOPIC, plan_adoption
from knowledge.embedding import Vectors
from knowledge.evaluation import LabelledQuestion


def entry(entry_id: str, question: str, *alternates: str) -> Entry:
    return Entry(
        id=entry_id,
        source="Q1",
        topic="general",
        question=question,
        alternates=alternates,
        answer=f"The approved answer about {entry_id}.",
        references=(PolicyReference(name="Social Media Policy"),),
        owner="HR Policy Team",
        last_reviewed="2024-06-01",
    )


CORPUS = Corpus(
    entries=(
        entry("tiktok", "Can I have TikTok on my work phone?", "tiktok allowed on work mobile"),
        entry("liking", "Does liking a post count as endorsing it?", "is a like an endorsement"),
    ),
    out_of_scope=(OutOfScopeTopic(topic="Pay", examples=("when is payday",)),),
)


def ask(question: str, expected: str | None) -> LabelledQuestion:
    return LabelledQuestion(question, expected)


def test_in_scope_questions_become_alternates_and_out_of_scope_ones_examples(vectors: Vectors) -> None:
    adoption = plan_adoption(
        CORPUS,
        [
            ask("is the chinese video app banned on nhsbt phones", "tiktok"),
            ask("how do I claim mileage", None),
        ],
    )
    assert adoption.alternates == {"tiktok": ("is the chinese video app banned on nhsbt phones",)}
    assert adoption.out_of_scope == ("how do I claim mileage",)
    assert adoption.added == 2 and adoption.skipped == ()
    adopted = adoption.apply(CORPUS)
    assert adopted.entry("tiktok").alternates[-1] == "is the chinese video app banned on nhsbt phones"
    assert adopted.out_of_scope[-1].topic == ADOPTED_TOPIC
    assert adopted.out_of_scope[-1].examples == ("how do I claim mileage",)
    # What the bot does with the wording once adopted: the curator's label, for certain.
    (best,) = Ranker(adopted, vectors).rank("is the chinese video app banned on nhsbt phones", limit=1)
    assert (best.entry.id, best.confidence) == ("tiktok", 1.0)


def test_adopted_examples_join_the_adopted_topic_when_it_exists() -> None:
    first = plan_adoption(CORPUS, [ask("how do I claim mileage", None)]).apply(CORPUS)
    second = plan_adoption(first, [ask("where do I book annual leave", None)]).apply(first)
    assert [t.topic for t in second.out_of_scope] == ["Pay", ADOPTED_TOPIC]
    assert second.out_of_scope[-1].examples == ("how do I claim mileage", "where do I book annual leave")


def test_wordings_the_corpus_already_holds_add_nothing() -> None:
    adoption = plan_adoption(
        CORPUS,
        [
            ask("TikTok allowed on WORK mobile??", "tiktok"),  # same words as an alternate
            ask("When is payday?", None),
            ask("can tiktok go on my nhsbt laptop", "tiktok"),
            ask("tiktok - can it go on my NHSBT laptop?", "tiktok"),  # same words as the one before it
        ],
    )
    assert adoption.known == 3
    assert adoption.alternates == {"tiktok": ("can tiktok go on my nhsbt laptop",)}


def test_a_wording_the_corpus_gives_another_meaning_is_left_to_a_curator() -> None:
    adoption = plan_adoption(CORPUS, [ask("is a like an endorsement?", "tiktok"), ask("when is payday", "liking")])
    assert adoption.added == 0
    assert [s.reason for s in adoption.skipped] == [
        "labelled tiktok, but the corpus has these words as liking",
        "labelled liking, but the corpus has these words as out-of-scope",
    ]


def test_a_wording_labelled_two_ways_in_the_file_is_skipped_both_times() -> None:
    adoption = plan_adoption(CORPUS, [ask("likes on tiktok", "liking"), ask("tiktok likes", "tiktok")])
    assert adoption.added == 0
    assert [s.reason for s in adoption.skipped] == [
        "labelled liking, but this file also has these words as tiktok",
        "labelled tiktok, but this file also has these words as liking",
    ]


def test_one_word_and_no_word_questions_are_not_adopted() -> None:
    adoption = plan_adoption(CORPUS, [ask("tiktok?", "tiktok"), ask("???", "liking"), ask("pensions", None)])
    assert [s.reason for s in adoption.skipped] == [
        "one word: the bot asks which entry is meant",
        "no word the bot matches on",
    ]
    assert adoption.out_of_scope == ("pensions",)
