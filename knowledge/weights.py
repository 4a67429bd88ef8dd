"""The ranking's weights, as fitted by `make train-ranking` (its `--write` rewrites this module).

See `knowledge.signals` for what each weight multiplies and `knowledge.ranking` for how they are used.
"""

from __future__ import annotations

from knowledge.signals import EntrySignals, FittedWeights, OutsideSignals, RankingWeights

FITTED_WEIGHTS = FittedWeights(
    curated=RankingWeights(
        entry=EntrySignals(
            confidence=1.222,
            similarity=0.5756,
            second_similarity=-0.2323,
            curated_coverage=1.494,
            beyond_outside=2.5044,
            token_sort=1.7955,
            neighbours=1.0191,
            lead=-0.0635,
            word_share=1.9815,
            meaning=0.8485,
            answer_meaning=1.03,
            whole_meaning=0.0,
            whole_lead=0.0,
            meaning_lead=0.1165,
            meaning_beyond_outside=5.1468,
            meaning_share=-0.1544,
            aligned=1.7494,
            aligned_lead=3.1016,
        ),
        outside=OutsideSignals(
            outside_similarity=0.8837,
            outside_neighbours=1.8669,
            unknown_share=1.4301,
            length=-3.4744,
            word_share=1.6593,
            how_to=2.269,
            meaning_outside=2.9383,
        ),
        bias=4.5109,
    ),
    uncurated=RankingWeights(
        entry=EntrySignals(
            confidence=1.6915,
            similarity=0.7346,
            second_similarity=-0.6126,
            curated_coverage=-0.5493,
            beyond_outside=0.343,
            token_sort=-1.1369,
            neighbours=-0.6274,
            lead=-0.1707,
            word_share=1.0257,
            meaning=1.6542,
            answer_meaning=1.9931,
            whole_meaning=2.4981,
            whole_lead=3.2133,
            meaning_lead=-1.4426,
            meaning_beyond_outside=-0.3004,
            meaning_share=1.2275,
            aligned=6.8635,
            aligned_lead=6.3824,
        ),
        outside=OutsideSignals(
            outside_similarity=0.6534,
            outside_neighbours=0.0685,
            unknown_share=0.5644,
            length=-3.5948,
            word_share=1.0613,
            how_to=1.9354,
            meaning_outside=-0.7061,
        ),
        bias=8.3306,
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
