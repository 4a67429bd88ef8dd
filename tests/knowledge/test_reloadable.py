"""Swapping the corpus under a running dialogue: only a valid corpus replaces the current one."""

from __future__ import annotations

import shutil
from functools import partial
from pathlib import Path

import pytest

from knowledge import CorpusError, Ranker
from knowledge.embedding import Vectors
from knowledge.reloadable import ReloadableKnowledge

SHIPPED = Path(__file__).resolve().parents[2] / "knowledge" / "data"
OLD = "Yes, all social media posts which are on NHSBT accounts"
NEW = "Yes, every post on an NHSBT account"
QUESTION = "Are social media posts reviewed prior to being published?"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SHIPPED, tmp_path / "corpus"))


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / "social-media-qa.faq.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_valid_edit_replaces_the_corpus(folder: Path, vectors: Vectors) -> None:
    knowledge = ReloadableKnowledge(folder, build=partial(Ranker, vectors=vectors))
    assert knowledge.rank(QUESTION, limit=1)[0].entry.answer.startswith(OLD)
    edit(folder, OLD, NEW)
    outcome = knowledge.reload()
    assert (outcome.applied, outcome.generation, outcome.entries) == (True, 2, 21)
    assert knowledge.rank(QUESTION, limit=1)[0].entry.answer.startswith(NEW)
    assert knowledge.entry("posts-reviewed-before-publishing").answer.startswith(NEW)  # type: ignore[union-attr]


def test_a_broken_edit_keeps_the_old_corpus_and_names_the_fault(folder: Path, vectors: Vectors) -> None:
    knowledge = ReloadableKnowledge(folder, build=partial(Ranker, vectors=vectors))
    edit(folder, "  topic: posting-and-opinions\n", "  topic: nowhere\n")
    outcome = knowledge.reload()
    assert not outcome.applied and outcome.generation == 1
    assert "field 'topic': unknown topic 'nowhere'" in str(outcome.error)
    assert knowledge.rank(QUESTION, limit=1)[0].entry.topic == "posting-and-opinions"


def test_an_unservable_corpus_at_start_is_an_error(tmp_path: Path, vectors: Vectors) -> None:
    with pytest.raises(CorpusError):
        ReloadableKnowledge(tmp_path, build=partial(Ranker, vectors=vectors))
