from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from knowledge import CorpusError, load_corpus

VALID_ENTRY = """
  - id: {id}
    source: Q1
    topic: general
    question: Can I have TikTok on my work phone?
    answer: No.
    references:
      - name: POL19 IT Acceptable Use Policy
"""


VOCABULARY = "topics:\n  - {id: general, title: General}\n"


def write(folder: Path, body: str, name: str = "test.faq.yaml") -> Path:
    """`body` as `name` in `folder`, beside a vocabulary declaring the topic of VALID_ENTRY."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(body, encoding="utf-8")
    if not (folder / "vocabulary.yaml").exists():
        (folder / "vocabulary.yaml").write_text(VOCABULARY, encoding="utf-8")
    return folder


def corpus_text(*entries: str, document: str = "owner: HR Policy Team\n  last_reviewed: 2024-06-01") -> str:
    return f"document:\n  {document}\nentries:" + "".join(entries)


def test_loads_entries_with_document_defaults(tmp_path: Path) -> None:
    corpus = load_corpus(write(tmp_path, corpus_text(VALID_ENTRY.format(id="tiktok"))))
    (entry,) = corpus.entries
    assert entry.id == "tiktok"
    assert entry.owner == "HR Policy Team"
    assert entry.last_reviewed == dt.date(2024, 6, 1)
    assert entry.reference_labels == ("POL19 IT Acceptable Use Policy",)


def test_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="corpus folder not found"):
        load_corpus(tmp_path / "nowhere")


def test_folder_without_corpus_files(tmp_path: Path) -> None:
    tmp_path.joinpath("notes.txt").write_text("x")
    with pytest.raises(CorpusError, match=r"no \*\.faq\.yaml files"):
        load_corpus(tmp_path)


def test_invalid_yaml_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"^broken\.faq\.yaml: not valid YAML"):
        load_corpus(write(tmp_path, "entries: [unclosed", name="broken.faq.yaml"))


def test_missing_answer_names_file_entry_and_field(tmp_path: Path) -> None:
    entry = VALID_ENTRY.format(id="no-answer").replace("    answer: No.\n", "")
    with pytest.raises(CorpusError, match=r"test\.faq\.yaml: entry 'no-answer': field 'answer': Field required"):
        load_corpus(write(tmp_path, corpus_text(entry)))


def test_entry_without_reference_is_refused(tmp_path: Path) -> None:
    entry = VALID_ENTRY.format(id="no-ref").split("    references:")[0] + "    references: []\n"
    with pytest.raises(CorpusError, match=r"entry 'no-ref': field 'references'"):
        load_corpus(write(tmp_path, corpus_text(entry)))


def test_bad_id_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"entry 'Bad Id': field 'id'"):
        load_corpus(write(tmp_path, corpus_text(VALID_ENTRY.format(id="Bad Id"))))


def test_unknown_field_is_refused(tmp_path: Path) -> None:
    entry = VALID_ENTRY.format(id="typo") + "    alternatives: [oops]\n"
    with pytest.raises(CorpusError, match=r"entry 'typo': field 'alternatives': Extra inputs"):
        load_corpus(write(tmp_path, corpus_text(entry)))


def test_bad_date_is_refused(tmp_path: Path) -> None:
    text = corpus_text(VALID_ENTRY.format(id="dated"), document="owner: HR\n  last_reviewed: June")
    with pytest.raises(CorpusError, match=r"entry 'dated': field 'last_reviewed'"):
        load_corpus(write(tmp_path, text))


def test_duplicate_ids_within_a_file(tmp_path: Path) -> None:
    text = corpus_text(VALID_ENTRY.format(id="twice"), VALID_ENTRY.format(id="twice"))
    with pytest.raises(CorpusError, match=r"entry 'twice': duplicate id"):
        load_corpus(write(tmp_path, text))


def test_duplicate_ids_across_files_name_both(tmp_path: Path) -> None:
    write(tmp_path, corpus_text(VALID_ENTRY.format(id="twice")), name="a.faq.yaml")
    write(tmp_path, corpus_text(VALID_ENTRY.format(id="twice")), name="b.faq.yaml")
    with pytest.raises(CorpusError, match=r"b\.faq\.yaml: entry 'twice': duplicate id \(also in a\.faq\.yaml\)"):
        load_corpus(tmp_path)


def test_unknown_related_entry(tmp_path: Path) -> None:
    entry = VALID_ENTRY.format(id="lonely") + "    related: [ghost]\n"
    with pytest.raises(CorpusError, match=r"entry 'lonely': field 'related': unknown entry 'ghost'"):
        load_corpus(write(tmp_path, corpus_text(entry)))


def test_unknown_topic_when_topics_are_declared(tmp_path: Path) -> None:
    write(tmp_path, corpus_text(VALID_ENTRY.format(id="stray")))
    (tmp_path / "vocabulary.yaml").write_text("topics:\n  - {id: other, title: Other}\n")
    with pytest.raises(CorpusError, match=r"entry 'stray': field 'topic': unknown topic 'general'"):
        load_corpus(tmp_path)


def test_bad_synonym_group(tmp_path: Path) -> None:
    write(tmp_path, corpus_text(VALID_ENTRY.format(id="ok")))
    (tmp_path / "vocabulary.yaml").write_text("synonyms:\n  - [lonely]\n")
    with pytest.raises(CorpusError, match=r"vocabulary\.yaml: synonyms #1"):
        load_corpus(tmp_path)


def test_out_of_scope_examples_are_loaded(tmp_path: Path) -> None:
    write(tmp_path, corpus_text(VALID_ENTRY.format(id="tiktok")))
    tmp_path.joinpath("out-of-scope.yaml").write_text(
        "topics:\n  - topic: Annual leave\n    examples:\n      - how many days holiday do i get\n", encoding="utf-8"
    )
    (topic,) = load_corpus(tmp_path).out_of_scope
    assert topic.topic == "Annual leave" and topic.examples == ("how many days holiday do i get",)


def test_out_of_scope_topic_without_examples_is_named(tmp_path: Path) -> None:
    write(tmp_path, corpus_text(VALID_ENTRY.format(id="tiktok")))
    tmp_path.joinpath("out-of-scope.yaml").write_text("topics:\n  - topic: Pay\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"out-of-scope.yaml: topics #1: examples"):
        load_corpus(tmp_path)


def test_a_corpus_without_its_vocabulary_is_refused(tmp_path: Path) -> None:
    write(tmp_path, corpus_text(VALID_ENTRY.format(id="tiktok")))
    (tmp_path / "vocabulary.yaml").unlink()
    with pytest.raises(CorpusError, match=r"^vocabulary\.yaml: not found: it declares the topics"):
        load_corpus(tmp_path)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "test.faq.yaml",
            corpus_text(VALID_ENTRY.format(id="tiktok")) + "\nentires: []\n",
            "test.faq.yaml: unknown key 'entires' (known: document, entries)",
        ),
        (
            "test.faq.yaml",
            corpus_text(
                VALID_ENTRY.format(id="tiktok"),
                document="ower: HR\n  owner: HR Policy Team\n  last_reviewed: 2024-06-01",
            ),
            "test.faq.yaml: unknown key 'ower' in 'document' (known: last_reviewed, owner, source_file, title)",
        ),
        (
            "vocabulary.yaml",
            VOCABULARY + "synonym:\n  - [leave, holiday]\n",
            "vocabulary.yaml: unknown key 'synonym' (known: synonyms, topics)",
        ),
        (
            "out-of-scope.yaml",
            "topics:\n  - topic: Pay\n    examples: [when is payday]\nexample: [x]\n",
            "out-of-scope.yaml: unknown key 'example' (known: topics)",
        ),
    ],
)
def test_an_unknown_key_is_named(tmp_path: Path, name: str, text: str, expected: str) -> None:
    write(tmp_path, corpus_text(VALID_ENTRY.format(id="tiktok")))
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError) as raised:
        load_corpus(tmp_path)
    assert [str(problem) for problem in raised.value.problems] == [expected]


def test_invalid_yaml_is_reported_by_line_without_quoting_the_file(tmp_path: Path) -> None:
    write(tmp_path, "entries:\n  - id: x\n    answer: [a confidential draft answer\n", name="broken.faq.yaml")
    with pytest.raises(CorpusError) as raised:
        load_corpus(tmp_path)
    message = str(raised.value)
    assert message.startswith("broken.faq.yaml: not valid YAML: ") and "(line 4, column 1)" in message
    assert "confidential" not in message
