"""Match latency, index build time and memory: the shipped corpus and synthetic 1,000/10,000-entry ones.

Run with `make bench` (or `python -m benchmarks.bench_matching`). Pinned to one core where the OS
allows. The first run encodes the synthetic corpora's texts into the vector cache
(`var/embeddings.sqlite3`), which takes tens of minutes at 10,000 entries; later runs reuse it. Figures are
printed with a baseline measured in the same run: the skeleton's matcher
(rapidfuzz token_set_ratio over every question and alternate), so ratios hold across machines.
Synthetic corpora are generated from a fixed seed: words drawn from a Zipf-like vocabulary of the
English words the tokenizer reads as one token (so a synthetic text costs the encoder what a real one
of as many words does), each
entry with a question, 15 alternates, 6 keywords and a 120-word answer, i.e. larger than the
shipped entries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

from rapidfuzz import fuzz, process

from knowledge import Corpus, Entry, Matcher, PolicyReference, Ranker, load_corpus
from knowledge.embedding import Vectors, load_vectors
from knowledge.embedding.model_files import locate
from knowledge.normalize import Normalizer

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "knowledge" / "data"


class SkeletonMatcher:
    """The baseline: token_set_ratio of the normalised question against every phrase."""

    def __init__(self, corpus: Corpus) -> None:
        self._normalizer = Normalizer(corpus.synonyms)
        self._texts = [
            " ".join(self._normalizer.tokens(p)) for e in corpus.entries for p in (e.question, *e.alternates)
        ]

    def rank(self, question: str, *, limit: int = 3) -> object:
        query = " ".join(self._normalizer.tokens(question))
        return process.extract(query, self._texts, scorer=fuzz.token_set_ratio, processor=None, limit=limit)


def synthetic_corpus(entries: int, seed: int = 7) -> Corpus:
    rng = random.Random(seed)
    vocabulary = _whole_words()
    rng.shuffle(vocabulary)
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]  # Zipf: a few words are everywhere

    def words(count: int) -> str:
        return " ".join(rng.choices(vocabulary, weights, k=count))

    made = []
    for index in range(entries):
        made.append(
            Entry(
                id=f"entry-{index}",
                question=words(12) + "?",
                alternates=tuple(words(rng.randint(5, 10)) for _ in range(15)),
                answer=words(120),
                references=(PolicyReference(name="Synthetic policy"),),
                topic="synthetic",
                owner="Benchmark",
                last_reviewed=dt.date(2024, 6, 1),
                source=f"Q{index}",
                keywords=tuple(words(1) for _ in range(6)),
            )
        )
    return Corpus(entries=tuple(made))


def _whole_words() -> list[str]:
    """Words the encoder's tokenizer reads as one token each (about 20,000 English words), sorted: a
    synthetic text then costs the encoder what a staff text of as many words costs."""
    vocabulary = json.loads(locate().tokenizer.read_text(encoding="utf-8"))["model"]["vocab"]
    return sorted(word for word in vocabulary if len(word) >= 3 and word.isascii() and word.isalpha())


def queries_for(corpus: Corpus, count: int, seed: int = 11) -> tuple[list[str], list[str]]:
    """Staff-like queries (alternates with a word dropped and a typo) with their entry ids, then out-of-scope ones."""
    rng = random.Random(seed)
    found = []
    sources = []
    for _ in range(count):
        entry = rng.choice(corpus.entries)
        sources.append(entry.id)
        words = rng.choice((entry.question, *entry.alternates)).split()
        if len(words) > 3:
            words.pop(rng.randrange(len(words)))
        position = rng.randrange(len(words))
        word = words[position]
        if len(word) > 4:
            cut = rng.randrange(1, len(word) - 1)
            words[position] = word[:cut] + word[cut + 1 :]
        found.append(" ".join(["can", "I", *words, "please"]))
    found += ["how do I book annual leave", "forgot my password", "payslip dates"] * (count // 30 + 1)
    return found, sources


def timed(build: Callable[[], object]) -> tuple[object, float]:
    """The built object and the seconds taken."""
    gc.collect()
    started = time.perf_counter()
    built = build()
    return built, time.perf_counter() - started


def held(build: Callable[[], object]) -> float:
    """MiB of memory a fresh build still holds. Measured apart from the time: tracing every
    allocation makes an allocation-heavy build two to three times slower."""
    gc.collect()
    tracemalloc.start()
    built = build()
    mib = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.stop()
    del built
    return mib


def latencies(rank: Callable[[str], object], queries: Sequence[str]) -> tuple[float, float]:
    """p50 and p99 of one query, in milliseconds, after a warm-up pass."""
    for query in queries[:20]:
        rank(query)
    samples = []
    for query in queries:
        started = time.perf_counter()
        rank(query)
        samples.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(samples, n=100)
    return cuts[49], cuts[98]


def bench(
    name: str, corpus: Corpus, queries: Sequence[str], sources: Sequence[str], baseline_queries: int, vectors: Vectors
) -> None:
    """Lines for what serves questions (the Ranker, with meaning) and its lexical stage alone, beside
    the same baseline. The served index is built twice: the first build encodes what the vector
    cache lacks, the second is what a restart or a reload costs."""
    skeleton, base_build_s = timed(lambda: SkeletonMatcher(corpus))
    base_held = held(lambda: SkeletonMatcher(corpus))
    assert isinstance(skeleton, SkeletonMatcher)
    b50, b99 = latencies(lambda q: skeleton.rank(q, limit=3), queries[:baseline_queries])
    baseline = f"baseline p50 {b50:7.3f} ms, p99 {b99:7.3f} ms"
    _, first_s = timed(lambda: Ranker(corpus, vectors))
    print(
        f"{name:<20} {len(corpus.entries):>6} entries | first build with meaning {first_s:7.1f} s (encodes "
        f"what the cache lacks)"
    )
    lexical_p99 = None
    for stage, build in (("lexical", Matcher), ("served", lambda c: Ranker(c, vectors))):
        matcher, build_s = timed(lambda build=build: build(corpus))
        memory = held(lambda build=build: build(corpus))
        assert isinstance(matcher, (Ranker, Matcher))
        p50, p99 = latencies(lambda q, m=matcher: m.rank(q, limit=3), queries)
        top1 = sum(
            1
            for q, expected in zip(queries, sources, strict=False)
            if (r := matcher.rank(q, limit=1)) and r[0].entry.id == expected
        )
        versus = f"; x{p99 / lexical_p99:5.2f} the lexical stage" if lexical_p99 else ""
        lexical_p99 = lexical_p99 or p99
        print(
            f"{name + ' (' + stage + ')':<20} {len(corpus.entries):>6} entries | match p50 {p50:7.3f} ms  p99 "
            f"{p99:7.3f} ms "
            f"({baseline}; x{p99 / b99:5.2f} the baseline at p99{versus}) | top-1 {top1 / len(sources):5.1%} | "
            f"build {build_s:6.2f} s (baseline {base_build_s:5.2f} s) | index {memory:6.1f} MiB (baseline "
            f"{base_held:5.1f} MiB)"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000], help="synthetic corpus sizes")
    parser.add_argument("--queries", type=int, default=1000)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    vectors = load_vectors(ROOT / "var" / "embeddings.sqlite3")
    shipped = load_corpus(SHIPPED)
    bench("shipped", shipped, *queries_for(shipped, args.queries), args.queries, vectors)
    for size in args.sizes:
        corpus = synthetic_corpus(size)
        bench("synthetic", corpus, *queries_for(corpus, args.queries), max(50, args.queries // 10), vectors)


if __name__ == "__main__":
    main()
