"""Cold start: how the bot does on a policy document nobody has curated yet.

Run with `make cold-start` (or `python -m benchmarks.cold_start`). For each case the documents are
loaded as imported, with question, answer, references and topic only (`knowledge.cold_start.bare`),
and asked questions written by people who saw only the document:

- the shipped corpus cut bare, asked `eval/heldout.yaml`;
- each document of `eval/documents/` alone (and, for a document that came with alternate questions,
  such as a question answering export, as imported with them);
- all of them together beside the shipped corpus as curated (each document's own questions, and
  the shipped held-out set, so the effect of adding documents on the curated one shows).

The bot's figures come from the dialogue staff meet (`bot.evaluation`): correct (answered with the
right entry), offered (not answered, the right entry among "Did you mean"), wrong (an answer card
with another entry, or any answer to an out-of-scope question, of all questions), escalated
(out-of-scope questions given no answer card); with several documents, an out-of-scope question
answered from another document is counted apart ("answered elsewhere": the other document may well
answer it) and left out of wrong and escalated. Beside them, two baselines on the same questions:
BM25, the sentence encoder and its word pieces in context (`SemanticIndex.alignment`) alone, each
over question and answer, with the share ranked first and the share answered correctly at the best
threshold in hindsight that keeps wrong answers <= 2%.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot import Dialogue
from bot.evaluation import Outcome, Report, evaluate
from knowledge import Corpus, Ranker, load_corpus
from knowledge.cold_start import EvaluationDocument, bare, evaluation_documents, merged
from knowledge.embedding import load_vectors
from knowledge.embedding.index import SemanticIndex
from knowledge.embedding.vectors import Vectors
from knowledge.evaluation import LabelledQuestion, load_labelled

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "knowledge" / "data"
DOCUMENTS = ROOT / "eval" / "documents"
HELD_OUT = ROOT / "eval" / "heldout.yaml"
MAX_WRONG = 0.02


@dataclass(frozen=True)
class Figures:
    correct: float
    offered: float
    wrong: float
    escalated: float
    questions: int
    elsewhere: float = 0.0
    """Share of out-of-scope questions answered from another document of the bot (not counted wrong)."""


@dataclass(frozen=True)
class Row:
    case: str
    bot: Figures
    bm25_first: float
    bm25_safe: float
    encoder_first: float
    encoder_safe: float
    pieces_first: float
    pieces_safe: float


def figures(report: Report, own: Collection[str] | None = None) -> Figures:
    """The report's rates; with `own` (the entry ids of the document the questions were written for),
    an out-of-scope question answered from another document counts apart, neither wrong nor escalated."""
    in_scope = [r for r in report.results if r.item.in_scope]
    out = [r for r in report.results if not r.item.in_scope]
    offered = sum(1 for r in in_scope if r.outcome is Outcome.CLARIFIED and r.item.expected in r.offered)
    elsewhere = [r for r in out if own is not None and r.answered is not None and r.answered not in own]
    wrong = sum(1 for r in report.results if r.outcome is Outcome.WRONG) - len(elsewhere)
    counted = len(report.results) - len(elsewhere)
    escalated = sum(1 for r in out if r.outcome is Outcome.ESCALATED)
    return Figures(
        correct=report.correct_rate,
        offered=offered / len(in_scope) if in_scope else 0.0,
        wrong=wrong / counted if counted else 0.0,
        escalated=escalated / (len(out) - len(elsewhere)) if len(out) > len(elsewhere) else 1.0,
        questions=len(report.results),
        elsewhere=len(elsewhere) / len(out) if out else 0.0,
    )


class Bm25:
    """Okapi BM25 over each entry's question and answer (lower-cased words; k1 1.2, b 0.75)."""

    def __init__(self, corpus: Corpus) -> None:
        self._documents = [Counter(_words(f"{e.question} {e.answer}")) for e in corpus.entries]
        lengths = [sum(d.values()) for d in self._documents]
        self._average = sum(lengths) / len(lengths)
        self._lengths = lengths
        frequency = Counter(w for d in self._documents for w in d)
        n = len(self._documents)
        self._idf = {w: math.log(1 + (n - f + 0.5) / (f + 0.5)) for w, f in frequency.items()}

    def scores(self, question: str) -> list[float]:
        words = set(_words(question))
        result = []
        for document, length in zip(self._documents, self._lengths, strict=True):
            norm = 1.2 * (0.25 + 0.75 * length / self._average)
            result.append(sum(self._idf[w] * document[w] * 2.2 / (document[w] + norm) for w in words if w in document))
        return result


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def baseline(scored: list[tuple[list[float], str | None]], ids: list[str]) -> tuple[float, float]:
    """(share of in-scope questions whose right entry scores highest, share answered correctly at the
    threshold in hindsight that keeps wrong answers, of all questions, <= MAX_WRONG)."""
    tops = []
    for scores, expected in scored:
        best = max(range(len(scores)), key=scores.__getitem__)
        tops.append((scores[best], ids[best] == expected, expected))
    in_scope = sum(1 for *_, expected in tops if expected is not None)
    first = sum(1 for _, right, expected in tops if right and expected is not None) / in_scope
    correct = wrong = 0
    best_correct = 0
    for _, right, _expected in sorted(tops, key=lambda t: t[0], reverse=True):
        correct += right
        wrong += not right
        if wrong / len(tops) <= MAX_WRONG:
            best_correct = max(best_correct, correct)
    return first, best_correct / in_scope


def measure(
    case: str, corpus: Corpus, questions: Sequence[LabelledQuestion], vectors: Vectors, own: Corpus | None = None
) -> Row:
    """The bot and both baselines on `questions`; `own` is the document they were written for, when
    `corpus` holds others too."""
    report = asyncio.run(evaluate(Dialogue(Ranker(corpus, vectors)), questions))
    ids = [e.id for e in corpus.entries]
    bm25, meaning = Bm25(corpus), SemanticIndex(bare(corpus), vectors)
    bm25_first, bm25_safe = baseline([(bm25.scores(q.question), q.expected) for q in questions], ids)
    encoded = [(meaning.closeness(q.question).best().tolist(), q.expected) for q in questions]
    encoder_first, encoder_safe = baseline(encoded, ids)
    everything = list(range(len(ids)))
    aligned = [(meaning.alignment(q.question, everything).tolist(), q.expected) for q in questions]
    pieces_first, pieces_safe = baseline(aligned, ids)
    own_ids = {e.id for e in own.entries} if own is not None else None
    return Row(
        case, figures(report, own_ids), bm25_first, bm25_safe, encoder_first, encoder_safe, pieces_first, pieces_safe
    )


def rows(vectors: Vectors, role: str | None) -> list[Row]:
    shipped = load_corpus(SHIPPED)
    documents: list[EvaluationDocument] = list(evaluation_documents(DOCUMENTS, role))
    held_out = load_labelled(HELD_OUT, shipped)
    result = [measure("shipped corpus, bare (held-out questions)", bare(shipped), held_out, vectors)]
    for document in documents:
        questions = load_labelled(document.questions, document.corpus)
        result.append(measure(f"{document.name} ({document.role}), alone", bare(document.corpus), questions, vectors))
        if any(entry.alternates for entry in document.corpus.entries):
            # A document that brings its own wordings (a question answering export): as imported too.
            case = f"{document.name} ({document.role}), alone, with the alternates it came with"
            result.append(measure(case, document.corpus, questions, vectors))
    together = merged([shipped, *(bare(d.corpus) for d in documents)])
    result.append(measure("shipped corpus, curated, alone (held-out)", shipped, held_out, vectors))
    result.append(
        measure("shipped corpus, curated, with all documents (held-out)", together, held_out, vectors, shipped)
    )
    for document in documents:
        questions = load_labelled(document.questions, together)
        row = measure(
            f"{document.name} ({document.role}), with all documents", together, questions, vectors, document.corpus
        )
        result.append(row)
    return result


def table(found: Sequence[Row]) -> str:
    lines = [
        "| case | questions | correct | offered | wrong | escalated | answered elsewhere | BM25 first / safe "
        "| encoder first / safe | word pieces first / safe |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in found:
        b = row.bot
        lines.append(
            f"| {row.case} | {b.questions} | {b.correct:.1%} | {b.offered:.1%} | {b.wrong:.1%} | {b.escalated:.1%} "
            f"| {b.elsewhere:.1%} "
            f"| {row.bm25_first:.1%} / {row.bm25_safe:.1%} | {row.encoder_first:.1%} / {row.encoder_safe:.1%} "
            f"| {row.pieces_first:.1%} / {row.pieces_safe:.1%} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--role", choices=("tuning", "held-out"), help="only the documents of this role")
    args = parser.parse_args()
    vectors = load_vectors(ROOT / "var" / "embeddings.sqlite3")
    print(table(rows(vectors, args.role)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
