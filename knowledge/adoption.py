"""Adopt a labelled set's questions into the corpus: how staff worded them becomes curated phrasing.

A labelled question (see `knowledge.evaluation`) is a curator's decision about what a wording
means. Adopting it makes the corpus hold that decision: an in-scope question becomes an alternate
of its entry, an out-of-scope one an out-of-scope example. More ways of saying each thing is what
carries over to staff the corpus has never heard from: adopting the tuning set (1,735 questions)
raised correct answers on 870 questions from three new writers from 90.8% to 94.6% (README,
"Measuring matching").

Only wordings that add something and cannot mislead are adopted; the rest are skipped with a reason:
- the corpus already holds the same words (after `knowledge.normalize`) for the same label, or
  nearly the same text for the same entry (what `faqbot lint` would call a repeated alternate);
- the corpus, or the file itself, gives the same words another label: two phrasings with the same
  words and different meanings would make the bot's choice arbitrary, so a curator decides;
- a one-word in-scope question: one word cannot say which entry is meant, and the bot rightly
  asks "Did you mean…?" instead.

Never adopt the held-out set: it measures what the bot does with wordings it has not seen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process, utils

from knowledge.evaluation import OUT_OF_SCOPE, LabelledQuestion
from knowledge.models import Corpus, OutOfScopeTopic
from knowledge.normalize import Normalizer

ADOPTED_TOPIC = "Questions labelled out of scope"
"""The out-of-scope topic adopted examples join (created when missing)."""


@dataclass(frozen=True)
class Skipped:
    """A labelled question left out, and why."""

    question: str
    reason: str


@dataclass(frozen=True)
class Adoption:
    """What adopting a labelled set would add, and what it leaves out."""

    alternates: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """New alternates by entry id, in the labelled file's order."""
    out_of_scope: tuple[str, ...] = ()
    """New out-of-scope examples, in the labelled file's order."""
    known: int = 0
    """Questions whose words the corpus already holds with the same label (nothing to add)."""
    skipped: tuple[Skipped, ...] = ()

    @property
    def added(self) -> int:
        return sum(map(len, self.alternates.values())) + len(self.out_of_scope)

    def apply(self, corpus: Corpus) -> Corpus:
        """`corpus` with the adopted alternates and out-of-scope examples."""
        entries = tuple(
            e.model_copy(update={"alternates": (*e.alternates, *self.alternates.get(e.id, ()))}) for e in corpus.entries
        )
        topics = list(corpus.out_of_scope)
        if self.out_of_scope:
            position = next((i for i, t in enumerate(topics) if t.topic == ADOPTED_TOPIC), None)
            if position is None:
                topics.append(OutOfScopeTopic(topic=ADOPTED_TOPIC, examples=self.out_of_scope))
            else:
                topic = topics[position]
                topics[position] = topic.model_copy(update={"examples": (*topic.examples, *self.out_of_scope)})
        return corpus.model_copy(update={"entries": entries, "out_of_scope": tuple(topics)})


def plan_adoption(corpus: Corpus, questions: Iterable[LabelledQuestion], *, repeat_ratio: float = 90.0) -> Adoption:
    """What adopting `questions` into `corpus` would add; see the module docstring for what is skipped.

    `repeat_ratio` is the rapidfuzz ratio (0-100, lower case, punctuation dropped) from which a
    wording repeats one of its entry's phrasings (`LintSettings.near_duplicate_ratio`).
    """
    normalizer = Normalizer(corpus.synonyms)
    texts: dict[str, list[str]] = {
        entry.id: [utils.default_process(p) for p in (entry.question, *entry.alternates)] for entry in corpus.entries
    }

    def repeats(text: str, entry_id: str) -> bool:
        found = process.extractOne(
            utils.default_process(text), texts[entry_id], scorer=fuzz.ratio, processor=None, score_cutoff=repeat_ratio
        )
        return found is not None

    def words(text: str) -> frozenset[str]:
        return frozenset(normalizer.tokens(text))

    meaning: dict[frozenset[str], str] = {}
    for entry in corpus.entries:
        for phrasing in (entry.question, *entry.alternates):
            meaning.setdefault(words(phrasing), entry.id)
    for topic in corpus.out_of_scope:
        for example in topic.examples:
            meaning.setdefault(words(example), OUT_OF_SCOPE)
    questions = tuple(questions)
    labels: dict[frozenset[str], set[str]] = {}
    for item in questions:
        labels.setdefault(words(item.question), set()).add(item.expected or OUT_OF_SCOPE)
    alternates: dict[str, list[str]] = {}
    outside: list[str] = []
    skipped: list[Skipped] = []
    known = 0
    taken: set[frozenset[str]] = set()
    for item in questions:
        key, label = words(item.question), item.expected or OUT_OF_SCOPE
        held = meaning.get(key)
        if not key:
            skipped.append(Skipped(item.question, "no word the bot matches on"))
        elif held == label or key in taken or (label != OUT_OF_SCOPE and repeats(item.question, label)):
            known += 1
        elif held is not None:
            skipped.append(Skipped(item.question, f"labelled {label}, but the corpus has these words as {held}"))
        elif len(labels[key]) > 1:
            others = ", ".join(sorted(labels[key] - {label}))
            skipped.append(Skipped(item.question, f"labelled {label}, but this file also has these words as {others}"))
        elif label != OUT_OF_SCOPE and len(key) == 1:
            skipped.append(Skipped(item.question, "one word: the bot asks which entry is meant"))
        else:
            taken.add(key)
            if label == OUT_OF_SCOPE:
                outside.append(item.question.strip())
            else:
                alternates.setdefault(label, []).append(item.question.strip())
                texts[label].append(utils.default_process(item.question))
    return Adoption(
        alternates={entry_id: tuple(texts) for entry_id, texts in alternates.items()},
        out_of_scope=tuple(outside),
        known=known,
        skipped=tuple(skipped),
    )
