"""Spreadsheets of questions and answers (.xlsx, .csv, .tsv) import row by row, columns found by their headers.

Three of them were written by people who never saw the importer (`tests/data/import/sheets/`, and
`eval/documents/accommodation/`), each with the entries its writer listed (`written.json`):

- `xlsx`: an HR team's Excel workbook: a "Read me" cover sheet (the trust's name above the title,
  owner and review date as label/value rows, a real Excel date), an FAQ sheet with a title above
  its frozen header (`Ref | Question | Answer | Policy reference | Last updated | Contact | Status |
  Internal notes`, the last hidden), section rows merged across, answers with line breaks typed
  in the cell and "•" bullets, a new row with no Ref yet, a reference cell saying "n/a", a footer
  note, a "Withdrawn" sheet and a "Change log" sheet;
- `csv`: a sheet saved from Excel as "CSV (Comma delimited)" (Windows-1252, CRLF rows, bare line
  feeds inside quoted cells, doubled quotes, "•" and "–" bullets, two title lines and a blank row
  above the header, an owner line with its review date, rows of different widths);
- `cqa`: a knowledge base exported from Azure custom question answering (QnA Maker, as FAQ Plus
  used it): one row per question with the answer repeated and the same QnaId, answers in markdown
  with line breaks written as `\\n`, `key:value|…` metadata, chit-chat pairs, follow-up prompts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from knowledge.import_plan import DRAFT_TOPIC, plan_import
from knowledge.importing import DocumentError, import_file
from knowledge.models import Topic

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = {
    "xlsx": ROOT / "tests" / "data" / "import" / "sheets" / "xlsx",
    "csv": ROOT / "tests" / "data" / "import" / "sheets" / "csv",
    "cqa": ROOT / "eval" / "documents" / "accommodation",  # also a held-out cold-start document
}


def written(name: str) -> tuple[Path, list[dict[str, object]]]:
    folder = FOLDERS[name]
    (source,) = [p for p in folder.iterdir() if p.suffix in {".xlsx", ".csv", ".tsv"}]
    return source, json.loads((folder / "written.json").read_text(encoding="utf-8"))


_CITED = re.compile(r"\b[A-Z]{2,5}-?\d{2,4}\b|\b\d+(?:\.\d+)+\b|(?<=section )\d+\b|\bAppendix [A-Z]\b")


@pytest.mark.parametrize("name", ["xlsx", "csv", "cqa"])
def test_every_entry_the_writer_listed_is_found_word_for_word(name: str) -> None:
    source, listed = written(name)
    imported = import_file(source.name, source.read_bytes())
    assert imported.problems == ()
    assert [(q.question, q.answer) for q in imported.questions] == [(i["question"], i["answer"]) for i in listed]
    assert [list(q.alternates) for q in imported.questions] == [i.get("alternates", []) for i in listed]
    for found, item in zip(imported.questions, listed, strict=True):
        labels = " ".join(f"{r.name}, section {r.section}" if r.section else r.name for r in found.references)
        # The policy codes, sections and appendices the writer gave are all cited.
        assert set(_CITED.findall(str(item["reference"] or ""))) <= set(_CITED.findall(labels)), found.source
        if item["reference"] is None:
            assert len(found.references) == 1 or name == "cqa", found.source  # the document itself only


@pytest.mark.parametrize("name", ["xlsx", "csv", "cqa"])
def test_each_question_keeps_the_category_its_writer_filed_it_under(name: str) -> None:
    # A section row (xlsx), a topic column (csv), an export's "category:" metadata (cqa).
    source, listed = written(name)
    imported = import_file(source.name, source.read_bytes())
    assert [q.category for q in imported.questions] == [i["topic"] or "" for i in listed]


@pytest.mark.parametrize(
    "name, title, owner, reviewed",
    [
        (
            "xlsx",
            "Job Evaluation and Agenda for Change Banding – Staff FAQ",  # not the trust's name above it
            "Workforce Policy & Reward Team (People Directorate)",
            dt.date(2024, 10, 3),  # 'Last reviewed', not 'Next review due'
        ),
        ("csv", "Staff Car Parking FAQ", "Estates & Facilities", dt.date(2025, 1, 14)),
        ("cqa", "staff-accommodation-kb", None, None),  # an export has none: named after its file, as noted
    ],
)
def test_title_owner_and_review_date(name: str, title: str, owner: str | None, reviewed: dt.date | None) -> None:
    source, _ = written(name)
    imported = import_file(source.name, source.read_bytes())
    assert (imported.title, imported.owner, imported.last_reviewed) == (title, owner, reviewed)


def test_rows_keep_their_own_labels_and_a_row_without_one_is_named_by_its_place() -> None:
    source, listed = written("xlsx")
    imported = import_file(source.name, source.read_bytes())
    assert [q.source for q in imported.questions] == [
        str(i["number"]) if i["number"] else f"Q{position}" for position, i in enumerate(listed, start=1)
    ]
    assert "sheet 'Withdrawn' left out: its name says it is not current" in [str(n) for n in imported.notes]


def test_text_that_went_into_no_entry_is_named_by_its_sheet_and_row() -> None:
    source, _ = written("xlsx")
    unplaced = [str(finding) for finding in import_file(source.name, source.read_bytes()).unplaced]
    assert "row 1: sheet 'Read me': 'Harbourside NHS Foundation Trust'" in unplaced
    assert "row 6: sheet 'Read me': 'Version | 6.1'" in unplaced


def test_an_export_keeps_its_qna_ids_and_leaves_chit_chat_out() -> None:
    source, listed = written("cqa")
    imported = import_file(source.name, source.read_bytes())
    assert [q.source for q in imported.questions] == [f"Q{i['number']}" for i in listed]
    assert any("chit-chat" in str(note) for note in imported.notes)
    assert not any(q.question.casefold().startswith(("hello", "hi", "thank")) for q in imported.questions)


def workbook(*sheets: tuple[str, list[list[object]]], hidden: str = "") -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title == hidden:
            sheet.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_columns_are_found_by_their_headers_in_any_order() -> None:
    data = workbook(
        (
            "FAQ",
            [
                ["Uniform questions"],
                ["Owner: Facilities", None, "Last reviewed: March 2025"],
                [],
                ["Related policy", "Answer", "Staff question", "No."],
                ["Uniform Policy HR-07", "Two sets.\n\nMore on request:\n• tunics\n• trousers", "How many sets?", 4],
            ],
        )
    )
    imported = import_file("uniform.xlsx", data)
    (question,) = imported.questions
    assert (imported.title, imported.owner, imported.last_reviewed) == (
        "Uniform questions",
        "Facilities",
        dt.date(2025, 3, 1),
    )
    assert (question.source, question.question) == ("Q4", "How many sets?")
    assert question.answer == "Two sets.\n\nMore on request:\n- tunics\n- trousers"
    assert question.references[0].label == "Uniform Policy HR-07"
    assert (question.line, imported.unit) == (5, "row")


def test_a_hidden_sheet_is_left_out_and_said_so() -> None:
    header = ["Question", "Answer"]
    data = workbook(
        ("FAQ", [header, ["Can I?", "Yes."]]), ("Drafts", [header, ["Secret?", "Not yet."]]), hidden="Drafts"
    )
    imported = import_file("faq.xlsx", data)
    assert [q.question for q in imported.questions] == ["Can I?"]
    assert "sheet 'Drafts' left out: it is hidden" in [str(n) for n in imported.notes]


def test_a_row_missing_its_question_or_answer_is_a_problem_not_a_silent_loss() -> None:
    text = "Question,Answer\nCan I park?,Yes.\nWho do I ask?,\n,An answer on its own.\n"
    imported = import_file("parking.csv", text.encode())
    assert [q.question for q in imported.questions] == ["Can I park?"]
    assert [str(p) for p in imported.problems] == [
        "row 3: a question with no answer, not imported",
        "row 4: an answer with no question, not imported",
    ]


def test_a_semicolon_separated_csv_is_read_as_excel_saves_it_where_the_comma_is_the_decimal_mark() -> None:
    text = 'Frage;Question;Answer\n1;Is there a charge?;"Yes; £8,50 a month."\n'
    (question,) = import_file("charges.csv", text.encode("cp1252")).questions
    assert (question.question, question.answer) == ("Is there a charge?", "Yes; £8,50 a month.")


def test_a_sheet_with_no_question_and_answer_header_says_what_it_expected() -> None:
    imported = import_file("notes.csv", b"Name,Phone\nHR Direct,0100\n")
    assert imported.questions == ()
    assert "header row naming a question column and an answer column" in str(imported.problems[-1])


@pytest.mark.parametrize("name", ["broken.xlsx", "empty.xlsx"])
def test_a_file_that_is_not_a_workbook_is_a_document_error(name: str) -> None:
    data = b"PK\x03\x04 not really a zip" if name == "broken.xlsx" else b""
    with pytest.raises(DocumentError, match="not an Excel workbook"):
        import_file(name, data)


def test_drafts_are_filed_under_the_declared_topic_their_category_names() -> None:
    source, listed = written("csv")
    topics = (Topic(id="permits", title="Parking permits"), Topic(id="fines", title="Fines and appeals"))
    plan = plan_import(
        import_file(source.name, source.read_bytes()), source_file=source.name, existing=None, topics=topics
    )
    expected = {"Permits": "permits", "Fines and appeals": "fines"}
    assert [e.topic for e in plan.document.entries] == [expected.get(str(i["topic"]), DRAFT_TOPIC) for i in listed]


def test_alternates_in_the_sheet_become_the_drafts_alternates() -> None:
    source, listed = written("cqa")
    imported = import_file(source.name, source.read_bytes())
    plan = plan_import(imported, source_file=source.name, existing=None)
    assert [list(e.alternates) for e in plan.document.entries] == [i["alternates"] for i in listed]


def test_a_sheet_too_long_to_be_a_q_and_a_is_refused_with_the_reason_not_cut_short(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("knowledge.importing.sheets.MAX_ROWS", 3)
    text = "Question,Answer\n" + "".join(f"Q{n}?,A{n}.\n" for n in range(3))
    with pytest.raises(DocumentError, match="the file has more than 3 rows: is it a Q&A sheet"):
        import_file("export.csv", text.encode())


def test_a_reimport_lists_the_alternates_a_curated_entry_lacks_and_adds_none() -> None:
    source, _ = written("cqa")
    imported = import_file(source.name, source.read_bytes())
    first = plan_import(imported, source_file=source.name, existing=None).document
    entry = next(e for e in first.entries if len(e.alternates) >= 2)
    removed, kept = entry.alternates[0], entry.alternates[1:]
    # A curator removed one alternate and re-typed another in their own case and punctuation.
    retyped = (kept[0].upper().rstrip("?") + " ?", *kept[1:])
    curated = dataclasses.replace(
        first,
        entries=tuple(e.model_copy(update={"alternates": retyped}) if e.id == entry.id else e for e in first.entries),
    )

    plan = plan_import(imported, source_file=source.name, existing=curated)

    change = next(c for c in plan.changes if c.entry_id == entry.id)
    assert change.unadopted == (removed,)
    assert next(e for e in plan.document.entries if e.id == entry.id).alternates == retyped
    assert all(not c.unadopted for c in plan.changes if c.entry_id != entry.id)


def test_numbers_and_dates_in_cells_are_imported_as_the_sheet_shows_them_not_as_stored() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "FAQ"
    sheet.append(["Mileage FAQ"])
    sheet.append(["Last reviewed", dt.datetime(2025, 1, 14)])
    sheet["B2"].number_format = "mm-dd-yy"  # what Excel saves for a date typed as 14/01/2025
    sheet.append(["Question", "Answer"])
    formatted = [
        ("What is the mileage rate?", 0.45, '"£"0.00', "£0.45"),
        ("How much of the fee is refunded?", 0.1, "0%", "10%"),
        ("When must claims be in?", dt.datetime(2025, 3, 31), "mm-dd-yy", "31/03/2025"),
        ("What is the yearly cap?", 1500, "[$£-809]#,##0.00", "£1,500.00"),
    ]
    for question, value, number_format, _ in formatted:
        sheet.append([question, value])
        sheet.cell(row=sheet.max_row, column=2).number_format = number_format
    out = io.BytesIO()
    book.save(out)

    imported = import_file("mileage.xlsx", out.getvalue())

    assert [(q.question, q.answer) for q in imported.questions] == [(q, text) for q, _, _, text in formatted]
    assert imported.last_reviewed == dt.date(2025, 1, 14)


def test_a_linked_policy_keeps_its_address_and_a_linked_answer_its_text_with_the_link_as_a_reference() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "FAQ"
    sheet.append([])  # the table starts at B3: links are found by the cell, wherever it stands
    sheet.append([])
    sheet.append([None, "Question", "Answer", "Policy reference"])
    sheet.append([None, "How do I order uniform?", "Use the uniform request form.", "Uniform Policy HR-07"])
    sheet.append([None, "Can I wash it at home?", "Yes, at 60 degrees.", "Uniform Policy HR-07"])
    sheet["C4"].hyperlink = "https://forms.example-trust.nhs.uk/uniform"
    sheet["D4"].hyperlink = "https://intranet.example-trust.nhs.uk/policies/uniform"
    sheet["D5"].hyperlink = "file:///S:/HR/Policies/uniform.docx"  # a shared drive: no link for staff
    out = io.BytesIO()
    book.save(out)

    ordering, washing = import_file("uniform.xlsx", out.getvalue()).questions

    assert ordering.answer == "Use the uniform request form."  # the approved text, as the sheet shows it
    urls = {r.name: r.url for r in ordering.references}
    assert urls["Uniform Policy HR-07"] == "https://intranet.example-trust.nhs.uk/policies/uniform"
    assert "https://forms.example-trust.nhs.uk/uniform" in urls.values()
    assert washing.answer == "Yes, at 60 degrees."
    assert all(r.url is None for r in washing.references)


def test_an_answer_typed_as_a_markdown_link_in_a_csv_stays_the_text_its_writer_typed() -> None:
    text = "Question,Answer\nWhere is the form?,[Uniform request form](https://forms.example-trust.nhs.uk/uniform)\n"
    (question,) = import_file("uniform.csv", text.encode()).questions
    assert question.answer == "[Uniform request form](https://forms.example-trust.nhs.uk/uniform)"


def test_a_link_naming_no_cell_is_left_out_and_the_sheet_still_imports() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Question", "Answer"])
    sheet.append(["How do I order uniform?", "Use the uniform request form."])
    sheet["B2"].hyperlink = "https://forms.example-trust.nhs.uk/uniform"
    saved = io.BytesIO()
    book.save(saved)
    mangled = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(mangled, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b'ref="B2"' in data
                data = data.replace(b'ref="B2"', b'ref="no such cell"')
            target.writestr(item, data)

    (question,) = import_file("uniform.xlsx", mangled.getvalue()).questions

    assert question.answer == "Use the uniform request form."
