"""The ranking's weights, as fitted by `make train-ranking` (its `--write` rewrites this module).

See `knowledge.signals` for what each weight multiplies and `knowledge.ranking` for how they are used.
"""

from __future__ import annotations

from knowledge.signals import EntrySignals, FittedWeights, OutsideSignals, RankingWeights

FITTED_WEIGHTS = FittedWeights(
    curated=RankingWeights(
        entry=EntrySignals(
            confidence=1.5797,
            similarity=0.3339,
            second_similarity=-0.587,
            curated_coverage=1.1584,
            beyond_outside=2.3832,
            token_sort=1.9594,
            neighbours=1.1959,
            lead=-0.3466,
            word_share=2.4962,
            meaning=0.8297,
            answer_meaning=1.5067,
            meaning_lead=0.6708,
            meaning_beyond_outside=5.5397,
            meaning_share=0.1185,
        ),
        outside=OutsideSignals(
            outside_similarity=0.6718,
            outside_neighbours=1.8801,
            unknown_share=1.7542,
            length=-3.2206,
            word_share=1.503,
            how_to=2.2284,
            meaning_outside=2.6831,
        ),
        bias=3.6955,
    ),
    uncurated=RankingWeights(
        entry=EntrySignals(
            confidence=2.0128,
            similarity=0.1395,
            second_similarity=-0.3297,
            curated_coverage=0.5551,
            beyond_outside=-0.416,
            token_sort=-1.3909,
            neighbours=-0.8781,
            lead=0.189,
            word_share=2.3084,
            meaning=4.0648,
            answer_meaning=5.3063,
            meaning_lead=-0.2414,
            meaning_beyond_outside=0.4608,
            meaning_share=2.5715,
        ),
        outside=OutsideSignals(
            outside_similarity=0.822,
            outside_neighbours=-0.1108,
            unknown_share=1.3966,
            length=-2.9283,
            word_share=0.7472,
            how_to=1.9002,
            meaning_outside=-1.0759,
        ),
        bias=6.7726,
    ),
)

LEXICAL_WEIGHTS = RankingWeights(
    entry=EntrySignals(
        confidence=1.1966,
        similarity=1.3277,
        second_similarity=0.0831,
        curated_coverage=2.6517,
        beyond_outside=3.1074,
        token_sort=4.9337,
        neighbours=1.6073,
        lead=-0.4633,
        word_share=2.4166,
        meaning=0.0,
        answer_meaning=0.0,
        meaning_lead=0.0,
        meaning_beyond_outside=0.0,
        meaning_share=-0.0,
    ),
    outside=OutsideSignals(
        outside_similarity=1.7796,
        outside_neighbours=2.6178,
        unknown_share=1.5697,
        length=-6.4003,
        word_share=2.8064,
        how_to=2.8493,
        meaning_outside=0.0,
    ),
    bias=9.0611,
)
"""Weights of the lexical signals alone, for curated entries: fitted by `make train-ranking` too.
A question they settle (`RankingSettings.settled_at`) is answered without encoding it."""
