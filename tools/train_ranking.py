"""Fit the ranking weights (`knowledge.ranking.FITTED_WEIGHTS`) on the corpus's own phrasings.

    make train-ranking            # report only
    make train-ranking ARGS=--write   # and rewrite FITTED_WEIGHTS in knowledge/ranking.py

Cross-validation: the curated alternates and out-of-scope examples are shuffled (fixed seed) into
ten folds; each fold's phrasings are removed from the corpus and asked of the rest, so every
signal is measured as on a question the corpus has not seen. A conditional logit (one option per
candidate plus "none of them") is fitted by Newton's method with a small L2 penalty.

Before fitting on all folds it reports what the weights would do on questions they were not fitted
on (fit on nine folds, measure the tenth, for each fold) at several answer bands, so the dialogue's `answer_at`
can be chosen for a wrong-answer rate. Never run it on `eval/heldout.yaml`: that set measures.

Needs numpy (`pip install -e '.[train]'`); the bot itself does not.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import fields
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge import Corpus, load_corpus  # noqa: E402
from knowledge.ranking import EntrySignals, OutsideSignals, Ranker, RankingWeights, Weighing  # noqa: E402

FOLDS = 10
SEED = 7
L2 = 1e-4
BANDS = (0.6, 0.7, 0.75, 0.8, 0.85, 0.9)
SUGGEST_AT = 0.15


def folds(corpus: Corpus) -> list[tuple[Corpus, list[tuple[str, str | None]]]]:
    """(corpus without the fold's phrasings, the fold's phrasings with their entry id or None)."""
    items: list[tuple[str, str | int, int, str]] = []
    for entry in corpus.entries:
        items += [("entry", entry.id, i, text) for i, text in enumerate(entry.alternates)]
    for t, topic in enumerate(corpus.out_of_scope):
        items += [("outside", t, i, text) for i, text in enumerate(topic.examples)]
    random.Random(SEED).shuffle(items)
    result = []
    for fold in range(FOLDS):
        held = items[fold::FOLDS]
        dropped = {(kind, owner, i) for kind, owner, i, _ in held}
        entries = tuple(
            e.model_copy(update={"alternates": tuple(a for i, a in enumerate(e.alternates) if ("entry", e.id, i) not in dropped)})
            for e in corpus.entries
        )
        outside = []
        for t, topic in enumerate(corpus.out_of_scope):
            kept = tuple(x for i, x in enumerate(topic.examples) if ("outside", t, i) not in dropped)
            if kept:
                outside.append(topic.model_copy(update={"examples": kept}))
        reduced = corpus.model_copy(update={"entries": entries, "out_of_scope": tuple(outside)})
        result.append((reduced, [(text, str(owner) if kind == "entry" else None) for kind, owner, _, text in held]))
    return result


class Example:
    """One question's options as arrays: X (candidates x entry signals), z (outside signals), target."""

    def __init__(self, weighing: Weighing, expected: str | None) -> None:
        self.ids = [c.entry.id for c in weighing.candidates]
        width = len(fields(EntrySignals))
        self.X = np.array([list(vars(s).values()) for s in weighing.signals], dtype=float).reshape(-1, width)
        self.z = np.array(list(vars(weighing.outside).values()), dtype=float)
        self.target = self.ids.index(expected) if expected in self.ids else len(self.ids)
        self.expected = expected

    def design(self) -> np.ndarray:
        """One row per option: entry signals (and zeros) for candidates, outside signals and 1 for none."""
        n, width = self.X.shape
        rows = np.zeros((n + 1, width + len(self.z) + 1))
        rows[:n, :width] = self.X
        rows[n, width:-1] = self.z
        rows[n, -1] = 1.0
        return rows


def fit(examples: list[Example]) -> np.ndarray:
    """Newton's method on the conditional-logit log-likelihood with an L2 penalty (not on the bias)."""
    designs = [e.design() for e in examples]
    size = designs[0].shape[1]
    theta = np.zeros(size)
    penalty = np.full(size, 2 * L2)
    penalty[-1] = 0.0
    for _ in range(50):
        gradient = penalty * theta
        hessian = np.diag(penalty)
        for example, D in zip(examples, designs, strict=True):
            s = D @ theta
            p = np.exp(s - s.max())
            p /= p.sum()
            mean = p @ D
            y = np.zeros(len(p))
            y[example.target] = 1.0
            gradient += (D.T @ (p - y)) / len(examples)
            hessian += ((D.T * p) @ D - np.outer(mean, mean)) / len(examples)
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.abs(step).max() < 1e-8:
            break
    return theta


def weights_of(theta: np.ndarray) -> RankingWeights:
    width = len(fields(EntrySignals))
    entry = [round(float(v), 4) for v in theta[:width]]
    outside = [round(float(v), 4) for v in theta[width:-1]]
    return RankingWeights(
        entry=EntrySignals(*entry), outside=OutsideSignals(*outside), bias=round(float(theta[-1]), 4)
    )


def outcomes(examples: list[Example], weights: RankingWeights, weighings: list[Weighing], answer_at: float) -> dict[str, float]:
    counts = dict.fromkeys(("correct", "clarified", "wrong", "in", "out", "escalated"), 0)
    for example, weighing in zip(examples, weighings, strict=True):
        probabilities = sorted(zip(Ranker.probabilities(weighing, weights), example.ids, strict=True), reverse=True) if example.ids else []
        answered = probabilities[0][1] if probabilities and probabilities[0][0] >= answer_at else None
        offered = bool(probabilities) and probabilities[0][0] >= SUGGEST_AT
        if example.expected is None:
            counts["out"] += 1
            counts["escalated"] += answered is None
        else:
            counts["in"] += 1
            counts["correct"] += answered == example.expected
            counts["clarified"] += answered is None and offered
        counts["wrong"] += answered is not None and answered != example.expected
    total = counts["in"] + counts["out"]
    return {
        "correct": 100 * counts["correct"] / counts["in"],
        "clarified": 100 * counts["clarified"] / counts["in"],
        "wrong": 100 * counts["wrong"] / total,
        "escalated": 100 * counts["escalated"] / max(1, counts["out"]),
    }


def literal(weights: RankingWeights) -> str:
    entry = ",\n".join(f"        {f.name}={getattr(weights.entry, f.name)!r}" for f in fields(EntrySignals))
    outside = ",\n".join(f"        {f.name}={getattr(weights.outside, f.name)!r}" for f in fields(OutsideSignals))
    return (
        "FITTED_WEIGHTS = RankingWeights(\n    entry=EntrySignals(\n" + entry + ",\n    ),\n"
        "    outside=OutsideSignals(\n" + outside + ",\n    ),\n" + f"    bias={weights.bias!r},\n)\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "knowledge" / "data")
    parser.add_argument("--write", action="store_true", help="rewrite FITTED_WEIGHTS in knowledge/ranking.py")
    args = parser.parse_args()
    corpus = load_corpus(args.corpus)
    per_fold: list[tuple[list[Example], list[Weighing]]] = []
    for reduced, questions in folds(corpus):
        ranker = Ranker(reduced)
        weighings = [ranker.weigh(q) for q, _ in questions]
        per_fold.append(([Example(w, e) for w, (_, e) in zip(weighings, questions, strict=True)], weighings))
    print(f"{sum(len(x) for x, _ in per_fold)} phrasings in {FOLDS} folds")
    print(
        f"fitted on {FOLDS - 1} folds, measured on the other, for each fold "
        "(% correct / clarified of in-scope, wrong of all, escalated of out-of-scope):"
    )
    for answer_at in BANDS:
        totals = dict.fromkeys(("correct", "clarified", "wrong", "escalated"), 0.0)
        for k, (test, test_weighings) in enumerate(per_fold):
            train = [e for j, (x, _) in enumerate(per_fold) if j != k for e in x]
            result = outcomes(test, weights_of(fit(train)), test_weighings, answer_at)
            for key in totals:
                totals[key] += result[key] / FOLDS
        print(f"  answer_at {answer_at:.2f}: " + "  ".join(f"{k} {v:5.1f}" for k, v in totals.items()))
    weights = weights_of(fit([e for x, _ in per_fold for e in x]))
    text = literal(weights)
    print(text)
    if args.write:
        path = ROOT / "knowledge" / "ranking.py"
        source = path.read_text(encoding="utf-8")
        updated, found = re.subn(r"FITTED_WEIGHTS = RankingWeights\(\n.*?\n\)\n", lambda _: text, source, flags=re.DOTALL)
        if found != 1:
            print("FITTED_WEIGHTS block not found in knowledge/ranking.py", file=sys.stderr)
            return 1
        path.write_text(updated, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
