"""A corpus as a new document arrives, and the documents kept for measuring how the bot does on one.

`bare(corpus)` keeps what an HR team has on the day it imports a document: each entry's question,
answer, references and topic. Alternates, keywords, synonyms and out-of-scope examples, which
curators add over time, are removed.

`eval/documents/` holds policy Q&A documents written for measuring, each a corpus folder with
`questions.yaml` (labelled staff questions written by someone who saw only the document).
`documents.yaml` says what each is for: `tuning` documents may guide the matcher's design and
weights; `held-out` ones only measure it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.corpus import load_corpus
from knowledge.models import Corpus

ROLES = ("tuning", "held-out")


@dataclass(frozen=True)
class EvaluationDocument:
    name: str
    role: str
    corpus: Corpus
    questions: Path


def bare(corpus: Corpus) -> Corpus:
    """`corpus` as imported: question, answer, references and topic of each entry, nothing curated."""
    entries = tuple(e.model_copy(update={"alternates": (), "keywords": ()}) for e in corpus.entries)
    return corpus.model_copy(update={"entries": entries, "synonyms": (), "out_of_scope": ()})


def merged(corpora: Sequence[Corpus]) -> Corpus:
    """One corpus holding every entry, topic, synonym and out-of-scope example of `corpora`."""
    topics = {topic.id: topic for corpus in corpora for topic in corpus.topics}
    return Corpus(
        entries=tuple(e for c in corpora for e in c.entries),
        topics=tuple(topics.values()),
        synonyms=tuple(s for c in corpora for s in c.synonyms),
        out_of_scope=tuple(o for c in corpora for o in c.out_of_scope),
    )


def evaluation_documents(folder: Path, role: str | None = None) -> Iterator[EvaluationDocument]:
    """The documents listed in `folder/documents.yaml` (those of `role`, when given), in its order."""
    listing = yaml.safe_load((folder / "documents.yaml").read_text(encoding="utf-8")) or {}
    for name, its_role in listing.items():
        if its_role not in ROLES:
            raise ValueError(f"{folder / 'documents.yaml'}: {name}: role must be one of {ROLES}, got {its_role!r}")
        if role is None or its_role == role:
            yield EvaluationDocument(name, its_role, load_corpus(folder / name), folder / name / "questions.yaml")
