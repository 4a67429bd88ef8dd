"""Rank corpus entries against a staff question. The only place rapidfuzz is configured.

How a confidence is made (all on normalised tokens, see `knowledge.normalize`):

- every word has a weight: its inverse document frequency over entries (BM25's form), so
  'tiktok' or 'testimonial' count far more than 'policy' or 'social_media'; a word the corpus
  has never seen weighs most, because it usually means the question is about something else;
- a word the corpus has never seen but that is a near spelling of a corpus word (rapidfuzz
  ratio) is read as that word, for slightly less credit ('testimonal' -> 'testimonial');
- **phrase similarity**: the weighted Dice overlap between the question and the closest of the
  entry's curated phrasings (its question and alternates);
- **coverage**: the weighted share of the question's words the entry explains anywhere: fully
  when curated (question, alternates, keywords), partly when only its answer uses the word.

The confidence is a blend of the two, in [0, 1]. It is high only when a curated phrasing says
nearly what the staff member said AND nothing important in the question is left unexplained;
an unknown, weighty word ('payslip', 'password') pulls it down, which is what keeps
out-of-scope questions that share a few words with an entry from being answered.

Two corrections keep it honest:

- **out of scope**: the corpus's out-of-scope examples are phrasings too; an entry whose closest
  phrasing is not clearly closer than the closest out-of-scope example has its confidence
  discounted ('how do I report a sickness absence' is nearer 'how do I tell my manager I am off
  sick' than any sickness-and-social-media phrasing);
- **vague questions**: a question that is one word many entries use ('whatsapp', 'SAR') cannot
  say which entry is meant, so every confidence is scaled down to at most `vague_ceiling`
  (the order is kept: the closest entries are still offered first). A word nearly all of whose
  phrasings belong to one entry ('tiktok') is not vague, though a stray phrasing elsewhere uses it.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from knowledge.models import Corpus, Entry, Match
from knowledge.normalize import Normalizer


@dataclass(frozen=True)
class MatchingSettings:
    """Tuning of the matcher; confidence below `score_cutoff` is never returned."""

    score_cutoff: float = 0.2
    phrase_share: float = 0.6
    """Weight of phrase similarity in the confidence; the rest is coverage."""
    answer_credit: float = 0.5
    """How much a question word counts when an entry's answer, but none of its phrasings, uses it."""
    typo_similarity: float = 84.0
    """rapidfuzz ratio (0-100) from which an unknown word is read as a corpus word."""
    typo_credit: float = 0.8
    """How much a word read through a typo correction counts."""
    typo_min_length: int = 5
    """Shorter unknown words are left alone: too many real words are one letter from another."""
    unknown_weight: float = 1.0
    """Weight of a word the corpus never uses, relative to the weight of a word only one entry uses."""
    candidate_postings: int = 1000
    """How many postings may be read to find candidates before commoner words stop adding new ones."""
    containment_share: float = 0.4
    """Weight, in phrase similarity, of how much of a phrasing the question contains (the rest is Dice)."""
    outside_margin: float = 0.05
    """How much closer (phrase similarity) an entry must be than the closest out-of-scope example."""
    outside_discount: float = 0.5
    """Factor on the confidence of an entry that is not clearly closer than an out-of-scope example."""
    vague_ceiling: float = 0.5
    """Highest confidence (by scaling) for a one-word question that several entries use: below the answer band."""
    vague_share: float = 0.8
    """A one-word question is not vague when one entry holds at least this share of the phrasings using the word."""


@dataclass(frozen=True)
class _Known:
    words: tuple[str, ...]
    """The question's words the corpus uses, weightiest first."""
    value: dict[str, float]
    """What each of those words may earn: its weight times its credit."""
    total: float
    """The weight of every question word, known or not: what full coverage means."""


_ROUNDING = 1e-9
"""Slack on a confidence's upper bound, so float rounding never prunes an entry that ties."""


@dataclass(frozen=True)
class Candidate:
    """One entry the lexical matcher offers for a question, and the signals behind its confidence."""

    entry: Entry
    confidence: float
    """The blended confidence in [0, 1] (what `Matcher.rank` returns)."""
    similarity: float
    """Phrase similarity of the entry's closest curated phrasing."""
    second_similarity: float
    """Phrase similarity of its second closest phrasing (0 when only one comes close): several
    phrasings agreeing is stronger evidence than one."""
    curated_coverage: float
    """Weighted share of the question's words the entry's curated phrasings and keywords use."""
    neighbours: float
    """Share of the similarity of the question's closest phrasings (of every entry, and out-of-scope
    examples) that are this entry's."""


@dataclass(frozen=True)
class Reading:
    """What the lexical matcher read in a question: its candidates, and what says it may be out of scope."""

    candidates: tuple[Candidate, ...]
    outside_similarity: float
    """Phrase similarity of the closest out-of-scope example."""
    outside_neighbours: float
    """Share of the similarity of the question's closest phrasings that are out-of-scope examples."""
    unknown_share: float
    """Weighted share of the question's words the corpus never uses (1 when it knows none)."""
    words: int
    """How many distinct words the question has after normalising."""
    vague: bool = False
    """One word several entries use: the question cannot say which entry it means."""


_NEIGHBOURS = 10
"""How many of the question's closest phrasings make its neighbourhood."""
_OUTSIDE = -1
"""The owner of out-of-scope examples in the neighbourhood."""


@dataclass(frozen=True)
class _Phrasings:
    best: dict[int, float]
    second: dict[int, float]
    neighbours: dict[int, float]


@dataclass(frozen=True)
class _Analysis:
    """What reading a question finds before choosing candidates: the same for any `limit`."""

    query: dict[str, float]
    known: _Known
    outside: float
    """Phrase similarity of the closest out-of-scope example."""
    phrases: _Phrasings


_ANALYSES_KEPT = 64
"""Questions whose analysis is kept (the ranking's matching thread reads one question at a time)."""


@dataclass(frozen=True)
class _Phrase:
    owner: int
    words: frozenset[str]
    mass: float


class Matcher:
    """Weighted-overlap matcher over each entry's phrasings, keywords and answer text."""

    def __init__(self, corpus: Corpus, settings: MatchingSettings | None = None) -> None:
        self._corpus = corpus
        self._settings = settings or MatchingSettings()
        self._normalizer = Normalizer(corpus.synonyms)
        spellings: dict[str, str] = {}

        def tokens(text: str) -> list[str]:
            pairs = self._normalizer.words(text)
            spellings.update(pairs)
            return [token for _, token in pairs]

        phrases: list[tuple[int, frozenset[str]]] = []
        self._curated: list[frozenset[str]] = []
        self._answers: list[frozenset[str]] = []
        for index, entry in enumerate(corpus.entries):
            entry_phrases = [frozenset(tokens(p)) for p in (entry.question, *entry.alternates)]
            phrases.extend((index, p) for p in entry_phrases if p)
            words = frozenset().union(*entry_phrases, *(tokens(k) for k in entry.keywords))
            self._curated.append(words)
            self._answers.append(frozenset(tokens(entry.answer)) - words)
        documents = len(corpus.entries)
        frequency: dict[str, int] = defaultdict(int)
        for words, answer in zip(self._curated, self._answers, strict=True):
            for word in words | answer:
                frequency[word] += 1
        self._weight = {w: _idf(documents, df) for w, df in frequency.items()}
        self._unknown_weight = self._settings.unknown_weight * _idf(documents, 1)
        # Parallel tuples, indexed by a phrasing's position in the postings: the hot loop reads them.
        # Phrasings of one entry with the same words are scored once and counted as often as they occur.
        repeats = Counter(phrases)
        self._phrase_owners = tuple(owner for owner, _ in repeats)
        self._phrase_words = tuple(words for _, words in repeats)
        self._phrase_masses = tuple(self._mass(words) for words in self._phrase_words)
        self._phrase_repeats = tuple(repeats.values())
        self._phrase_postings: dict[str, list[int]] = defaultdict(list)
        for position, (_, words) in enumerate(repeats):
            for word in words:
                self._phrase_postings[word].append(position)
        self._curated_postings: dict[str, list[int]] = defaultdict(list)
        for index, words in enumerate(self._curated):
            for word in words:
                self._curated_postings[word].append(index)
        # For each word, the share of the phrasings using it that its commonest entry holds.
        owners_of: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for owner, words in phrases:
            for word in words:
                owners_of[word][owner] += 1
        self._top_share = {word: max(n.values()) / sum(n.values()) for word, n in owners_of.items()}
        # Out-of-scope examples are phrasings of no entry: they weigh words as the entries do.
        outside = [frozenset(tokens(e)) for topic in corpus.out_of_scope for e in topic.examples]
        self._outside = tuple(_Phrase(-1, words, self._mass(words)) for words in outside if words)
        self._outside_postings: dict[str, list[int]] = defaultdict(list)
        for position, phrase in enumerate(self._outside):
            for word in phrase.words:
                self._outside_postings[word].append(position)
        # Misspellings are compared with words as written (and synonym variants), not with stems.
        # Words only the out-of-scope examples use are spellings too, so 'payslips' is not read as
        # a corpus word: a correction to one of them leaves the word unknown.
        spellings.update(self._normalizer.variants())
        self._spellings = {
            word: token for word, token in spellings.items() if token in self._weight or token in self._outside_postings
        }
        # By length: a word can only reach `typo_similarity` with words of nearly its own length.
        self._vocabulary: dict[int, list[str]] = defaultdict(list)
        for spelling in sorted(self._spellings):
            self._vocabulary[len(spelling)].append(spelling)
        self._correct = lru_cache(maxsize=4096)(self._correct_uncached)
        # The ranking reads a question twice when meaning adds candidates: the second read reuses
        # both the analysis and the choice of the best entries, and scores only the added ones.
        self._analyse = lru_cache(maxsize=_ANALYSES_KEPT)(self._analyse_uncached)
        self._choose = lru_cache(maxsize=_ANALYSES_KEPT)(self._choose_uncached)

    @property
    def corpus(self) -> Corpus:
        return self._corpus

    @property
    def normalizer(self) -> Normalizer:
        """The normaliser built from the corpus's synonyms, as the matcher reads questions."""
        return self._normalizer

    def rank(self, question: str, *, limit: int = 3) -> tuple[Match, ...]:
        """Best entries for `question`, highest confidence first; empty when none reaches the cutoff."""
        return tuple(Match(entry=c.entry, confidence=c.confidence) for c in self.read(question, limit=limit).candidates)

    def read(self, question: str, *, limit: int = 3, include: Collection[int] = ()) -> Reading:
        """The best `limit` entries for `question` with every signal behind their confidence; then
        the entries at the positions `include` (in the corpus) that are not among them, scored the
        same way whatever their confidence (the ranking weighs entries found by other means too)."""
        analysis = self._analyse(question)
        query = analysis.query
        if not query or (limit < 1 and not include):
            return Reading((), outside_similarity=0.0, outside_neighbours=0.0, unknown_share=1.0, words=len(query))
        outside, known, phrases = analysis.outside, analysis.known, analysis.phrases
        similarity = phrases.best
        floor = self._settings.outside_margin + outside
        ceiling = self._ceiling(query)
        chosen = list(self._choose(question, limit))
        found = {index for _, index, _ in chosen}
        for index in dict.fromkeys(include):
            if index not in found:
                confidence, curated = self._confidence(index, similarity.get(index, 0.0), known, floor)
                chosen.append((confidence * ceiling, index, curated))
        neighbourhood = sum(phrases.neighbours.values()) or 1.0
        candidates = tuple(
            Candidate(
                entry=self._corpus.entries[index],
                confidence=min(1.0, confidence),
                similarity=similarity.get(index, 0.0),
                second_similarity=phrases.second.get(index, 0.0),
                curated_coverage=curated,
                neighbours=phrases.neighbours.get(index, 0.0) / neighbourhood,
            )
            for confidence, index, curated in chosen
        )
        unknown = max(0.0, 1.0 - sum(self._weight[w] for w in known.words) / known.total)
        return Reading(
            candidates,
            outside_similarity=outside,
            outside_neighbours=phrases.neighbours.get(_OUTSIDE, 0.0) / neighbourhood,
            unknown_share=unknown,
            words=len(query),
            vague=ceiling < 1.0,
        )

    def entry(self, entry_id: str) -> Entry | None:
        """The corpus entry with `entry_id`, or None."""
        return self._corpus.entry(entry_id)

    def _choose_uncached(self, question: str, limit: int) -> tuple[tuple[float, int, float], ...]:
        """The best `limit` entries reaching the cutoff, best first, as (confidence, position,
        curated coverage)."""
        analysis = self._analyse(question)
        known, similarity = analysis.known, analysis.phrases.best
        if not analysis.query or limit < 1:
            return ()
        share, cutoff = self._settings.phrase_share, self._settings.score_cutoff
        floor = self._settings.outside_margin + analysis.outside
        ceiling = self._ceiling(analysis.query)
        # Entries in falling similarity. Coverage is at most the share of the question the corpus
        # knows at all, so once even that could not lift the next entry into the best `limit` (or
        # over the cutoff), none after it can: the result is exactly that of scoring every candidate.
        most_covered = (1 - share) * sum(known.value.values()) / known.total + _ROUNDING
        best: list[tuple[float, int, float]] = []
        for index, phrase_similarity in sorted(similarity.items(), key=lambda item: item[1], reverse=True):
            bound = (share * phrase_similarity + most_covered) * ceiling
            if bound < cutoff or (len(best) == limit and bound < best[0][0]):
                break
            confidence, curated = self._confidence(index, phrase_similarity, known, floor)
            scored = (confidence * ceiling, index, curated)
            if len(best) < limit:
                heapq.heappush(best, scored)
            elif scored > best[0]:
                heapq.heapreplace(best, scored)
        return tuple(scored for scored in sorted(best, reverse=True) if scored[0] >= cutoff)

    def _ceiling(self, query: dict[str, float]) -> float:
        """What any confidence is held to: below the answer band for a vague question."""
        return self._settings.vague_ceiling if self._vague(query) else 1.0

    def _analyse_uncached(self, question: str) -> _Analysis:
        query = self._query(question)
        if not query:
            return _Analysis(query, _Known((), {}, 0.0), 0.0, _Phrasings({}, {}, {}))
        outside = self._outside_similarity(query)
        known = self._known(query)
        return _Analysis(query, known, outside[0] if outside else 0.0, self._phrase_similarity(known, outside))

    def _known(self, query: dict[str, float]) -> _Known:
        """The question's corpus words, weightiest first, with the value each may earn."""
        weight = self._weight
        total = sum(weight.get(word, self._unknown_weight) for word in query)
        words = sorted((w for w in query if w in weight), key=weight.__getitem__, reverse=True)
        return _Known(tuple(words), {w: weight[w] * query[w] for w in words}, total)

    def _phrase_similarity(self, known: _Known, outside: list[float]) -> _Phrasings:
        """Phrase similarity of every candidate entry: those whose curated words share a word with the question.

        An entry matched only through its answer text is not a candidate: its confidence could not
        exceed `(1 - phrase_share) * answer_credit`. Candidates come from the postings of the
        weightiest words first; when the next word would take the postings read past
        `candidate_postings`, it and commoner words only add to candidates already
        found (they weigh too little to lift an entry on their own). On a small corpus every
        posting is read and the result is exact. An entry found through its keywords alone has
        similarity 0 and is still a candidate (coverage may carry it).
        """
        words, value = known.words, known.value
        budget = self._settings.candidate_postings
        # Term at a time: each word adds its value to the phrasings that hold it, so a phrasing's
        # shared weight is summed from postings instead of intersecting word sets per phrasing.
        hits: dict[int, float] = {}
        get = hits.get
        found_all = True
        for rank, word in enumerate(words):
            postings: Collection[int] = self._phrase_postings.get(word, ())
            worth = value[word]
            if found_all and len(postings) > budget:
                if rank or len(words) == 1:
                    found_all = False
                else:
                    # Even the weightiest word is everywhere: start from phrases holding the two weightiest.
                    postings = set(postings).intersection(self._phrase_postings.get(words[1], ()))
            if found_all:
                for phrase in postings:
                    hits[phrase] = get(phrase, 0.0) + worth
                budget -= len(postings)
            elif len(postings) < len(hits):
                for phrase in postings:
                    if phrase in hits:
                        hits[phrase] += worth
            else:
                holds = self._phrase_words
                for phrase in hits:
                    if word in holds[phrase]:
                        hits[phrase] += worth
        similarity: dict[int, float] = dict.fromkeys(self._curated_postings.get(words[0], ()) if words else (), 0.0)
        second: dict[int, float] = {}
        scores: list[tuple[float, int]] = []
        total = known.total
        dice, contained = 2 * (1 - self._settings.containment_share), self._settings.containment_share
        owners, masses, repeated = self._phrase_owners, self._phrase_masses, self._phrase_repeats
        for position, hit in hits.items():
            owner, mass = owners[position], masses[position]
            score = dice * hit / (total + mass) + contained * hit / mass
            best = similarity.get(owner, -1.0)
            if score > best:
                if best >= 0.0:
                    second[owner] = best
                similarity[owner] = score
            elif score > second.get(owner, 0.0):
                second[owner] = score
            times = repeated[position]
            if times == 1:
                scores.append((score, owner))
            else:
                scores.extend([(score, owner)] * times)
                if score > second.get(owner, 0.0):
                    second[owner] = score
        scores.extend((score, _OUTSIDE) for score in outside)
        neighbours: dict[int, float] = defaultdict(float)
        for score, owner in heapq.nlargest(_NEIGHBOURS, scores):
            neighbours[owner] += score
        return _Phrasings(similarity, second, neighbours)

    def _confidence(self, index: int, phrase_similarity: float, known: _Known, floor: float) -> tuple[float, float]:
        """Entry `index`'s blended confidence (before the vague ceiling), and its curated coverage;
        `floor` is the phrase similarity below which the closest out-of-scope example is as close."""
        share = self._settings.phrase_share
        coverage, curated = self._coverage(index, known)
        confidence = share * phrase_similarity + (1 - share) * coverage
        if phrase_similarity < floor:
            confidence *= self._settings.outside_discount
        return confidence, curated

    def _coverage(self, index: int, known: _Known) -> tuple[float, float]:
        """Weighted share of the question's words that entry `index` explains (curated fully, answer
        partly), and the share its curated words alone explain."""
        earn = known.value.__getitem__
        curated = sum(map(earn, self._curated[index].intersection(known.value)))
        answer = sum(map(earn, self._answers[index].intersection(known.value)))
        return (curated + self._settings.answer_credit * answer) / known.total, curated / known.total

    def _outside_similarity(self, query: dict[str, float]) -> list[float]:
        """Phrase similarity between `query` and its closest out-of-scope examples, highest first
        (at most the neighbourhood's size; empty if none shares a word).

        Unlike entry phrasings, words the entries never use count here too: 'payslip' in both
        the question and an example is what makes them alike.
        """
        if not self._outside:
            return []
        weights = {w: self._weight.get(w, self._unknown_weight) for w in query}
        value = {w: weights[w] * credit for w, credit in query.items()}
        total = sum(weights.values())
        hits: dict[int, float] = {}
        get = hits.get
        for word, worth in value.items():
            for position in self._outside_postings.get(word, ()):
                hits[position] = get(position, 0.0) + worth
        outside = self._outside
        return heapq.nlargest(_NEIGHBOURS, (self._similarity(hit, total, outside[p].mass) for p, hit in hits.items()))

    def _similarity(self, hit: float, total: float, mass: float) -> float:
        """Weighted Dice overlap, blended with how much of the phrasing the question contains."""
        share = self._settings.containment_share
        return (1 - share) * 2 * hit / (total + mass) + share * hit / mass

    def _vague(self, query: dict[str, float]) -> bool:
        """One known word, used by several entries and by no one entry's phrasings nearly always:
        the question cannot say which entry it means."""
        if len(query) != 1:
            return False
        word = next(iter(query))
        return (
            len(self._curated_postings.get(word, ())) > 1
            and self._top_share.get(word, 0.0) < self._settings.vague_share
        )

    def _query(self, question: str) -> dict[str, float]:
        """Question words with the credit each may earn (less when read through a typo)."""
        query: dict[str, float] = {}
        for written, word in self._normalizer.words(question):
            credit = 1.0
            if word not in self._weight and word not in self._outside_postings:
                corrected = self._correct(written)
                if corrected is not None:
                    word, credit = corrected, self._settings.typo_credit
            query[word] = max(query.get(word, 0.0), credit)
        return query

    def _correct_uncached(self, word: str) -> str | None:
        if len(word) < self._settings.typo_min_length or not word.isalpha():
            return None
        # ratio = 200 * matches / (len(a) + len(b)), and matches <= the shorter length, so the
        # shorter word must be at least `typo_similarity / (200 - typo_similarity)` of the longer.
        least = self._settings.typo_similarity / (200 - self._settings.typo_similarity)
        lengths = range(math.ceil(len(word) * least), math.floor(len(word) / least) + 1)
        candidates = [spelling for length in lengths for spelling in self._vocabulary.get(length, ())]
        found = process.extractOne(
            word, candidates, scorer=fuzz.ratio, processor=None, score_cutoff=self._settings.typo_similarity
        )
        return self._spellings[found[0]] if found else None

    def _mass(self, words: frozenset[str]) -> float:
        return sum(self._weight.get(word, self._unknown_weight) for word in words)


def _idf(documents: int, frequency: int) -> float:
    """BM25's inverse document frequency: rare words weigh more, a word in every entry almost nothing."""
    return math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5))
