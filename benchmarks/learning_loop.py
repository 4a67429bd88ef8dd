"""The learning loop, simulated: how a new document improves as staff use the bot and curators accept.

Run with `make learning-loop` (or `python -m benchmarks.learning_loop`). A document starts bare
(question and answer only). Staff questions arrive one by one; the simulated staff member does
what the cards let them: a right answer gets a 👍, a "Did you mean" that offers the right entry gets
a click, anything else goes to HR Direct. Each 👍 and click is a suggested alternate (`faqbot
suggestions`); an out-of-scope question the bot did not answer shows in `faqbot report` as
escalated, and the curator labels it out of scope. After every batch the curator accepts all of
them (through the same adoption rules as `faqbot adopt`: alternates and out-of-scope examples), and
the bot is measured on questions it never saw in the stream. An in-scope question that went to HR
Direct teaches nothing here (HR answering it is not yet recorded as a suggestion).

Two streams are run: the shipped corpus cut bare, fed the tuning questions and measured on the
held-out set; and each document of `eval/documents/`, fed the first four questions of each entry
and measured on the rest.
"""

from __future__ import annotations

import argparse
import asyncio
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.cold_start import Figures, figures
from bot import Dialogue
from bot.evaluation import evaluate
from bot.inbound import Inbound, Sender
from bot.replies import Answer, Clarify
from knowledge import Corpus, Ranker, load_corpus
from knowledge.adoption import plan_adoption
from knowledge.cold_start import bare, evaluation_documents
from knowledge.embedding import load_vectors
from knowledge.embedding.vectors import Vectors
from knowledge.evaluation import LabelledQuestion, load_labelled

ROOT = Path(__file__).resolve().parent.parent
_STAFF = Sender(id="simulated-staff")
STREAM_PER_ENTRY = 4
SEED = 7


@dataclass(frozen=True)
class Point:
    asked: int
    taught: int
    alternates: int
    examples: int
    figures: Figures


async def learn(
    corpus: Corpus,
    stream: Sequence[LabelledQuestion],
    measure: Sequence[LabelledQuestion],
    vectors: Vectors,
    batches: Sequence[int],
) -> list[Point]:
    """Measure on `measure`, then after each batch of `stream` (up to each of `batches`) is fed and adopted."""
    points: list[Point] = []
    asked = taught = 0
    dialogue = Dialogue(Ranker(corpus, vectors))
    for end in [0, *batches]:
        suggested: list[LabelledQuestion] = []
        for item in stream[asked:end]:
            reply = await dialogue.respond(Inbound(text=item.question, sender=_STAFF, conversation_id="simulation"))
            answered_right = isinstance(reply, Answer) and reply.entry.id == item.expected
            offered = isinstance(reply, Clarify) and item.expected in {e.id for e in reply.candidates}
            if item.in_scope and (answered_right or offered):
                suggested.append(item)  # a 👍 or a click
            elif not item.in_scope and not isinstance(reply, Answer):
                suggested.append(item)  # escalated; the curator labels it out of scope from the report
        asked = max(asked, min(end, len(stream)))
        if suggested:
            taught += len(suggested)
            corpus = plan_adoption(corpus, suggested).apply(corpus)
            dialogue = Dialogue(Ranker(corpus, vectors))
        report = await evaluate(dialogue, measure)
        alternates = sum(len(e.alternates) for e in corpus.entries)
        examples = sum(len(t.examples) for t in corpus.out_of_scope)
        points.append(Point(asked, taught, alternates, examples, figures(report)))
    return points


def split(
    questions: Sequence[LabelledQuestion], per_entry: int
) -> tuple[list[LabelledQuestion], list[LabelledQuestion]]:
    """The first `per_entry` questions of each entry and every other out-of-scope one stream, in an
    order shuffled with a fixed seed (staff do not ask entry by entry); the rest measure."""
    seen: dict[str | None, int] = {}
    stream, measure = [], []
    for item in questions:
        count = seen.get(item.expected, 0)
        seen[item.expected] = count + 1
        to_stream = count < per_entry if item.in_scope else count % 2 == 0
        (stream if to_stream else measure).append(item)
    random.Random(SEED).shuffle(stream)
    return stream, measure


def table(name: str, points: Sequence[Point]) -> str:
    lines = [
        f"**{name}**",
        "",
        "| questions asked | accepted | alternates | out-of-scope examples | correct | offered | wrong | escalated |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for p in points:
        f = p.figures
        lines.append(
            f"| {p.asked} | {p.taught} | {p.alternates} | {p.examples} | {f.correct:.1%} | {f.offered:.1%} "
            f"| {f.wrong:.1%} | {f.escalated:.1%} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents-only", action="store_true", help="skip the shipped corpus's longer stream")
    args = parser.parse_args()
    vectors = load_vectors(ROOT / "var" / "embeddings.sqlite3")
    if not args.documents_only:
        shipped = load_corpus(ROOT / "knowledge" / "data")
        stream = list(load_labelled(ROOT / "eval" / "tuning.yaml", shipped))
        random.Random(SEED).shuffle(stream)
        measure = load_labelled(ROOT / "eval" / "heldout.yaml", shipped)
        points = asyncio.run(learn(bare(shipped), stream, measure, vectors, (100, 200, 400, 800, 1600, len(stream))))
        print(table("shipped corpus, from bare: tuning questions stream, held-out measures", points) + "\n")
    for document in evaluation_documents(ROOT / "eval" / "documents"):
        stream, measure = split(load_labelled(document.questions, document.corpus), STREAM_PER_ENTRY)
        batches = tuple(sorted({len(stream) // 4, len(stream) // 2, 3 * len(stream) // 4, len(stream)}))
        points = asyncio.run(learn(bare(document.corpus), stream, measure, vectors, batches))
        print(
            table(f"{document.name} ({document.role}): {len(stream)} questions stream, {len(measure)} measure", points)
            + "\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
