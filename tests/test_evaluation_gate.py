"""The CI gate: the shipped corpus and bands, measured on the held-out labelled set.

The held-out set (eval/heldout.yaml) was written independently and is never tuned on; only its
aggregate rates are asserted here, so a failure prints figures, never its questions.
"""

from __future__ import annotations

from pathlib import Path

from bot import Dialogue
from bot.evaluation import Targets, evaluate
from knowledge import Corpus, Ranker
from knowledge.evaluation import load_labelled

HELDOUT = Path(__file__).resolve().parent.parent / "eval" / "heldout.yaml"

# The gate is the product's targets, Targets(): 95% correct, <= 1% wrong, >= 97% escalated. On the
# held-out set (805 questions from four independent writers, none a near-copy of a curated phrasing)
# the shipped ranker measures 96.3% correct, 0.7% wrong and 97.9% escalated (3.4% of in-scope
# questions get "Did you mean…?" instead), so a regression below any target fails CI.
GATE = Targets()


async def test_heldout_set_meets_the_gate(corpus: Corpus, ranker: Ranker) -> None:
    report = await evaluate(Dialogue(ranker), load_labelled(HELDOUT, corpus))
    figures = (
        f"correct {report.correct_rate:.1%}, wrong {report.wrong_rate:.1%}, "
        f"escalated {report.escalated_rate:.1%}, clarified {report.clarified_rate:.1%}"
    )
    assert report.shortfalls(GATE) == (), figures
