"""`faqbot import` on files: what it prints, what it writes, and what it never touches."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import shutil
from functools import partial
from pathlib import Path

import pytest
import yaml

from adapters.cli.import_command import DocumentDefaults, run_import
from adapters.cli.lint_command import run_lint
from adapters.corpus.corpus_file import write_document
from knowledge import Ranker, load_corpus, read_corpus
from knowledge.corpus import read_document
from knowledge.embedding import Vectors
from knowledge.lint import LintSettings, lint_corpus
from tests.import_documents import UNIFORM, as_docx, as_html, as_pdf

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "knowledge" / "data"
SEED = SHIPPED / "social-media-qa-2024-06.txt"
DOCUMENTS = ROOT / "tests" / "data" / "import"


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SHIPPED, folder)
    return folder


def run(document: Path, corpus: Path, *, output: Path | None = None, dry_run: bool = False) -> tuple[int, str]:
    out = io.StringIO()
    code = run_import(document, corpus_dir=corpus, output=output, dry_run=dry_run, out=out)
    return code, out.getvalue()


def test_seed_into_the_shipped_corpus_changes_nothing(corpus_copy: Path) -> None:
    before = (corpus_copy / "social-media-qa.faq.yaml").read_bytes()
    code, report = run(SEED, corpus_copy)
    assert code == 0
    assert report.count("unchanged") == 21
    assert "No changes: " in report
    assert "line 21: joined a sentence split across a page break" in report
    assert "Problems (what could not be read):\n  none" in report
    assert (corpus_copy / "social-media-qa.faq.yaml").read_bytes() == before


def test_an_edited_document_updates_answers_and_keeps_curation(corpus_copy: Path, tmp_path: Path) -> None:
    document = tmp_path / "social-media-qa-2024-06.txt"
    curated = next(e for e in read_document(corpus_copy / "social-media-qa.faq.yaml").entries if e.source == "Q4")
    text = SEED.read_text(encoding="utf-8")
    text = text.replace(
        "Yes, all social media posts which are on NHSBT accounts", "Yes, every post on an NHSBT account"
    )
    text = text.replace(
        "\nJune 2024",
        "\n19. Can I block a colleague on Instagram?\n\nYes, see the Social Media Policy FAQ 5.1.\n\nJune 2024",
    )
    document.write_text(text, encoding="utf-8")
    code, report = run(document, corpus_copy)
    assert code == 0, report
    assert "updated    Q4" in report and "changed from the document: answer" in report
    assert "NEW DRAFT  Q19" in report and "Social Media Policy FAQ 5.1" in report
    assert "1 new entries are DRAFTS" in report
    written = read_document(corpus_copy / "social-media-qa.faq.yaml")
    entry = next(e for e in written.entries if e.source == "Q4")
    assert entry.answer.startswith("Yes, every post on an NHSBT account")
    assert entry.alternates == curated.alternates and len(entry.alternates) >= 2
    text_written = (corpus_copy / "social-media-qa.faq.yaml").read_text(encoding="utf-8")
    assert text_written.startswith("# Curated from social-media-qa-2024-06.txt.")
    # The draft's topic is not in the vocabulary: the bot refuses to serve it until a curator files it.
    with pytest.raises(Exception, match="unknown topic 'unsorted'"):
        load_corpus(corpus_copy)


def test_dry_run_writes_nothing(corpus_copy: Path, tmp_path: Path) -> None:
    document = tmp_path / "social-media-qa-2024-06.txt"
    document.write_text(SEED.read_text(encoding="utf-8").replace("June 2024", "May 2026"), encoding="utf-8")
    before = (corpus_copy / "social-media-qa.faq.yaml").read_bytes()
    code, report = run(document, corpus_copy, dry_run=True)
    assert code == 0
    assert report.count("changed from the document: last_reviewed") == 21
    assert "Dry run: " in report
    assert (corpus_copy / "social-media-qa.faq.yaml").read_bytes() == before


def test_a_new_document_becomes_a_new_file_of_drafts(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    code, report = run(DOCUMENTS / "lettered.txt", corpus)
    assert code == 0
    written = corpus / "lettered.faq.yaml"
    assert f"new file {written}" in report
    document = read_document(written)
    assert [e.source for e in document.entries] == ["Q1", "Q2(a)", "Q2(b)", "Q3(a)", "Q3(b)"]
    assert {e.topic for e in document.entries} == {"unsorted"}
    assert document.owner == "Employment Policy Team"
    assert written.read_text(encoding="utf-8").startswith("# Imported from lettered.txt")


def test_a_reimport_names_the_alternates_a_curator_removed_and_does_not_put_them_back(tmp_path: Path) -> None:
    export = ROOT / "eval" / "documents" / "accommodation" / "staff-accommodation-kb.tsv"
    corpus = tmp_path / "corpus"
    assert run(export, corpus)[0] == 0
    (written,) = corpus.glob("*.faq.yaml")
    document = read_document(written)
    entry = next(e for e in document.entries if e.alternates)
    removed = entry.alternates[0]
    trimmed = tuple(
        e.model_copy(update={"alternates": e.alternates[1:]}) if e is entry else e for e in document.entries
    )
    write_document(written, dataclasses.replace(document, entries=trimmed))

    code, report = run(export, corpus)

    assert code == 0, report
    assert re.search(
        rf"{entry.id}\n.*\n +the document gives 1 alternate\(s\) this entry does not have, not added "
        rf"\(alternates are curated\): add those that fit to its alternates\n +'{re.escape(removed)}'",
        report,
    )
    assert report.count("alternate(s) this entry does not have") == 1
    assert removed not in next(e for e in read_document(written).entries if e.id == entry.id).alternates


def test_a_sheet_category_that_is_a_declared_topic_files_the_new_entry(corpus_copy: Path) -> None:
    vocabulary = corpus_copy / "vocabulary.yaml"
    declared = yaml.safe_load(vocabulary.read_text(encoding="utf-8"))
    declared["topics"].append({"id": "parking-permits", "title": "Permits"})
    vocabulary.write_text(yaml.safe_dump(declared), encoding="utf-8")
    code, report = run(DOCUMENTS / "sheets" / "csv" / "car-parking-faq.csv", corpus_copy, dry_run=True)
    assert code == 0, report
    assert re.search(
        r"NEW +Q1 .*\n.*\n +filed under topic 'parking-permits' by the document's category 'Permits'", report
    )
    assert re.search(r"NEW DRAFT +Q4 .*\n.*\n +the document's category: 'Costs and salary deductions'", report)
    assert "3 new entries are filed under a topic by the document's own category" in report
    assert "19 new entries are DRAFTS" in report
    assert "categories that are not topics in vocabulary.yaml: 'Costs and salary deductions' (3), 'Night" in report


def test_add_topics_declares_the_documents_categories_and_files_every_entry(corpus_copy: Path) -> None:
    sheet = DOCUMENTS / "sheets" / "csv" / "car-parking-faq.csv"
    vocabulary = corpus_copy / "vocabulary.yaml"
    before = vocabulary.read_text(encoding="utf-8")

    out = io.StringIO()
    code = run_import(sheet, corpus_dir=corpus_copy, output=None, dry_run=True, out=out, add_topics=True)
    assert code == 0 and "Would declare 9 topics" in out.getvalue()
    assert vocabulary.read_text(encoding="utf-8") == before  # a dry run writes nothing

    out = io.StringIO()
    code = run_import(sheet, corpus_dir=corpus_copy, output=None, dry_run=False, out=out, add_topics=True)
    report = out.getvalue()

    assert code == 0, report
    assert "Declaring 9 topics" in report and "'fines-appeals' (Fines and appeals)" in report
    assert "DRAFT" not in report
    assert vocabulary.read_text(encoding="utf-8").startswith(before.split("\nsynonyms:")[0])
    corpus = load_corpus(corpus_copy)  # it loads: no entry is left a draft
    shipped = {e.id for e in load_corpus(SHIPPED).entries}
    parking = [e for e in corpus.entries if e.id not in shipped]
    assert len(parking) == 22 and all(e.topic != "unsorted" for e in parking)
    assert {"permits", "fines-appeals", "cycle-storage"} <= {t.id for t in corpus.topics}


def test_add_topics_into_a_new_corpus_folder_starts_its_vocabulary(tmp_path: Path) -> None:
    corpus = tmp_path / "new-corpus"
    out = io.StringIO()
    sheet = DOCUMENTS / "sheets" / "csv" / "car-parking-faq.csv"
    code = run_import(sheet, corpus_dir=corpus, output=None, dry_run=False, out=out, add_topics=True)
    assert code == 0, out.getvalue()
    assert "Declaring 9 topics" in out.getvalue()
    vocabulary = yaml.safe_load((corpus / "vocabulary.yaml").read_text(encoding="utf-8"))
    filed = {e.topic for e in read_document(corpus / "car-parking-faq.faq.yaml").entries}
    assert filed <= {topic["id"] for topic in vocabulary["topics"]} and "unsorted" not in filed


def test_problems_are_shown_with_line_numbers_and_fail_the_command(tmp_path: Path) -> None:
    code, report = run(DOCUMENTS / "unanswered.txt", tmp_path / "corpus")
    assert code == 1
    assert "line 7: question Q2 has no answer; not imported" in report
    assert (tmp_path / "corpus" / "unanswered.faq.yaml").exists()


def test_no_owner_anywhere_imports_drafts_with_owner_and_date_left_empty(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    code, report = run(DOCUMENTS / "no-sign-off.txt", corpus)
    assert code == 0, report
    assert "the document gives no owner and review date" in report
    assert "owner:          (none: give --owner, or fill it in the written file" in report
    written = corpus / "no-sign-off.faq.yaml"
    text = written.read_text(encoding="utf-8")
    assert "\n  owner:\n  last_reviewed:\n" in text  # empty header fields for the curator to fill in
    header = yaml.safe_load(text)["document"]
    assert (header["owner"], header["last_reviewed"]) == (None, None)
    document = read_document(written)
    assert (document.owner, document.last_reviewed) == (None, None)
    assert len(document.entries) == 2
    assert all((e.owner, e.last_reviewed, e.topic) == (None, None, "unsorted") for e in document.entries)


def test_lint_names_the_missing_owner_and_review_date_of_each_entry(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    run(DOCUMENTS / "no-sign-off.txt", corpus)
    ids = [entry.id for entry in read_document(corpus / "no-sign-off.faq.yaml").entries]
    out = io.StringIO()
    code = run_lint(corpus, settings=LintSettings(), strict=False, today=dt.date(2025, 6, 1), out=out)
    lines = out.getvalue().splitlines()
    assert code == 1
    for entry_id in ids:
        where = f"no-sign-off.faq.yaml: entry '{entry_id}'"
        assert (
            f"{where}: field 'owner': error [no-owner] no owner: set 'owner' in the document header or on the entry"
            in lines
        )
        assert any(
            line.startswith(f"{where}: field 'last_reviewed': error [no-review-date] no review date") for line in lines
        )
        assert any(line.startswith(f"{where}: field 'topic': error [draft-entry]") for line in lines)
    # A new corpus folder has no vocabulary yet: the curator creates it before the corpus can be served.
    assert any(line.startswith("vocabulary.yaml: error [schema] not found") for line in lines)
    assert f"{corpus}: 2 entries in 1 files; 7 errors, 0 warnings" in lines


def test_filling_in_the_owner_and_date_leaves_only_the_drafts_to_curate(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    run(DOCUMENTS / "no-sign-off.txt", corpus)
    written = corpus / "no-sign-off.faq.yaml"
    text = written.read_text(encoding="utf-8")
    written.write_text(
        text.replace("  owner:\n  last_reviewed:\n", "  owner: Attendance Team\n  last_reviewed: 2025-03-01\n"),
        encoding="utf-8",
    )
    shutil.copy(SHIPPED / "vocabulary.yaml", corpus)
    reading = read_corpus(corpus)
    assert {p.field for p in reading.problems} == {"topic"}  # the drafts' topic, which no vocabulary declares
    checks = {f.check for f in lint_corpus(reading, today=dt.date(2025, 6, 1))}
    assert checks == {"draft-entry"}


def test_options_give_the_metadata_a_document_lacks(tmp_path: Path) -> None:
    out = io.StringIO()
    defaults = DocumentDefaults(owner="Attendance Team", last_reviewed=dt.date(2025, 3, 1))
    code = run_import(
        DOCUMENTS / "no-sign-off.txt",
        corpus_dir=tmp_path / "corpus",
        output=None,
        dry_run=False,
        out=out,
        defaults=defaults,
    )
    assert code == 0, out.getvalue()
    written = read_document(tmp_path / "corpus" / "no-sign-off.faq.yaml")
    assert (written.owner, written.last_reviewed) == ("Attendance Team", dt.date(2025, 3, 1))


@pytest.mark.parametrize("suffix, unit", [("docx", "paragraph"), ("pdf", "page"), ("html", "line")])
def test_dry_run_lists_questions_with_their_place_references_and_unplaced_text(
    tmp_path: Path, suffix: str, unit: str
) -> None:
    document = tmp_path / f"uniform-qa.{suffix}"
    render = {
        "docx": lambda: as_docx(UNIFORM, "bold"),
        "pdf": lambda: as_pdf(UNIFORM, "Q1.", messy=True),
        "html": lambda: as_html(UNIFORM, "details"),
    }[suffix]
    document.write_bytes(render())
    code, report = run(document, tmp_path / "corpus", dry_run=True)
    assert code == 0, report
    assert report.count("NEW DRAFT") == 16
    assert f"Q9      {unit} " in report
    assert "Equality, Diversity and Inclusion Policy HR031" in report
    assert "Not placed in any entry" in report and "Answers to the questions staff asked" in report
    if suffix != "pdf":  # this PDF prints its links' addresses in the text; Word and HTML link them
        assert "uniform request form <https://forms.example-trust.nhs.uk/uniform>" in report
    assert not (tmp_path / "corpus").exists()


def test_a_corrupt_document_is_a_clear_error(tmp_path: Path) -> None:
    document = tmp_path / "broken.docx"
    document.write_bytes(b"not a word file")
    code, report = run(document, tmp_path)
    assert code == 1
    assert "cannot read" in report and "not a Word document" in report


def test_a_layout_the_importer_fails_on_is_a_clear_error_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(name: str, data: bytes, **_: object) -> None:
        raise IndexError("list index out of range")

    monkeypatch.setattr("adapters.cli.import_command.import_file", failing)
    code, report = run(DOCUMENTS / "mentions.txt", tmp_path)
    assert code == 1
    assert report.startswith(f"faqbot import: cannot read {DOCUMENTS / 'mentions.txt'}: the importer failed")
    assert "IndexError" in report and "nothing was written" in report and "Traceback" not in report
    assert list(tmp_path.iterdir()) == []


def test_output_option_chooses_the_file(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.faq.yaml"
    code, _ = run(DOCUMENTS / "mentions.txt", tmp_path / "corpus", output=target)
    assert code == 0
    assert [r.label for r in read_document(target).entries[1].references][:2] == [
        "Attendance Policy FAQ 7.8",
        "Social Media FAQ 3.1",
    ]


def test_unreadable_document_is_named(tmp_path: Path) -> None:
    code, report = run(tmp_path / "missing.txt", tmp_path)
    assert code == 1
    assert "cannot read" in report


def test_importing_a_document_names_the_out_of_scope_examples_it_now_answers(
    corpus_copy: Path, vectors: Vectors
) -> None:
    # The shipped out-of-scope examples keep sick-pay questions away from the social-media entries;
    # a sickness-absence document answers them, so each such example is named for a curator.
    document = ROOT / "eval" / "documents" / "attendance" / "attendance-qa.txt"
    out = io.StringIO()
    run_import(
        document, corpus_dir=corpus_copy, output=None, dry_run=True, out=out, meaning=partial(Ranker, vectors=vectors)
    )
    report = out.getvalue()
    assert "Out-of-scope examples this document now answers" in report
    (sick_pay,) = [line for line in report.splitlines() if "'how much sick pay do i get'" in line]
    assert sick_pay.strip().startswith("'how much sick pay do i get': much-sick-pay-get (meaning 0.9")
    # Listed by topic, each topic once, with how many of its examples are answered.
    lines = report.splitlines()
    topic = next(line for line in reversed(lines[: lines.index(sick_pay)]) if not line.startswith("    "))
    assert re.fullmatch(r"  Sick pay \(\d+\):", topic), topic
    # The seed answers none of them: nothing is listed.
    out = io.StringIO()
    run_import(
        SEED, corpus_dir=corpus_copy, output=None, dry_run=True, out=out, meaning=partial(Ranker, vectors=vectors)
    )
    assert "Out-of-scope examples this document now answers" not in out.getvalue()
