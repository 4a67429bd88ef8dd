from __future__ import annotations

import numpy as np
import pytest

from knowledge import Corpus, Entry, PolicyReference
from knowledge.embedding import Vectors
from knowledge.embedding.index import SemanticIndex, whole_text


def entry(entry_id: str, question: str, answer: str) -> Entry:
    return Entry(
        id=entry_id,
        source="Q1",
        topic="general",
        question=question,
        answer=answer,
        references=(PolicyReference(name="Attendance Policy"),),
        owner="HR Policy Team",
        last_reviewed="2024-06-01",
    )


CORPUS = Corpus(
    entries=(
        entry(
            "reporting",
            "How do I report that I am unwell?",
            "Phone your line manager before your shift starts. A text message or e-mail is not enough.",
        ),
        entry(
            "parking",
            "Where can I park?",
            "Staff permits cover the multi-storey car park. Apply through the estates team.",
        ),
    )
)


def test_whole_text_reads_links_as_their_words() -> None:
    assert whole_text("Who pays?", "See [the expenses policy](https://x.example/p).\n\nAsk HR.") == (
        "Who pays? See the expenses policy. Ask HR."
    )


def test_closeness_to_the_question_and_answer_read_together(vectors: Vectors) -> None:
    index = SemanticIndex(CORPUS, vectors)

    closeness = index.closeness("can I just text my boss when I'm off sick")

    assert closeness.whole.shape == (2,)
    assert int(np.argmax(closeness.whole)) == 0
    assert index.nothing().whole.tolist() == [0.0, 0.0]


def test_a_large_corpus_compares_every_vector_only_for_the_shortlist_and_the_entries_named(vectors: Vectors) -> None:
    question = "can I just text my boss when I'm off sick"
    exact = SemanticIndex(CORPUS, vectors).closeness(question)
    # Two entries count as large here: the one closest by its whole text is shortlisted.
    shortlisted = SemanticIndex(CORPUS, vectors, exact_up_to=1, shortlist=1).closeness(question)
    named = SemanticIndex(CORPUS, vectors, exact_up_to=1, shortlist=1).closeness(question, include=[1])

    # (A product over some rows may round the last bit differently from one over all of them.)
    assert shortlisted.phrasing[0] == pytest.approx(exact.phrasing[0], abs=1e-6)
    assert shortlisted.answer[0] == pytest.approx(exact.answer[0], abs=1e-6)
    assert shortlisted.phrasing[1] == shortlisted.answer[1] == exact.whole[1]
    assert exact.whole[1] != pytest.approx(exact.phrasing[1], abs=1e-3)
    np.testing.assert_allclose(named.phrasing, exact.phrasing, atol=1e-6)
    np.testing.assert_allclose(named.answer, exact.answer, atol=1e-6)


def test_alignment_is_how_much_of_the_question_an_entry_covers_word_piece_by_word_piece(vectors: Vectors) -> None:
    index = SemanticIndex(CORPUS, vectors)

    # "unwell" and "sick", "boss" and "manager": no word in common, pieces close in context.
    sick, parking = index.alignment("can I text my boss to say I'm sick", [0, 1])
    permit = index.alignment("how do I get a car park permit", [1, 0])

    assert 0.0 < parking < sick <= 1.0
    assert permit[0] > permit[1]
    # Only the entries asked about, in the order asked; nothing to cover, nothing covered.
    assert index.alignment("can I text my boss to say I'm sick", [1]).tolist() == [parking]
    assert index.alignment("", [0, 1]).tolist() == [0.0, 0.0]
    assert index.alignment("can I text my boss", []).shape == (0,)


def test_an_index_keeping_few_word_pieces_reads_the_rest_and_aligns_the_same(vectors: Vectors) -> None:
    question = "can I text my boss to say I'm sick"
    roomy = SemanticIndex(CORPUS, vectors).alignment(question, [0, 1])

    # Room for one entry's pieces at most: the other entry's are read again when a question needs them.
    tight = SemanticIndex(CORPUS, vectors, kept_pieces=1)

    np.testing.assert_allclose(tight.alignment(question, [0, 1]), roomy, atol=1e-6)
    np.testing.assert_allclose(tight.alignment(question, [1, 0]), roomy[::-1], atol=1e-6)
