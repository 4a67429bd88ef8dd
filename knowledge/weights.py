"""The ranking's weights, as fitted by `make train-ranking` (its `--write` rewrites this module).

See `knowledge.signals` for what each weight multiplies and `knowledge.ranking` for how they are used.
"""

from __future__ import annotations

from knowledge.signals import EntrySignals, FittedWeights, OutsideSignals, RankingWeights

FITTED_WEIGHTS = FittedWeights(
    curated=RankingWeights(
        entry=EntrySignals(
            confidence=1.3383,
            similarity=0.4848,
            second_similarity=-0.1273,
            curated_coverage=1.5785,
            beyond_outside=2.7982,
            token_sort=1.3377,
            neighbours=0.9142,
            lead=0.2842,
            word_share=2.3632,
            meaning=0.6026,
            answer_meaning=1.3856,
            whole_meaning=0.0,
            whole_lead=0.0,
            meaning_lead=0.7486,
            meaning_beyond_outside=5.633,
            meaning_share=0.1005,
        ),
        outside=OutsideSignals(
            outside_similarity=0.5789,
            outside_neighbours=2.0002,
            unknown_share=1.7113,
            length=-3.3037,
            word_share=1.57,
            how_to=2.2515,
            meaning_outside=2.4959,
        ),
        bias=3.7143,
    ),
    uncurated=RankingWeights(
        entry=EntrySignals(
            confidence=3.3686,
            similarity=0.1758,
            second_similarity=-0.8142,
            curated_coverage=0.1443,
            beyond_outside=-0.4928,
            token_sort=-1.0485,
            neighbours=-1.0491,
            lead=-0.2141,
            word_share=2.0652,
            meaning=1.9287,
            answer_meaning=3.2437,
            whole_meaning=3.4776,
            whole_lead=4.0597,
            meaning_lead=-0.8648,
            meaning_beyond_outside=0.3517,
            meaning_share=2.2148,
        ),
        outside=OutsideSignals(
            outside_similarity=1.0658,
            outside_neighbours=-0.0552,
            unknown_share=1.126,
            length=-2.922,
            word_share=0.8106,
            how_to=1.877,
            meaning_outside=-0.7884,
        ),
        bias=6.4853,
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
