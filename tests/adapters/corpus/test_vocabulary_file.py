"""Declaring topics in vocabulary.yaml keeps every comment and synonym a curator wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.corpus.vocabulary_file import VocabularyEditError, declare_topics
from knowledge.corpus import read_corpus
from knowledge.models import Topic

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = ROOT / "knowledge" / "data" / "vocabulary.yaml"
NEW = (Topic(id="fines-appeals", title="Fines and appeals"), Topic(id="costs", title='Costs: "salary" deductions'))


def test_new_topics_follow_the_declared_ones_and_nothing_else_changes(tmp_path: Path) -> None:
    path = tmp_path / "vocabulary.yaml"
    original = SHIPPED.read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")

    declare_topics(path, NEW)

    edited = path.read_text(encoding="utf-8")
    assert edited.count("\n") == original.count("\n") + 4
    # Every line the curators wrote is still there, in order, comments included.
    kept = iter(edited.splitlines())
    assert all(line in kept for line in original.splitlines())
    for name in ("out-of-scope.yaml", "social-media-qa.faq.yaml"):
        (tmp_path / name).write_bytes((SHIPPED.parent / name).read_bytes())
    reading = read_corpus(tmp_path)
    assert reading.corpus is not None, reading.problems
    assert reading.corpus.topics[-2:] == NEW
    assert len(reading.corpus.synonyms) == original.count("\n  - [")


def test_a_corpus_without_a_vocabulary_gets_one_with_the_topics(tmp_path: Path) -> None:
    path = tmp_path / "vocabulary.yaml"
    declare_topics(path, NEW)
    assert path.read_text(encoding="utf-8").startswith("topics:\n  - id: fines-appeals\n")


@pytest.mark.parametrize("text", ["topics: []\nsynonyms: []\n", "synonyms: []\n", "topics:\n  {id: a, title: A}\n"])
def test_topics_it_cannot_append_to_are_refused_and_the_file_left_alone(tmp_path: Path, text: str) -> None:
    path = tmp_path / "vocabulary.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(VocabularyEditError):
        declare_topics(path, NEW)
    assert path.read_text(encoding="utf-8") == text
