"""The sentence encoder of a running bot: loaded and verified once per process, corpus vectors on disk.

Every corpus the process builds (at start, on each live reload, for `faqbot eval` or `lint`)
shares one encoder and one cache file, so a reload encodes only the texts that changed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from knowledge import Corpus, Ranker
from knowledge.embedding import Vectors, load_vectors


@cache
def process_vectors(cache_file: Path) -> Vectors:
    """The verified encoder with its cache in `cache_file`; raises ModelError naming the package."""
    return load_vectors(cache_file)


def ranker_for(cache_file: Path) -> Callable[[Corpus], Ranker]:
    """A factory building a Ranker for a corpus with this process's encoder."""
    vectors = process_vectors(cache_file)

    def build(corpus: Corpus) -> Ranker:
        return Ranker(corpus, vectors)

    return build
