from __future__ import annotations

from pathlib import Path

import pytest
from rapidfuzz import fuzz, process

from knowledge import Corpus
from knowledge.evaluation import LabelledQuestion, LabelledSetError, load_labelled


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "set.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_entry_ids_and_out_of_scope(tmp_path: Path, corpus: Corpus) -> None:
    path = write(
        tmp_path,
        '- q: "tik tok on my work phone"\n  expect: tiktok-government-restrictions\n'
        '- q: "how do I book leave"\n  expect: out-of-scope\n',
    )
    assert load_labelled(path, corpus) == (
        LabelledQuestion("tik tok on my work phone", "tiktok-government-restrictions"),
        LabelledQuestion("how do I book leave", None),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- q: hello\n  expect: no-such-entry\n", r"item #1: 'expect' must be an entry id"),
        ("- expect: out-of-scope\n", r"item #1: expected a mapping with a non-empty 'q'"),
        ("- q: '  '\n  expect: out-of-scope\n", r"item #1: expected a mapping with a non-empty 'q'"),
        ("q: hello\n", r"expected a non-empty list"),
        ("[unclosed", r"not valid YAML"),
    ],
)
def test_bad_files_are_named_with_the_item(tmp_path: Path, corpus: Corpus, text: str, message: str) -> None:
    with pytest.raises(LabelledSetError, match=message):
        load_labelled(write(tmp_path, text), corpus)


def test_missing_file(tmp_path: Path, corpus: Corpus) -> None:
    with pytest.raises(LabelledSetError, match="cannot be read"):
        load_labelled(tmp_path / "nowhere.yaml", corpus)


@pytest.mark.parametrize("name", ["tuning.yaml", "heldout.yaml"])
def test_shipped_labelled_sets_load_and_are_large_enough(corpus: Corpus, name: str) -> None:
    questions = load_labelled(Path(__file__).resolve().parents[2] / "eval" / name, corpus)
    assert sum(1 for q in questions if q.in_scope) >= 100
    assert sum(1 for q in questions if not q.in_scope) >= 40


def test_no_heldout_question_is_in_the_tuning_set_or_copied_into_the_corpus(corpus: Corpus) -> None:
    """The held-out set measures matching only while nothing was fitted to it."""
    folder = Path(__file__).resolve().parents[2] / "eval"
    heldout = {" ".join(q.question.lower().split()) for q in load_labelled(folder / "heldout.yaml", corpus)}
    tuning = {" ".join(q.question.lower().split()) for q in load_labelled(folder / "tuning.yaml", corpus)}
    assert heldout.isdisjoint(tuning)
    curated = [p.lower() for e in corpus.entries for p in (e.question, *e.alternates)]
    curated += [example.lower() for topic in corpus.out_of_scope for example in topic.examples]
    copied = [q for q in heldout if process.extractOne(q, curated, scorer=fuzz.ratio, score_cutoff=85)]
    assert copied == []
