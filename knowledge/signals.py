"""What the ranking weighs: the signals for each candidate entry and for "none of them", and weights.

A signal and its weight share one shape: `RankingWeights` holds an `EntrySignals` and an
`OutsideSignals` whose fields are weights, so a score is the dot product of the two.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EntrySignals:
    """What speaks for one candidate entry (or, as weights, how much each signal counts)."""

    confidence: float
    similarity: float
    second_similarity: float
    curated_coverage: float
    beyond_outside: float
    """How much closer its closest phrasing is than the closest out-of-scope example."""
    token_sort: float
    """rapidfuzz token_sort_ratio (0-1) to the entry's closest phrasing, on normalised words."""
    neighbours: float
    lead: float
    """How much closer its closest phrasing is than that of the nearest other candidate."""
    word_share: float
    """Its share of the word model's probability among the candidates and out-of-scope."""
    meaning: float
    """Cosine similarity in meaning (sentence vectors) to its closest question or alternate."""
    answer_meaning: float
    """Cosine similarity in meaning to the closest passage of its answer."""
    whole_meaning: float
    """Cosine similarity in meaning to its question and answer read as one text."""
    whole_lead: float
    """How much closer in meaning to its question and answer read as one text than to any other entry's."""
    meaning_lead: float
    """How much closer in meaning (the closer of the two above) it is than any other entry."""
    meaning_beyond_outside: float
    """How much closer in meaning it is than the closest out-of-scope example."""
    meaning_share: float
    """Its share of closeness in meaning among all entries (a softmax of the closer of the two above)."""
    aligned: float
    """How much of the question its question or an answer passage covers, word piece by word piece in
    context (`SemanticIndex.alignment`)."""
    aligned_lead: float
    """How much more of the question it covers that way than the best other candidate."""


@dataclass(frozen=True)
class OutsideSignals:
    """What speaks for "none of the candidates" (or, as weights, how much each signal counts)."""

    outside_similarity: float
    outside_neighbours: float
    unknown_share: float
    length: float
    """The question's word count over `RankingSettings.long_question` (at most 1)."""
    word_share: float
    """The out-of-scope examples' share of the word model's probability."""
    how_to: float
    """1 when the question asks how to do something ('how do I…', 'how to…' anywhere, a trailing
    'how?', 'steps to…'): the corpus says what policy allows, and such questions are usually about
    doing it (setting up, reporting, applying)."""
    meaning_outside: float
    """Cosine similarity in meaning to the closest out-of-scope example."""


@dataclass(frozen=True)
class RankingWeights:
    """How much each signal counts in one regime (see `FittedWeights`)."""

    entry: EntrySignals
    outside: OutsideSignals
    bias: float
    """The weight of "none of them" when every outside signal is 0."""


@dataclass(frozen=True)
class FittedWeights:
    """Weights for curated entries and for entries as imported, fitted together by `make train-ranking`.

    A signal is not worth the same in both: closeness to a curated phrasing says a lot about an
    entry with a hundred phrasings written the way staff ask, and little about one that has only
    the document's own question. Each candidate's score blends the two sets by how curated the
    entry is (`RankingSettings.curated_phrasings`); "none of them" blends them by how curated the
    candidate closest in meaning is, so a question near a new document is weighed as one.
    """

    curated: RankingWeights
    uncurated: RankingWeights
