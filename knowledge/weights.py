"""The ranking's weights, as fitted by `make train-ranking` (its `--write` rewrites this module).

See `knowledge.signals` for what each weight multiplies and `knowledge.ranking` for how they are used.
"""

from __future__ import annotations

from knowledge.signals import EntrySignals, FittedWeights, OutsideSignals, RankingWeights

FITTED_WEIGHTS = FittedWeights(
    curated=RankingWeights(
        entry=EntrySignals(
            confidence=1.304,
            similarity=0.661,
            second_similarity=-0.1724,
            curated_coverage=1.6017,
            beyond_outside=2.5527,
            token_sort=1.9892,
            neighbours=1.0029,
            lead=0.0413,
            word_share=2.2548,
            meaning=0.8278,
            answer_meaning=1.1764,
            whole_meaning=0.0,
            whole_lead=0.0,
            meaning_lead=0.0837,
            meaning_beyond_outside=5.0797,
            meaning_share=-0.1602,
            aligned=1.1302,
            aligned_lead=2.1007,
        ),
        outside=OutsideSignals(
            outside_similarity=0.8633,
            outside_neighbours=1.9035,
            unknown_share=1.5359,
            length=-3.4436,
            word_share=1.5654,
            how_to=2.2688,
            meaning_outside=2.8452,
        ),
        bias=4.5693,
    ),
    uncurated=RankingWeights(
        entry=EntrySignals(
            confidence=1.7009,
            similarity=0.7193,
            second_similarity=-0.6119,
            curated_coverage=-0.5604,
            beyond_outside=0.3463,
            token_sort=-1.1433,
            neighbours=-0.6334,
            lead=-0.1469,
            word_share=1.0262,
            meaning=1.6413,
            answer_meaning=1.9929,
            whole_meaning=2.499,
            whole_lead=3.2143,
            meaning_lead=-1.4555,
            meaning_beyond_outside=-0.2814,
            meaning_share=1.2286,
            aligned=6.8746,
            aligned_lead=6.3885,
        ),
        outside=OutsideSignals(
            outside_similarity=0.6554,
            outside_neighbours=0.0625,
            unknown_share=0.5681,
            length=-3.5989,
            word_share=1.0663,
            how_to=1.9344,
            meaning_outside=-0.6954,
        ),
        bias=8.335,
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
        aligned=0.0,
        aligned_lead=0.0,
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
