"""The corpus the bot ships with: complete, faithful to its source, and self-consistent."""

from __future__ import annotations

from pathlib import Path

from bot import Answer, Dialogue, Inbound, Sender
from knowledge import Corpus, Matcher, Ranker
from knowledge.importing import import_document

SOURCE = Path(__file__).resolve().parents[2] / "knowledge" / "data" / "social-media-qa-2024-06.txt"


def test_one_entry_per_source_question(corpus: Corpus) -> None:
    sources = [entry.source for entry in corpus.entries]
    expected = [f"Q{n}" for n in range(1, 18)] + [f"Q18({letter})" for letter in "abcd"]
    assert sources == expected


def test_answers_are_the_source_text_word_for_word(corpus: Corpus) -> None:
    source_words = " ".join(SOURCE.read_text(encoding="utf-8").split())
    for entry in corpus.entries:
        assert " ".join(entry.answer.split()) in source_words, entry.id
        assert " ".join(entry.question.split()) in source_words, entry.id


def test_the_page_break_join_changed_no_word(corpus: Corpus) -> None:
    entry = corpus.entry("sickness-absence-checking-in")
    assert entry is not None
    source_words = SOURCE.read_text(encoding="utf-8").split()
    answer_words = entry.answer.split()
    start = source_words.index(answer_words[0])
    assert source_words[start : start + len(answer_words)] == answer_words


def test_importing_the_source_reproduces_questions_answers_and_references(corpus: Corpus) -> None:
    imported = import_document(SOURCE.read_text(encoding="utf-8"))
    by_source = {entry.source: entry for entry in corpus.entries}
    assert [q.source for q in imported.questions] == list(by_source)
    for question in imported.questions:
        entry = by_source[question.source]
        assert (question.question, question.answer, question.references) == (
            entry.question,
            entry.answer,
            entry.references,
        )
    assert imported.owner == "Employment Policy & Social Media Team"
    assert {e.owner for e in corpus.entries} == {imported.owner}
    assert {e.last_reviewed for e in corpus.entries} == {imported.last_reviewed}


def test_every_related_and_reference_is_usable(corpus: Corpus) -> None:
    for entry in corpus.entries:
        assert entry.references, entry.id
        assert entry.id not in entry.related


def test_every_alternate_retrieves_its_own_entry(corpus: Corpus, matcher: Matcher) -> None:
    for entry in corpus.entries:
        for phrase in (entry.question, *entry.alternates):
            best = matcher.rank(phrase, limit=1)
            assert best and best[0].entry.id == entry.id, (entry.id, phrase)


def test_no_alternate_is_closer_to_another_entry(corpus: Corpus, matcher: Matcher) -> None:
    for entry in corpus.entries:
        for phrase in (entry.question, *entry.alternates):
            ranked = matcher.rank(phrase, limit=len(corpus.entries))
            own = next(m.confidence for m in ranked if m.entry.id == entry.id)
            closer = [m.entry.id for m in ranked if m.entry.id != entry.id and m.confidence >= own]
            assert closer == [], (entry.id, phrase, closer)


async def test_every_phrasing_typed_by_staff_gets_its_own_answer(corpus: Corpus, ranker: Ranker) -> None:
    # With the shipped bands: a curated phrasing is answered outright, never "Did you mean…?".
    dialogue = Dialogue(ranker)
    for entry in corpus.entries:
        for phrase in (entry.question, *entry.alternates):
            reply = await dialogue.respond(Inbound(text=phrase, sender=Sender(id="curator"), conversation_id="c"))
            assert isinstance(reply, Answer) and reply.entry.id == entry.id, (entry.id, phrase, reply)


def test_every_entry_has_enough_curated_phrasings(corpus: Corpus) -> None:
    for entry in corpus.entries:
        assert len(entry.alternates) >= 10, entry.id
        assert len(set(entry.alternates)) == len(entry.alternates), entry.id
