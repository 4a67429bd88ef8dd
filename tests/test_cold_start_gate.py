"""The CI gate for a new document: each evaluation document as imported, asked its independent questions.

`eval/documents/` holds HR Q&A documents written for measuring, each with questions by a writer who
saw only that document. Here each is loaded bare (question and answer only, as `faqbot import`
leaves it) and must stay safe: few wrong answers, out-of-scope questions escalated, and the right
entry answered or offered for most questions. The guards sit a little below what the documents
measure (README, "Cold start"), so a regression fails CI; only aggregate figures are printed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.cold_start import figures
from bot import Dialogue
from bot.evaluation import evaluate
from knowledge import Corpus, Ranker
from knowledge.cold_start import EvaluationDocument, bare, evaluation_documents, merged
from knowledge.embedding import Vectors
from knowledge.evaluation import load_labelled

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = list(evaluation_documents(ROOT / "eval" / "documents"))

MIN_CORRECT = 0.35
MAX_WRONG = 0.04
MIN_ESCALATED = 0.93
MIN_ANSWERED_OR_OFFERED = 0.82
OWN_FLOORS = {"speakup": (0.18, 0.75)}
"""Correct, and answered or offered, for a document measured below the common floors: its entries
are close to one another in meaning, so more questions get "Did you mean" (README, "Cold start")."""
TOGETHER_MIN_CORRECT = 0.95  # the shipped corpus's held-out set, with every document beside it
TOGETHER_MAX_LOSS = 0.06  # correct answers a document may lose beside all the others (measured: at most 5.1 points)
OWN_TOGETHER_MAX_LOSS = {"bank": 0.12}
"""Measured 10.4 points: on the questions it loses, the entries that share the probability are mostly
the attendance, uniform, gifts and flexible working documents' (README, "Cold start")."""


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.name)
async def test_a_document_as_imported_is_safe_from_day_one(document: EvaluationDocument, vectors: Vectors) -> None:
    corpus = bare(document.corpus)
    report = await evaluate(Dialogue(Ranker(corpus, vectors)), load_labelled(document.questions, corpus))
    found = figures(report)
    shown = (
        f"{document.name}: correct {found.correct:.1%}, offered {found.offered:.1%}, "
        f"wrong {found.wrong:.1%}, escalated {found.escalated:.1%}"
    )
    assert found.wrong <= MAX_WRONG, shown
    assert found.escalated >= MIN_ESCALATED, shown
    min_correct, min_answered_or_offered = OWN_FLOORS.get(document.name, (MIN_CORRECT, MIN_ANSWERED_OR_OFFERED))
    assert found.correct >= min_correct, shown
    assert found.correct + found.offered >= min_answered_or_offered, shown


async def test_documents_added_beside_the_curated_corpus_leave_it_answering(corpus: Corpus, vectors: Vectors) -> None:
    together = merged([corpus, *(bare(d.corpus) for d in DOCUMENTS)])
    questions = load_labelled(ROOT / "eval" / "heldout.yaml", corpus)
    report = await evaluate(Dialogue(Ranker(together, vectors)), questions)
    found = figures(report, {e.id for e in corpus.entries})
    shown = f"correct {found.correct:.1%}, wrong {found.wrong:.1%}, escalated {found.escalated:.1%}"
    assert found.correct >= TOGETHER_MIN_CORRECT and found.wrong <= 0.01, shown


async def test_a_document_beside_all_the_others_keeps_most_of_its_answers(corpus: Corpus, vectors: Vectors) -> None:
    together = merged([corpus, *(bare(d.corpus) for d in DOCUMENTS)])
    beside_all = Dialogue(Ranker(together, vectors))
    for document in DOCUMENTS:
        own = bare(document.corpus)
        alone = figures(await evaluate(Dialogue(Ranker(own, vectors)), load_labelled(document.questions, own)))
        questions = load_labelled(document.questions, together)
        beside = figures(await evaluate(beside_all, questions), {e.id for e in document.corpus.entries})
        shown = f"{document.name}: correct {alone.correct:.1%} alone, {beside.correct:.1%} beside the others"
        assert beside.correct >= alone.correct - OWN_TOGETHER_MAX_LOSS.get(document.name, TOGETHER_MAX_LOSS), shown
        assert beside.wrong <= MAX_WRONG and beside.escalated >= MIN_ESCALATED, shown
