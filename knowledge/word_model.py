"""How likely each entry is to be asked in the question's words: a naive Bayes model of phrasings.

The lexical matcher asks "which phrasing is closest?"; this asks "whose phrasings use these
words?". Every entry is a class trained on its curated question, alternates and keywords;
the out-of-scope examples together are one more class. A word that all of one entry's phrasings
share and the others never use ('disclaimer', 'logs') counts for that entry even when no
single phrasing is close, which is what tells overlapping entries apart.

Multinomial naive Bayes over each phrasing's distinct words (after `knowledge.normalize`), with
additive smoothing. Word pairs were measured too (cross-validation, `make train-ranking`): no
better, and several times the build time and memory on a 10,000-entry corpus. It is trained when the corpus
is loaded, in one
pass, and scores only the classes asked about, so its cost does not grow with the corpus at
question time.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

OUTSIDE = -1
"""The class of the out-of-scope examples, next to entry indexes 0..n-1."""


class WordModel:
    """Log-likelihood of a question under each entry's phrasings (and the out-of-scope examples)."""

    def __init__(self, phrasings: Iterable[tuple[int, Iterable[str]]], *, smoothing: float = 0.1) -> None:
        """Train on `phrasings`: (label, the phrasing's normalised words) pairs; labels are entry
        indexes, or OUTSIDE for out-of-scope examples."""
        counts: dict[int, Counter[str]] = defaultdict(Counter)
        documents: Counter[int] = Counter()
        for label, words in phrasings:
            counts[label].update(features(words))
            documents[label] += 1
        size = len({feature for counted in counts.values() for feature in counted})
        # Every class is equally likely before the words are read: how many phrasings curators
        # wrote for an entry says how much work went into it, not how often staff ask it, and a
        # prior by count would bury a new document's entries under a curated one's.
        self._prior = dict.fromkeys(documents, -math.log(len(documents)))
        self._unseen: dict[int, float] = {}
        self._log_rate: dict[str, dict[int, float]] = defaultdict(dict)
        for label, counted in counts.items():
            denominator = sum(counted.values()) + smoothing * size
            self._unseen[label] = math.log(smoothing / denominator)
            for feature, count in counted.items():
                self._log_rate[feature][label] = math.log((count + smoothing) / denominator)

    def log_likelihoods(self, words: Iterable[str], labels: Sequence[int]) -> list[float]:
        """Joint log-likelihood of a question's normalised `words` and each of `labels`.

        A label the model has no phrasings for gets minus infinity; words it never saw count for none.
        """
        known = [feature for feature in features(words) if feature in self._log_rate]
        return [self._score(label, known) for label in labels]

    def _score(self, label: int, features: Iterable[str]) -> float:
        prior = self._prior.get(label)
        if prior is None:
            return -math.inf
        unseen = self._unseen[label]
        return prior + sum(self._log_rate[feature].get(label, unseen) for feature in features)


def features(words: Iterable[str]) -> set[str]:
    """The distinct words the model counts (one-letter words left out)."""
    return {word for word in words if len(word) > 1}
