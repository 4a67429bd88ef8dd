"""Reading policy Q&A documents: questions, references, sign-off; problems and notes with line numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from knowledge.importing import ImportedDocument, import_document, parse_month

DOCUMENTS = Path(__file__).resolve().parents[1] / "data" / "import"


def read(name: str) -> ImportedDocument:
    return import_document((DOCUMENTS / name).read_text(encoding="utf-8"))


def labels(document: ImportedDocument, source: str) -> list[str]:
    (question,) = [q for q in document.questions if q.source == source]
    return [ref.label for ref in question.references]


def test_lettered_sub_questions_become_their_own_questions() -> None:
    document = read("lettered.txt")
    assert [q.source for q in document.questions] == ["Q1", "Q2(a)", "Q2(b)", "Q3(a)", "Q3(b)"]
    by_source = {q.source: q for q in document.questions}
    assert by_source["Q2(a)"].question == "Can I work my hours over four days?"
    assert by_source["Q3(a)"].answer == "Two requests in any 12-month period."
    assert by_source["Q3(b)"].line == 21
    assert document.problems == ()


def test_a_numbered_heading_over_sub_questions_is_a_note_not_a_problem() -> None:
    document = read("lettered.txt")
    assert "line 7: Q2 is a heading for its sub-questions" in [str(n) for n in document.notes]


def test_sign_off_gives_owner_and_review_date() -> None:
    document = read("lettered.txt")
    assert (document.owner, document.last_reviewed) == ("Employment Policy Team", dt.date(2024, 11, 1))
    assert document.title == "Flexible Working Questions & Answers"


def test_missing_sign_off_is_a_note_and_the_questions_are_still_read() -> None:
    document = read("no-sign-off.txt")
    assert (document.owner, document.last_reviewed) == (None, None)
    assert [q.source for q in document.questions] == ["Q1", "Q2"]
    assert document.problems == ()
    assert any("gives no owner and review date" in str(n) for n in document.notes)


def test_question_without_answer_is_a_problem_with_its_line() -> None:
    document = read("unanswered.txt")
    assert [str(p) for p in document.problems] == ["line 7: question Q2 has no answer; not imported"]
    assert [q.source for q in document.questions] == ["Q1", "Q3", "Q4"]


def test_stray_sub_question_and_numbering_gap_are_problems() -> None:
    problems = [str(p) for p in read("malformed.txt").problems]
    assert "line 3: sub-question (a) before any numbered question" in problems
    assert any(p.startswith("line 11: question 3 follows 1; expected 2") for p in problems)


def test_question_on_the_linked_faq_gives_the_section() -> None:
    assert labels(read("mentions.txt"), "Q1") == ["Attendance Policy FAQ 2.3", "Attendance Questions & Answers Q1"]


def test_plain_text_faq_mentions_outside_links_are_references() -> None:
    assert labels(read("mentions.txt"), "Q2") == [
        "Attendance Policy FAQ 7.8",
        "Social Media FAQ 3.1",
        "Attendance Questions & Answers Q2",
    ]


def test_a_policy_named_in_a_link_and_in_the_text_is_one_reference() -> None:
    assert labels(read("mentions.txt"), "Q5") == ["Attendance Policy FAQ 7.8", "Attendance Questions & Answers Q5"]


def test_real_links_keep_their_url_and_placeholders_get_none() -> None:
    document = read("mentions.txt")
    by_source = {q.source: q for q in document.questions}
    assert [r.url for r in by_source["Q3"].references][0] == "https://example.nhs.uk/policies/attendance"
    assert by_source["Q4"].references[0].url == "mailto:hr.direct@example.org"
    assert all(r.url is None for r in by_source["Q2"].references)


def test_an_unnamed_faq_mention_is_kept_and_noted() -> None:
    document = read("mentions.txt")
    assert "FAQ 2.1" in labels(document, "Q3")
    assert "line 11: Q3 mentions FAQ 2.1 without naming its policy" in [str(n) for n in document.notes]


def test_questions_naming_no_policy_are_notes_not_problems() -> None:
    document = read("unanswered.txt")
    assert "line 3: Q1 names no policy; referenced to the document only" in [str(n) for n in document.notes]
    assert all("names no policy" not in str(p) for p in document.problems)


def test_the_seed_document_has_no_problems() -> None:
    seed = Path(__file__).resolve().parents[2] / "knowledge" / "data" / "social-media-qa-2024-06.txt"
    document = import_document(seed.read_text(encoding="utf-8"))
    assert document.problems == ()
    assert "line 21: joined a sentence split across a page break" in [str(n) for n in document.notes]


def test_text_without_questions_is_a_problem() -> None:
    document = import_document("Just a memo.\n\nNothing numbered here.\n")
    assert document.questions == ()
    assert any("no questions found" in str(p) for p in document.problems)


@pytest.mark.parametrize(
    "answer, expected",
    [
        (
            "Raise it early.\n\nPolicy reference: Raising Concerns (Freedom to Speak Up) Policy HR-042, section 2.1",
            ["Raising Concerns (Freedom to Speak Up) Policy HR-042 2.1"],
        ),
        (
            "Use the Grievance Policy or the Dignity at Work Policy.",
            ["Grievance Policy", "Dignity at Work Policy"],
        ),
        (
            "See the Right to Work Checks Procedure HR-019 and the Temporary Staffing Policy TS-07, section 4.",
            ["Right to Work Checks Procedure HR-019", "Temporary Staffing Policy TS-07 4"],
        ),
        (
            "Agree it first (Additional Hours and Time off in Lieu Procedure (HR-09)).",
            ["Additional Hours and Time off in Lieu Procedure HR-09"],
        ),
        (
            "See the Reasonable Adjustments Guidance for Staff (HR-30) and the Checks Procedure (WF-11a).",
            ["Reasonable Adjustments Guidance for Staff HR-30", "Checks Procedure WF-11a"],
        ),
    ],
    ids=[
        "bracketed words and a hyphenated code",
        "'at' inside a name",
        "'to' inside a name",
        "'off in' inside a name",
        "'for Staff' after the name, a lettered code",
    ],
)
def test_policy_names_keep_their_bracketed_words_small_words_and_hyphenated_codes(
    answer: str, expected: list[str]
) -> None:
    document = import_document(f"Staff FAQ\n\n1. What now?\n\n{answer}\n")
    assert labels(document, "Q1") == [*expected, "Staff FAQ Q1"]


def test_a_policy_reference_line_is_a_reference_not_answer_text() -> None:
    document = import_document(
        "Staff FAQ\n\n1. What now?\n\nRaise it early.\n\n"
        "Policy reference: Grievance Policy HR-015, section 1.4; Temporary Staffing Pay Rates Schedule\n"
    )
    (question,) = document.questions
    assert question.answer == "Raise it early."
    assert labels(document, "Q1") == ["Grievance Policy HR-015 1.4", "Staff FAQ Q1"]


def test_text_pasted_from_a_pdf_viewer_loses_its_page_furniture_and_keeps_its_bullets() -> None:
    header = "Brookfield NHS Trust - Parking FAQ v1.2"
    document = import_document(
        f"Parking FAQ\n\n{header}\n\n1. Who can apply for a permit?\n\nStaff who work\n"
        f"Page 1 of 2\n{header}\nnights can apply, and so can:\n\n● porters\n• cleaners\n\n"
        f"2. How much is it?\n\nIt depends on your band.\n\nPage 2 of 2\n{header}\n"
    )
    assert [q.answer for q in document.questions] == [
        "Staff who work\nnights can apply, and so can:\n\n- porters\n- cleaners",
        "It depends on your band.",
    ]


@pytest.mark.parametrize(
    "written, expected",
    [
        ("March 2025", dt.date(2025, 3, 1)),
        ("12 March 2025", dt.date(2025, 3, 12)),
        ("3rd Sept 2024", dt.date(2024, 9, 3)),
        ("12/03/2025", dt.date(2025, 3, 12)),
        ("2025-03-14", dt.date(2025, 3, 14)),
        ("31 February 2025", None),
        ("Marching 2025", None),
    ],
)
def test_dates_are_read_as_uk_documents_write_them(written: str, expected: dt.date | None) -> None:
    assert parse_month(written) == expected


def test_a_review_outranks_an_approval_and_a_bare_review_date_which_is_often_the_next_review() -> None:
    document = import_document(
        "Staff FAQ\n\nDate approved: 18 November 2024\n\nReview date: 30 November 2026\n\n"
        "Last reviewed: March 2025\n\n1. What now?\n\nRaise it early.\n"
    )
    assert document.last_reviewed == dt.date(2025, 3, 1)
    approved = import_document(
        "Staff FAQ\n\nReview date: 30 November 2026\n\nDate approved: 18 November 2024\n\n1. What now?\n\nRaise it.\n"
    )
    assert approved.last_reviewed == dt.date(2024, 11, 18)


def test_a_page_that_says_who_last_changed_it_and_when_gives_the_date() -> None:
    document = import_document(
        "Staff FAQ\n\n1. What now?\n\nRaise it early.\n\n"
        "Last modified by Daniel Asante on 12 June 2025. This page does not replace the policy.\n"
    )
    assert document.last_reviewed == dt.date(2025, 6, 12)


def test_rules_and_table_dividers_are_no_text_and_a_policy_line_under_every_answer_stays_a_reference() -> None:
    entry = (
        "{n}. {q}\n\n{a}\n\n| Band | Rate |\n|------|------|\n| 5 | 45p |\n\nPolicy: Travel Policy FIN-12\n\n---\n\n"
    )
    text = "Staff FAQ\n\n" + "".join(
        entry.format(n=n, q=q, a=a)
        for n, q, a in ((1, "What now?", "Claim."), (2, "Then?", "Wait."), (3, "After?", "Go."))
    )
    document = import_document(text)
    assert [q.answer for q in document.questions] == [
        f"{a}\n\n| Band | Rate |\n| 5 | 45p |" for a in ("Claim.", "Wait.", "Go.")
    ]
    assert all(labels(document, f"Q{n}")[0] == "Travel Policy FIN-12" for n in (1, 2, 3))


def test_a_policy_named_bare_and_again_with_its_code_is_one_reference_and_an_appendix_is_kept() -> None:
    text = (
        "Parking Questions\n\n"
        "1. Can I appeal a fine?\n\n"
        "Yes. Under the Trust's Disciplinary Policy repeated fines are a conduct matter "
        "(see Disciplinary Policy HR-010). Charges are in the Staff Car Parking Policy EF-012, Appendix B.\n\n"
        "Estates, March 2025\n"
    )
    (question,) = import_document(text).questions
    assert [ref.label for ref in question.references] == [
        "Disciplinary Policy HR-010",
        "Staff Car Parking Policy EF-012 Appendix B",
        "Parking Questions Q1",
    ]


def test_an_owner_line_that_ends_with_its_review_date_gives_both() -> None:
    document = import_document(
        "Parking Questions\nOwner: Estates & Facilities – reviewed 14/01/2025\n\n1. Can I park?\n\nYes.\n"
    )
    assert (document.owner, document.last_reviewed) == ("Estates & Facilities", dt.date(2025, 1, 14))


def test_an_owner_and_a_review_date_in_one_paragraph_are_told_apart() -> None:
    line = "Owner: Health, Safety and Security Team Reviewed: August 2025"  # as pandoc makes a soft line break
    document = import_document(f"Lone Working Questions\n\n1. Am I a lone worker?\n\nYes.\n\n{line}\n")
    assert (document.owner, document.last_reviewed) == ("Health, Safety and Security Team", dt.date(2025, 8, 1))


def test_a_section_heading_groups_the_questions_under_it_and_an_introduction_does_not() -> None:
    text = (
        "Rotas: questions and answers\n\nINTRODUCTION\n\nThis guide answers common questions.\n\n"
        "Questions and answers\n\n1. Who writes the rota?\n\nYour ward manager.\n\n"
        "SHIFT SWAPS\n\n2. Can I swap a shift?\n\nYes, with your manager's agreement.\n\n"
        "3. Who records the swap?\n\nThe rota coordinator.\n"
    )
    imported = import_document(text)
    assert [(q.source, q.category) for q in imported.questions] == [
        ("Q1", ""),  # 'Questions and answers' names no subject; 'INTRODUCTION' heads no question
        ("Q2", "SHIFT SWAPS"),
        ("Q3", "SHIFT SWAPS"),
    ]
