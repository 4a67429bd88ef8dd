"""How likely each entry is to be asked in the question's words: a naive Bayes model of phrasings.

The lexical matcher asks "which phrasing is closest?"; this asks "whose phrasings use these
words?". Every entry is a class trained on its curated question, alternates and keywords;
the out-of-scope examples together are one more class. A word that all of one entry's phrasings
share and the others never use ('disclaimer', 'logs') counts for that entry even when no
single phrasing is close, which is what tells overlapping entries apart.

Multinomial naive Bayes over each phrasing's distinct words (after `knowledge.normalize`), with
additive smoothing. Word pairs were measured too (cross-validation, `make train-ranking`): no
better, and several times the build time and memory on a 10,000-entry corpus. It is trained when the corpus is loaded, in one
pass, and scores only the classes asked about, so its cost does not grow with the corpus at
question time.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from knowledge.models import Corpus
from knowledge.normalize import Normalizer

OUTSIDE = -1
"""The class of the out-of-scope examples, next to entry indexes 0..n-1."""


class WordModel:
    """Log-likelihood of a question under each entry's phrasings (and the out-of-scope examples)."""

    def __init__(self, corpus: Corpus, normalizer: Normalizer, *, smoothing: float = 0.1) -> None:
        self._normalizer = normalizer
        texts: dict[int, list[str]] = {}
        for index, entry in enumerate(corpus.entries):
            texts[index] = [entry.question, *entry.alternates, *entry.keywords]
        outside = [example for topic in corpus.out_of_scope for example in topic.examples]
        if outside:
            texts[OUTSIDE] = outside
        counts: dict[int, Counter[str]] = {}
        vocabulary: set[str] = set()
        for label, phrasings in texts.items():
            counted: Counter[str] = Counter()
            for phrasing in phrasings:
                counted.update(self.features(phrasing))
            counts[label] = counted
            vocabulary.update(counted)
        documents = sum(len(phrasings) for phrasings in texts.values())
        size = len(vocabulary)
        self._vocabulary = frozenset(vocabulary)
        self._prior = {label: math.log(len(phrasings) / documents) for label, phrasings in texts.items()}
        self._unseen: dict[int, float] = {}
        self._log_rate: dict[str, dict[int, float]] = defaultdict(dict)
        for label, counted in counts.items():
            denominator = sum(counted.values()) + smoothing * size
            self._unseen[label] = math.log(smoothing / denominator)
            for feature, count in counted.items():
                self._log_rate[feature][label] = math.log((count + smoothing) / denominator)

    def features(self, text: str) -> set[str]:
        """The distinct words of `text`, normalised (one-letter words left out)."""
        return {token for token in self._normalizer.tokens(text) if len(token) > 1}

    def log_likelihoods(self, question: str, labels: Sequence[int]) -> list[float]:
        """Joint log-likelihood of `question` and each of `labels` (entry indexes or OUTSIDE).

        A label the model has no phrasings for gets minus infinity.
        """
        known = [feature for feature in self.features(question) if feature in self._vocabulary]
        return [self._score(label, known) for label in labels]

    def _score(self, label: int, features: Iterable[str]) -> float:
        prior = self._prior.get(label)
        if prior is None:
            return -math.inf
        unseen = self._unseen[label]
        return prior + sum(self._log_rate[feature].get(label, unseen) for feature in features)
