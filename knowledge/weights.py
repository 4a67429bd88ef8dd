"""The ranking's weights, as fitted by `make train-ranking` (its `--write` rewrites this module).

See `knowledge.signals` for what each weight multiplies and `knowledge.ranking` for how they are used.
"""

from __future__ import annotations

from knowledge.signals import EntrySignals, FittedWeights, OutsideSignals, RankingWeights

FITTED_WEIGHTS = FittedWeights(
    curated=RankingWeights(
        entry=EntrySignals(
            confidence=1.5713,
            similarity=0.3103,
            second_similarity=-0.5783,
            curated_coverage=1.1341,
            beyond_outside=2.4405,
            token_sort=1.829,
            neighbours=1.1799,
            lead=-0.3391,
            word_share=2.5015,
            meaning=0.7587,
            answer_meaning=1.4666,
            whole_meaning=0.0,
            whole_lead=0.0,
            meaning_lead=0.7422,
            meaning_beyond_outside=5.6072,
            meaning_share=0.1034,
        ),
        outside=OutsideSignals(
            outside_similarity=0.6189,
            outside_neighbours=1.9075,
            unknown_share=1.781,
            length=-3.2067,
            word_share=1.5249,
            how_to=2.227,
            meaning_outside=2.6273,
        ),
        bias=3.5578,
    ),
    uncurated=RankingWeights(
        entry=EntrySignals(
            confidence=1.9746,
            similarity=0.2928,
            second_similarity=-0.4959,
            curated_coverage=0.5926,
            beyond_outside=-0.3727,
            token_sort=-1.0137,
            neighbours=-0.9646,
            lead=-0.0129,
            word_share=2.1253,
            meaning=1.9652,
            answer_meaning=3.2585,
            whole_meaning=3.4286,
            whole_lead=4.0572,
            meaning_lead=-0.932,
            meaning_beyond_outside=0.4527,
            meaning_share=2.2169,
        ),
        outside=OutsideSignals(
            outside_similarity=0.8458,
            outside_neighbours=-0.1186,
            unknown_share=1.3271,
            length=-2.909,
            word_share=0.7864,
            how_to=1.9035,
            meaning_outside=-0.9458,
        ),
        bias=6.3491,
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
        whole_meaning=0.0,
        whole_lead=0.0,
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
