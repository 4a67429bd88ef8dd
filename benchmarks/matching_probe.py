"""Match latency at 10,000 entries, measured on request, for the load benchmark.

`python -m benchmarks.matching_probe` builds the Ranker (what serves questions) over the 10,000-entry
synthetic corpus of
`bench_matching` (same seed, same queries), prints `ready`, then answers each line
`measure SECONDS PER_SECOND` on standard input with one JSON line: p50, p99 and max of
`Ranker.rank(query, limit=3)` in milliseconds, timed at that rate for that long. The load
benchmark asks once with the bot idle and once while it serves 50 messages a second, so the two
figures differ only by the load on the machine. Each measurement takes the queries after those the
last one asked: a repeated query would find its vector among the recent ones and skip the encoder.
"""

from __future__ import annotations

import itertools
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks.bench_matching import queries_for, synthetic_corpus
from knowledge import Ranker
from knowledge.embedding import load_vectors

ENTRIES = 10_000


def measure(matcher: Ranker, queries: Iterator[str], seconds: float, per_second: float) -> dict[str, float | int]:
    samples = []
    start = time.perf_counter()
    for index in itertools.count():
        due = start + index / per_second
        if due - start >= seconds:
            break
        if (delay := due - time.perf_counter()) > 0:
            time.sleep(delay)
        began = time.perf_counter()
        matcher.rank(next(queries), limit=3)
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return {
        "entries": ENTRIES,
        "queries": len(samples),
        "p50_ms": round(samples[len(samples) // 2], 2),
        "p99_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.99))], 2),
        "max_ms": round(samples[-1], 2),
    }


def main() -> None:
    corpus = synthetic_corpus(ENTRIES)
    found, _ = queries_for(corpus, 5000)
    queries = itertools.cycle(found)
    matcher = Ranker(corpus, load_vectors(Path(__file__).resolve().parent.parent / "var" / "embeddings.sqlite3"))
    for query in itertools.islice(queries, 20):  # warm-up, as bench_matching does
        matcher.rank(query, limit=3)
    print("ready", flush=True)
    for line in sys.stdin:
        command, seconds, per_second = line.split()
        assert command == "measure"
        print(json.dumps(measure(matcher, queries, float(seconds), float(per_second))), flush=True)


if __name__ == "__main__":
    main()
