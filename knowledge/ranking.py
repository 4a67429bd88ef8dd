"""The question's answer probabilities: lexical signals and the word model, weighed by learned weights.

`Matcher` (lexical) offers a few candidate entries with the signals behind each; `WordModel`
says how likely each candidate's phrasings are to use the question's words. `Ranker` turns them
into a probability for each candidate and for "none of them" (a conditional logit: a weighted
sum of signals per option, then softmax). The weights were fitted by `make train-ranking` on
cross-validation over the corpus's own curated phrasings and out-of-scope examples: each was
asked of a corpus that did not hold it, so the weights learn how much a signal is worth on a
question the corpus has not seen.

Because "none of them" is an option with its own evidence (closeness to an out-of-scope example,
unknown words), a candidate's probability is low when the question is probably about something
else, not only when candidates are close to each other. The dialogue answers only when the best
probability reaches its answer band.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass, field, fields

import numpy as np
from rapidfuzz import fuzz, process

from knowledge.embedding.index import Closeness, SemanticIndex, answer_passages
from knowledge.embedding.vectors import Vectors
from knowledge.matching import Candidate, Matcher, MatchingSettings, Reading
from knowledge.models import Corpus, Entry, Match
from knowledge.signals import EntrySignals, FittedWeights, OutsideSignals, RankingWeights
from knowledge.weights import FITTED_WEIGHTS, LEXICAL_WEIGHTS
from knowledge.word_model import OUTSIDE, WordModel


@dataclass(frozen=True)
class RankingSettings:
    """How many candidates are weighed, and which probabilities are worth returning."""

    candidates: int = 6
    """Candidates taken from the lexical matcher; the right entry is among its first six for
    nearly every question it is among the candidates at all."""
    meaning_candidates: int = 4
    """Entries closest in meaning added to them (a new document's entries share few words with
    the way staff ask)."""
    meaning_alternates: int = 5
    """Alternates of each entry whose meaning is encoded (besides its question and answer)."""
    exact_meaning_up_to: int = 2000
    """Corpus size up to which every entry's closeness in meaning is computed exactly; beyond it, only
    for the lexical candidates and the `meaning_shortlist` entries closest by their whole text
    (`SemanticIndex`): at 10,000 entries the exact product costs about as much as encoding the question."""
    meaning_shortlist: int = 200
    meaning_temperature: float = 0.05
    """Temperature of the softmax that turns closeness in meaning into each entry's share."""
    min_probability: float = 0.02
    """Candidates below this probability are not returned (nobody should be offered them)."""
    long_question: int = 15
    """Word count from which a question counts as long (the `length` signal is 1)."""
    curated_phrasings: int = 20
    """Alternates from which an entry counts as fully curated; with fewer its score blends both sets of weights."""
    outside_per_curated_entry: int = 30
    """Out-of-scope examples the corpus needs per fully curated entry before its entries are weighed
    as curated (with fewer, as partly curated: their near misses are not kept out by examples).
    Chosen on the learning loop of the shipped corpus cut bare, fed 2,000 of its tuning questions
    and measured on the other 654: at 10, wrong answers peaked at 2.4% after 800 questions (entries
    curated by their alternates, near misses not yet kept out by examples); at 20, 1.8%; at 30,
    1.4%, for 6 points fewer correct answers at 800 questions and 1.3 more at 2,000. The curated
    corpus (48 examples an entry) is weighed as curated either way."""
    settled_at: float = 0.97
    """A question whose likeliest entry is fully curated and reaches this probability on the lexical
    signals alone is ranked without its meaning: encoding it (about 10 ms) could not change the
    answer. Chosen with `make train-ranking`, which reports how often a settled answer differs."""
    answered_example_at: float = 0.55
    """Cosine similarity in meaning from which an out-of-scope example whose closest entry is not
    fully curated counts as answered by it, and is left out of the ranking: curators wrote their
    examples for the entries they had curated, so an example about what a document added since
    answers ('how do I claim mileage', written when the corpus had no expenses policy) would
    otherwise outvote the entry that answers it. Chosen on the tuning documents, each beside the
    shipped corpus and the other documents (`make cold-start`): they answered 2.4 points fewer
    questions correctly than alone at 0.55, 3.1 at 0.65, and 3.7 with every example counted. At
    0.55 some examples that only share a subject with a new entry are left out too ('staff
    parking permit application', beside claiming for parking): a new entry is answered only in
    its own, higher band, which keeps such near misses out instead."""
    weights: FittedWeights = field(default=FITTED_WEIGHTS)
    lexical_weights: RankingWeights = field(default=LEXICAL_WEIGHTS)
    matching: MatchingSettings = field(default_factory=MatchingSettings)


@dataclass(frozen=True)
class AnsweredExample:
    """An out-of-scope example that an entry answers, so the ranking does not count it against any."""

    topic: str
    example: str
    entry: Entry
    """The entry closest to it in meaning."""
    closeness: float
    """Their cosine similarity in meaning."""


@dataclass(frozen=True)
class Weighing:
    """The options for one question: each candidate with its signals, and "none of them"."""

    candidates: tuple[Candidate, ...]
    signals: tuple[EntrySignals, ...]
    outside: OutsideSignals
    curation: tuple[float, ...] = ()
    """How curated each candidate's entry is, in [0, 1] (1: at least `curated_phrasings` alternates)."""
    outside_curation: float = 1.0
    """How curated the candidate closest in meaning is: the blend of weights for "none of them"."""
    vague: bool = False
    verbatim: int | None = None
    """The candidate (position) one of whose curated phrasings has exactly the question's words, if any."""
    lexical_only: bool = False
    """Weighed on the lexical signals alone (the meaning signals are 0): use `lexical_weights`."""


class Ranker:
    """Ranks entries for a staff question by the probability that each is the one meant."""

    def __init__(self, corpus: Corpus, vectors: Vectors, settings: RankingSettings | None = None) -> None:
        self._settings = settings or RankingSettings()
        self._corpus = corpus
        self._meaning = SemanticIndex(
            corpus,
            vectors,
            alternates=self._settings.meaning_alternates,
            # Every alternate of an entry the uncurated weights still weigh (below `curated_phrasings`).
            aligned_alternates=self._settings.curated_phrasings,
            exact_up_to=self._settings.exact_meaning_up_to,
            shortlist=self._settings.meaning_shortlist,
        )
        self._index = {entry.id: index for index, entry in enumerate(corpus.entries)}
        enough = max(1, self._settings.curated_phrasings)
        phrased = [min(1.0, len(entry.alternates) / enough) for entry in corpus.entries]
        # The curated weights were learned on a corpus whose out-of-scope examples keep near misses
        # out; alternates without them (a document taught only by clicks) are weighed as new.
        examples = sum(len(topic.examples) for topic in corpus.out_of_scope)
        wanted = self._settings.outside_per_curated_entry * sum(phrased)
        guarded = min(1.0, examples / wanted) if wanted else 1.0
        self._curation = tuple(level * guarded for level in phrased)
        self._answered = self._answered_examples()
        if self._answered:
            # Curators wrote the examples for the entries they had curated: one that an entry they
            # had not (a document added since) answers must not outvote that entry.
            positions = {position for position, _ in self._answered}
            self._meaning = self._meaning.without_examples(positions)
            corpus = _without_examples(corpus, positions)
        self._matcher = Matcher(corpus, self._settings.matching)
        self._normalizer = self._matcher.normalizer
        # Each curated phrasing is normalised once here, for the word model and the fuzzy ratio.
        tokens = self._normalizer.tokens
        phrasings: list[tuple[str, ...]] = []
        training: list[tuple[int, list[str]]] = []
        for index, entry in enumerate(corpus.entries):
            words = [tokens(text) for text in (entry.question, *entry.alternates)]
            phrasings.append(tuple(dict.fromkeys(" ".join(sorted(w)) for w in words)))  # each wording once
            training += [(index, w) for w in words]
            training += [(index, tokens(keyword)) for keyword in entry.keywords]
            if len(entry.alternates) < enough:
                # An entry as imported has one phrasing: its answer's passages say which words it uses.
                training += [(index, tokens(passage)) for passage in answer_passages(entry.answer)]
        training += [(OUTSIDE, tokens(e)) for topic in corpus.out_of_scope for e in topic.examples]
        self._words = WordModel(training)
        self._phrasings = tuple(phrasings)

    @property
    def corpus(self) -> Corpus:
        return self._corpus

    @property
    def answered_examples(self) -> tuple[AnsweredExample, ...]:
        """Out-of-scope examples left out of the ranking because an entry nobody has fully curated
        answers them (see `RankingSettings.answered_example_at`), in the corpus's order."""
        return tuple(example for _, example in self._answered)

    def _answered_examples(self) -> tuple[tuple[int, AnsweredExample], ...]:
        """(position, example) of each out-of-scope example whose closest entry in meaning is not
        fully curated, at a cosine of at least `answered_example_at`."""
        if all(level >= 1.0 for level in self._curation):
            return ()
        owners, cosines = self._meaning.closest_to_examples()
        texts = [(topic.topic, text) for topic in self._corpus.out_of_scope for text in topic.examples]
        at = self._settings.answered_example_at
        return tuple(
            (position, AnsweredExample(topic, text, self._corpus.entries[owner], float(cosine)))
            for position, ((topic, text), owner, cosine) in enumerate(zip(texts, owners, cosines, strict=True))
            if self._curation[owner] < 1.0 and cosine >= at
        )

    def entry(self, entry_id: str) -> Entry | None:
        """The corpus entry with `entry_id`, or None."""
        return self._matcher.entry(entry_id)

    def rank(self, question: str, *, limit: int = 3) -> tuple[Match, ...]:
        """At most `limit` entries, most probable first, each with its probability as confidence."""
        if limit < 1:
            return ()
        reading = self._matcher.read(question, limit=self._settings.candidates)
        weighing = self.weigh(question, meaning=False, reading=reading)
        probabilities = self.lexical_probabilities(weighing, self._settings.lexical_weights)
        if not self._settled(weighing, probabilities):
            weighing = self.weigh(question, reading=reading)
            probabilities = self.probabilities(weighing, self._settings.weights)
        if not weighing.candidates:
            return ()
        if weighing.verbatim is not None:
            # Curators said what this phrasing means; the weights were fitted on questions the
            # corpus did not hold, so they have never seen one it does.
            probabilities = [1.0 if i == weighing.verbatim else 0.0 for i in range(len(probabilities))]
        if weighing.vague:
            # One word that several entries use cannot say which is meant, so no probability is
            # earned; the lexical confidences (held at MatchingSettings.vague_ceiling, below the
            # answer band) keep every entry it may mean on offer.
            probabilities = [c.confidence for c in weighing.candidates]
        curation = dict(zip((c.entry.id for c in weighing.candidates), weighing.curation, strict=True))
        ranked = sorted(zip(probabilities, weighing.candidates, strict=True), key=lambda pair: pair[0], reverse=True)
        return tuple(
            Match(entry=candidate.entry, confidence=min(1.0, probability), curation=curation[candidate.entry.id])
            for probability, candidate in ranked[:limit]
            if probability >= self._settings.min_probability
        )

    def weigh(self, question: str, *, meaning: bool = True, reading: Reading | None = None) -> Weighing:
        """The candidates for `question` and the signals for each option; without `meaning`, the
        lexical candidates and signals alone (the question is not encoded). `reading` is the lexical
        matcher's, when the caller has it already."""
        settings = self._settings
        reading = reading or self._matcher.read(question, limit=settings.candidates)
        if not reading.words:  # nothing but punctuation and grammar words: nothing to mean
            return Weighing((), (), _NOTHING)
        if meaning:
            closeness = self._meaning.closeness(question, include=[self._index[c.entry.id] for c in reading.candidates])
        else:
            closeness = self._meaning.nothing()
        if meaning:
            added = self._closest_in_meaning(reading.candidates, closeness)
            if added:
                reading = self._matcher.read(question, limit=settings.candidates, include=added)
        candidates = reading.candidates
        labels = [self._index[c.entry.id] for c in candidates]
        words = self._normalizer.tokens(question)
        shares = _softmax(self._words.log_likelihoods(words, [*labels, OUTSIDE]))
        text = " ".join(sorted(words))
        nearest = closeness.best()
        shares_in_meaning = _softmax_array(nearest / settings.meaning_temperature)
        meaning_leads, whole_leads = _leads(nearest, labels), _leads(closeness.whole, labels)
        aligned = self._meaning.alignment(question, labels) if meaning else np.zeros(len(labels), dtype=np.float32)
        aligned_leads = _leads(aligned, list(range(len(aligned))))
        signals = tuple(
            EntrySignals(
                confidence=c.confidence,
                similarity=c.similarity,
                second_similarity=c.second_similarity,
                curated_coverage=c.curated_coverage,
                beyond_outside=c.similarity - reading.outside_similarity,
                token_sort=self._token_sort(text, label),
                neighbours=c.neighbours,
                lead=c.similarity - max((o.similarity for o in candidates if o is not c), default=0.0),
                word_share=share,
                meaning=float(closeness.phrasing[label]),
                answer_meaning=float(closeness.answer[label]),
                whole_meaning=float(closeness.whole[label]),
                whole_lead=whole_lead,
                meaning_lead=meaning_lead,
                meaning_beyond_outside=float(nearest[label]) - closeness.outside,
                meaning_share=float(shares_in_meaning[label]),
                aligned=float(aligned_one),
                aligned_lead=aligned_lead,
            )
            for c, label, share, meaning_lead, whole_lead, aligned_one, aligned_lead in zip(
                candidates, labels, shares[:-1], meaning_leads, whole_leads, aligned, aligned_leads, strict=True
            )
        )
        outside = OutsideSignals(
            outside_similarity=reading.outside_similarity,
            outside_neighbours=reading.outside_neighbours,
            unknown_share=reading.unknown_share,
            length=min(reading.words, settings.long_question) / settings.long_question,
            word_share=shares[-1],
            how_to=1.0 if _HOW_TO.search(question) else 0.0,
            meaning_outside=closeness.outside,
        )
        verbatim = next((i for i, s in enumerate(signals) if s.token_sort == 1.0), None)
        curation = tuple(self._curation[label] for label in labels)
        closest = max(range(len(labels)), key=lambda i: nearest[labels[i]], default=None)
        return Weighing(
            candidates,
            signals,
            outside,
            curation=curation,
            outside_curation=curation[closest] if closest is not None else 1.0,
            vague=reading.vague,
            verbatim=verbatim,
            lexical_only=not meaning,
        )

    def _closest_in_meaning(self, lexical: tuple[Candidate, ...], closeness: Closeness) -> list[int]:
        """The entries (positions) closest in meaning that the lexical candidates do not include."""
        have = {self._index[c.entry.id] for c in lexical}
        nearest = closeness.best()
        wanted = self._settings.meaning_candidates
        # The `wanted` closest that are not candidates yet are among the closest `wanted + len(have)`
        # (ties at the edge kept, then first in corpus order): no full sort of a large corpus.
        reach = min(len(nearest), wanted + len(have))
        if not reach:
            return []
        edge = np.partition(nearest, len(nearest) - reach)[len(nearest) - reach]
        ordered = sorted((int(i) for i in np.flatnonzero(nearest >= edge)), key=lambda i: (-nearest[i], i))[:reach]
        return [i for i in ordered if i not in have][:wanted]

    @staticmethod
    def lexical_probabilities(weighing: Weighing, weights: RankingWeights) -> list[float]:
        """Probability of each candidate (in order) under one regime's `weights`."""
        scores = [_dot(signals, weights.entry) for signals in weighing.signals]
        scores.append(_dot(weighing.outside, weights.outside) + weights.bias)
        return _softmax(scores)[:-1]

    def _settled(self, weighing: Weighing, probabilities: list[float]) -> bool:
        """The lexical signals alone answer with a fully curated entry: meaning could not change it."""
        if weighing.vague or not probabilities:
            return False
        if weighing.verbatim is not None:
            return True
        best = max(range(len(probabilities)), key=probabilities.__getitem__)
        return weighing.curation[best] >= 1.0 and probabilities[best] >= self._settings.settled_at

    @staticmethod
    def probabilities(weighing: Weighing, weights: FittedWeights) -> list[float]:
        """Probability of each candidate (in order) under `weights`; the rest is "none of them"."""
        curated, uncurated = weights.curated, weights.uncurated
        curation = weighing.curation or (1.0,) * len(weighing.signals)
        scores = [
            c * _dot(signals, curated.entry) + (1 - c) * _dot(signals, uncurated.entry)
            for signals, c in zip(weighing.signals, curation, strict=True)
        ]
        o = weighing.outside_curation
        scores.append(
            o * (_dot(weighing.outside, curated.outside) + curated.bias)
            + (1 - o) * (_dot(weighing.outside, uncurated.outside) + uncurated.bias)
        )
        return _softmax(scores)[:-1]

    def _token_sort(self, text: str, label: int) -> float:
        # token_sort_ratio is ratio over sorted words: phrasings are sorted once, at build.
        found = process.extractOne(text, self._phrasings[label], scorer=fuzz.ratio, processor=None)
        return found[1] / 100 if found else 0.0


_HOW_TO = re.compile(
    r"^\W*(?:(?:hi|hello|hey)\W+)?how\s+(?:do|can|would|should|to|d)\b"
    r"|\bhow\s+(?:do|can)\s+(?:i|we|u)\b|\bhow\s+to\b|\bhow\W*$|\bsteps?\s+(?:to|for|in)\b|\bwhat\s+are\s+the\s+steps\b",
    re.IGNORECASE,
)


_NOTHING = OutsideSignals(*[0.0] * len(fields(OutsideSignals)))


def _without_examples(corpus: Corpus, positions: Collection[int]) -> Corpus:
    """`corpus` without the out-of-scope examples at `positions` (counted across topics, in order)."""
    topics, position = [], 0
    for topic in corpus.out_of_scope:
        kept = tuple(text for offset, text in enumerate(topic.examples) if position + offset not in positions)
        position += len(topic.examples)
        if kept:
            topics.append(topic.model_copy(update={"examples": kept}))
    return corpus.model_copy(update={"out_of_scope": tuple(topics)})


def _softmax_array(values: np.ndarray) -> np.ndarray:
    if not len(values):
        return values
    exps = np.exp(values - values.max())
    shares: np.ndarray = exps / exps.sum()
    return shares


def _leads(values: np.ndarray, labels: list[int]) -> list[float]:
    """For each of `labels`, how far its value is above the highest other value (all, not only the
    labels'); the two highest are found once (0 stands for the other when there is none)."""
    if len(values) < 2:
        return [float(values[label]) for label in labels]
    second, first = np.partition(values, -2)[-2:]
    return [float(values[label] - (second if values[label] >= first else first)) for label in labels]


def _dot(values: EntrySignals | OutsideSignals, weights: EntrySignals | OutsideSignals) -> float:
    # vars() keeps field order; astuple would deep-copy every value on the hot path.
    total: float = sum(v * w for v, w in zip(vars(values).values(), vars(weights).values(), strict=True))
    return total


def _softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    if top == -math.inf:
        return [1.0 / len(scores)] * len(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]
