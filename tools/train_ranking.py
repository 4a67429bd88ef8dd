"""Fit the ranking weights (`knowledge.weights.FITTED_WEIGHTS`) on questions the corpus does not hold.

    make train-ranking                # report only
    make train-ranking ARGS=--write   # and rewrite the weights in knowledge/weights.py

The weights must hold both for a curated corpus and for a document imported yesterday, so they are
fitted on three kinds of example, each of which asks a corpus questions it has not seen:

- **curated**: the shipped corpus's alternates and out-of-scope examples, shuffled (fixed seed)
  into ten folds; each fold is removed from the corpus and asked of the rest;
- **cold shipped**: the shipped corpus cut to what a new document has (questions, answers, topics:
  no alternates, keywords, synonyms or out-of-scope examples), asked every alternate and every
  out-of-scope example;
- **partly curated shipped**: bare again, but each entry keeps a few of its alternates, as after the
  first weeks of the learning loop, asked the other alternates and the out-of-scope examples;
- **tuning documents**: the policy documents under `eval/documents/` marked `tuning`, asked their
  question sets: bare, bare beside the shipped corpus, and with three of each entry's questions as
  alternates (asked the rest).

Each kind weighs the same in the fit. A conditional logit (one option per candidate plus "none of
them") is fitted by Newton's method with a small L2 penalty. Before fitting on everything it reports,
for each kind, what weights fitted without that kind (curated: without that fold) do on it, at
several answer bands. Documents marked `held-out` are never read here: they measure.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge import Corpus, load_corpus  # noqa: E402
from knowledge.cold_start import bare, evaluation_documents, merged  # noqa: E402
from knowledge.embedding import load_vectors  # noqa: E402
from knowledge.embedding.vectors import Vectors  # noqa: E402
from knowledge.evaluation import load_labelled  # noqa: E402
from knowledge.ranking import Ranker, Weighing  # noqa: E402
from knowledge.signals import EntrySignals, FittedWeights, OutsideSignals, RankingWeights  # noqa: E402

FOLDS = 10
SEED = 7
L2 = 1e-4
BANDS = (0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.93, 0.95)
SUGGEST_AT = 0.15
PARTLY_CURATED = (2, 5)
"""Alternates an entry keeps in the partly curated examples (the learning loop's first weeks)."""
PARTLY_ASKED = 1000
SETTLED_AT = (0.9, 0.95, 0.97, 0.99)
UNCURATED_ONLY = ("whole_meaning", "whole_lead")
"""Signals held at 0 in the curated regime: an entry's whole text speaks for it while it has no
wordings; a curated entry's wordings say more (cross-validated, the curated regime gained nothing
from them)."""


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
            e.model_copy(
                update={"alternates": tuple(a for i, a in enumerate(e.alternates) if ("entry", e.id, i) not in dropped)}
            )
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
        self.weighing = weighing
        self.ids = [c.entry.id for c in weighing.candidates]
        width = len(fields(EntrySignals))
        self.X = np.array([list(vars(s).values()) for s in weighing.signals], dtype=float).reshape(-1, width)
        self.z = np.array(list(vars(weighing.outside).values()), dtype=float)
        self.target = self.ids.index(expected) if expected in self.ids else len(self.ids)
        self.expected = expected

    def design(self) -> np.ndarray:
        """One row per option, over both regimes' weights (entry, outside, bias; curated then uncurated):
        a candidate's signals split by its entry's curation, "none"'s by `outside_curation`."""
        n, width = self.X.shape
        half = width + len(self.z) + 1
        rows = np.zeros((n + 1, 2 * half))
        curation = np.array(self.weighing.curation or (1.0,) * n)[:, None]
        rows[:n, :width] = curation * self.X
        rows[:n, half : half + width] = (1 - curation) * self.X
        o = self.weighing.outside_curation
        for start, share in ((0, o), (half, 1 - o)):
            rows[n, start + width : start + half - 1] = share * self.z
            rows[n, start + half - 1] = share
        return rows


@dataclass
class Group:
    """Examples of one kind; `parts` are what is left out in turn when measuring (folds, or the whole).

    Groups of one `source` (a document, or the shipped corpus's cut-down forms) ask the same
    questions, so measuring one leaves them all out.
    """

    name: str
    parts: list[list[Example]]
    source: str
    weight: float = 1.0

    @property
    def examples(self) -> list[Example]:
        return [e for part in self.parts for e in part]


def fit(weighted: Iterable[tuple[list[Example], float]]) -> np.ndarray:
    """Newton's method on the weighted conditional-logit log-likelihood, L2 penalty (not on the bias)."""
    rows = [(e, e.design(), w / len(examples)) for examples, w in weighted for e in examples]
    total = sum(w for _, _, w in rows)
    size = rows[0][1].shape[1]
    theta = np.zeros(size)
    penalty = np.full(size, 2 * L2)
    penalty[size // 2 - 1] = penalty[-1] = 1e-9  # the two biases: all but free (a regime with no data stays 0)
    names = [f.name for f in fields(EntrySignals)]
    for name in UNCURATED_ONLY:
        penalty[names.index(name)] = 1e9  # held at 0 in the curated regime
    for _ in range(50):
        gradient = penalty * theta
        hessian = np.diag(penalty)
        for example, features, w in rows:
            s = features @ theta
            p = np.exp(s - s.max())
            p /= p.sum()
            mean = p @ features
            y = np.zeros(len(p))
            y[example.target] = 1.0
            gradient += w * (features.T @ (p - y)) / total
            hessian += w * ((features.T * p) @ features - np.outer(mean, mean)) / total
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.abs(step).max() < 1e-8:
            break
    return theta


def weights_of(theta: np.ndarray) -> FittedWeights:
    width = len(fields(EntrySignals))
    half = len(theta) // 2

    def regime(part: np.ndarray) -> RankingWeights:
        values = [round(float(v), 4) for v in part]
        return RankingWeights(
            entry=EntrySignals(*values[:width]), outside=OutsideSignals(*values[width:-1]), bias=values[-1]
        )

    return FittedWeights(curated=regime(theta[:half]), uncurated=regime(theta[half:]))


def outcomes(examples: list[Example], weights: RankingWeights, answer_at: float) -> dict[str, float]:
    counts = dict.fromkeys(("correct", "clarified", "wrong", "in", "out", "escalated"), 0)
    for example in examples:
        probabilities = Ranker.probabilities(example.weighing, weights)
        ranked = sorted(zip(probabilities, example.ids, strict=True), reverse=True)
        answered = ranked[0][1] if ranked and ranked[0][0] >= answer_at else None
        offered = any(p >= SUGGEST_AT and i == example.expected for p, i in ranked[:3])
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
        "correct": 100 * counts["correct"] / max(1, counts["in"]),
        "offered": 100 * counts["clarified"] / max(1, counts["in"]),
        "wrong": 100 * counts["wrong"] / max(1, total),
        "escalated": 100 * counts["escalated"] / max(1, counts["out"]),
    }


def regime_literal(part: RankingWeights, indent: str) -> str:
    entry = "".join(f"{indent}        {f.name}={getattr(part.entry, f.name)!r},\n" for f in fields(EntrySignals))
    outside = "".join(f"{indent}        {f.name}={getattr(part.outside, f.name)!r},\n" for f in fields(OutsideSignals))
    return (
        f"RankingWeights(\n{indent}    entry=EntrySignals(\n{entry}{indent}    ),\n"
        f"{indent}    outside=OutsideSignals(\n{outside}{indent}    ),\n{indent}    bias={part.bias!r},\n{indent})\n"
    )


def literal(weights: FittedWeights) -> str:
    curated = regime_literal(weights.curated, "    ").rstrip("\n")
    uncurated = regime_literal(weights.uncurated, "    ").rstrip("\n")
    return f"FITTED_WEIGHTS = FittedWeights(\n    curated={curated},\n    uncurated={uncurated},\n)\n"


def asked(
    corpus: Corpus, questions: list[tuple[str, str | None]], vectors: Vectors, *, meaning: bool = True
) -> list[Example]:
    ranker = Ranker(corpus, vectors)
    return [Example(ranker.weigh(q, meaning=meaning), expected) for q, expected in questions]


def lexical_weights(examples: list[Example]) -> RankingWeights:
    """The curated regime's weights fitted on lexical weighings alone (every curation is 1)."""
    return weights_of(fit([(examples, 1.0)])).curated


def settling(folds_examples: list[list[Example]]) -> None:
    """How often the lexical weights alone settle a question, and how often a settled answer is wrong,
    with weights fitted without the fold measured."""
    print("settled on the lexical signals alone (curated folds; % of questions settled, % of settled not right):")
    for settled_at in SETTLED_AT:
        settled = wrong = total = 0
        for k, part in enumerate(folds_examples):
            weights = lexical_weights([e for j, p in enumerate(folds_examples) if j != k for e in p])
            for example in part:
                total += 1
                probabilities = Ranker.lexical_probabilities(example.weighing, weights)
                if not probabilities:
                    continue
                best = max(range(len(probabilities)), key=probabilities.__getitem__)
                if probabilities[best] >= settled_at or example.weighing.verbatim is not None:
                    settled += 1
                    wrong += example.ids[best] != example.expected
        print(
            f"  settled_at {settled_at:.2f}: settled {100 * settled / total:5.1f}  "
            f"not right {100 * wrong / max(1, settled):5.2f}"
        )


def partly_curated(corpus: Corpus, keep: int, seed: int) -> tuple[Corpus, list[tuple[str, str | None]]]:
    """`corpus` bare but for `keep` alternates of each entry (drawn with `seed`), and the other
    alternates and the out-of-scope examples as questions: a document some weeks into the learning loop."""
    rng = random.Random(seed)
    entries, questions = [], []
    for entry in bare(corpus).entries:
        alternates = list(corpus.entry(entry.id).alternates)  # type: ignore[union-attr]
        rng.shuffle(alternates)
        entries.append(entry.model_copy(update={"alternates": tuple(alternates[:keep])}))
        questions += [(text, entry.id) for text in alternates[keep:]]
    questions += [(text, None) for topic in corpus.out_of_scope for text in topic.examples]
    rng.shuffle(questions)
    return corpus.model_copy(update={"entries": tuple(entries), "synonyms": (), "out_of_scope": ()}), questions


def with_alternates(
    corpus: Corpus, labelled: list[tuple[str, str | None]], keep: int
) -> tuple[Corpus, list[tuple[str, str | None]]]:
    """A document's first `keep` labelled questions of each entry as its alternates, the rest as questions."""
    taken: dict[str, list[str]] = {}
    asked = []
    for text, expected in labelled:
        if expected is not None and len(taken.setdefault(expected, [])) < keep:
            taken[expected].append(text)
        else:
            asked.append((text, expected))
    entries = tuple(e.model_copy(update={"alternates": tuple(taken.get(e.id, ()))}) for e in corpus.entries)
    return corpus.model_copy(update={"entries": entries}), asked


def groups(corpus: Corpus, vectors: Vectors) -> list[Group]:
    curated = [asked(reduced, questions, vectors) for reduced, questions in folds(corpus)]
    questions = [(text, e.id) for e in corpus.entries for text in e.alternates]
    questions += [(text, None) for topic in corpus.out_of_scope for text in topic.examples]
    cold = [Group("cold shipped", [asked(bare(corpus), questions, vectors)], "shipped bare")]
    for keep in PARTLY_CURATED:
        partly, rest = partly_curated(corpus, keep, seed=SEED + keep)
        cold.append(
            Group(
                f"shipped with {keep} alternates an entry",
                [asked(partly, rest[:PARTLY_ASKED], vectors)],
                "shipped bare",
            )
        )
    for document in evaluation_documents(ROOT / "eval" / "documents", "tuning"):
        labelled = load_labelled(document.questions, document.corpus)
        items = [(q.question, q.expected) for q in labelled]
        name = document.name
        cold.append(Group(f"cold {name}", [asked(bare(document.corpus), items, vectors)], name))
        beside = merged([corpus, bare(document.corpus)])
        cold.append(Group(f"cold {name} beside the shipped corpus", [asked(beside, items, vectors)], name))
        partly, rest = with_alternates(bare(document.corpus), items, keep=3)
        cold.append(Group(f"{name} with 3 alternates an entry", [asked(partly, rest, vectors)], name))
    # The curated corpus weighs as much as every other kind together: it is what staff use today.
    return [Group("curated", curated, "shipped curated", weight=len(cold)), *cold]


def report(all_groups: list[Group]) -> None:
    print("measured on each kind with weights fitted without its source (curated: without the fold)")
    print("(% correct / offered of in-scope, wrong of all, escalated of out-of-scope):")
    for group in all_groups:
        others = [(g.examples, g.weight) for g in all_groups if g.source != group.source]
        per_part = []
        for k, part in enumerate(group.parts):
            rest = [p for j, p in enumerate(group.parts) if j != k]
            training = others + ([([e for p in rest for e in p], group.weight)] if rest else [])
            per_part.append((part, weights_of(fit(training))))
        print(f"  {group.name} ({len(group.examples)} questions)")
        for answer_at in BANDS:
            totals = dict.fromkeys(("correct", "offered", "wrong", "escalated"), 0.0)
            for part, weights in per_part:
                for key, value in outcomes(part, weights, answer_at).items():
                    totals[key] += value * len(part) / len(group.examples)
            print(f"    answer_at {answer_at:.2f}: " + "  ".join(f"{k} {v:5.1f}" for k, v in totals.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "knowledge" / "data")
    parser.add_argument("--write", action="store_true", help="rewrite the weights in knowledge/weights.py")
    parser.add_argument("--no-report", action="store_true", help="fit on everything without measuring first")
    args = parser.parse_args()
    vectors = load_vectors(ROOT / "var" / "embeddings.sqlite3")
    corpus = load_corpus(args.corpus)
    all_groups = groups(corpus, vectors)
    lexical_folds = [asked(reduced, questions, vectors, meaning=False) for reduced, questions in folds(corpus)]
    if not args.no_report:
        report(all_groups)
        settling(lexical_folds)
    text = literal(weights_of(fit([(g.examples, g.weight) for g in all_groups])))
    lexical = "LEXICAL_WEIGHTS = " + regime_literal(lexical_weights([e for p in lexical_folds for e in p]), indent="")
    print(text + "\n" + lexical)
    if args.write:
        path = ROOT / "knowledge" / "weights.py"
        source = path.read_text(encoding="utf-8")
        for pattern, replacement in (
            (r"FITTED_WEIGHTS = FittedWeights\(\n.*?\n\)\n", text),
            (r"LEXICAL_WEIGHTS = RankingWeights\(.*?\n\)\n", lexical),
        ):
            source, found = re.subn(pattern, lambda _, r=replacement: r, source, count=1, flags=re.DOTALL)
            if found != 1:
                print(f"{pattern.split(' =')[0]} not found in knowledge/weights.py", file=sys.stderr)
                return 1
        path.write_text(source, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
