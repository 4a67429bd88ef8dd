"""Every format × layout: every entry found, answers verbatim, references found, ids ASCII and stable."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from fpdf import FPDF

from knowledge.import_plan import plan_import
from knowledge.importing import DocumentError, ImportedDocument, import_document, import_file, slug
from tests.import_documents import (
    FONT_DIR,
    OWNER,
    UNIFORM,
    as_docx,
    as_html,
    as_pdf,
    as_text,
    expected_answer,
    normalised,
    text_as_docx,
    text_as_pdf,
)

ROOT = Path(__file__).resolve().parents[2]
SEED = (ROOT / "knowledge" / "data" / "social-media-qa-2024-06.txt").read_text(encoding="utf-8")

CASES = [
    *[("txt", layout) for layout in ("1.", "Q1.", "Q1:", "Q:A:", "Question N", "headings", "bold", "question lines")],
    *[("docx", layout) for layout in ("headings", "bold", "Q1.", "question lines", "table")],
    *[("pdf", layout) for layout in ("Q1.", "bold", "question lines", "messy")],
    *[("html", layout) for layout in ("details", "headings", "bold", "Q1.", "table")],
]


def render(fmt: str, layout: str) -> bytes:
    if fmt == "txt":
        return as_text(UNIFORM, layout).encode("utf-8")
    if fmt == "docx":
        return as_docx(UNIFORM, layout)
    if fmt == "pdf":
        messy = layout == "messy"
        return as_pdf(UNIFORM, "Q1." if messy else layout, messy=messy, split_question=9 if messy else None)
    return as_html(UNIFORM, layout)


def imported(fmt: str, layout: str) -> ImportedDocument:
    return import_file(f"uniform-qa.{fmt}", render(fmt, layout))


@pytest.mark.parametrize("fmt, layout", CASES)
def test_every_entry_is_found_with_its_question(fmt: str, layout: str) -> None:
    document = imported(fmt, layout)
    assert [q.question for q in document.questions] == [qa.question for qa in UNIFORM]
    assert document.problems == ()


@pytest.mark.parametrize("fmt, layout", CASES)
def test_answers_are_the_document_text(fmt: str, layout: str) -> None:
    document = imported(fmt, layout)
    links = "printed" if fmt == "pdf" else "markdown"
    for qa, question in zip(UNIFORM, document.questions, strict=True):
        assert normalised(question.answer) == normalised(expected_answer(qa, links=links)), question.source
        assert "Source:" not in question.answer


@pytest.mark.parametrize("fmt, layout", CASES)
def test_references_are_found(fmt: str, layout: str) -> None:
    document = imported(fmt, layout)
    for qa, question in zip(UNIFORM, document.questions, strict=True):
        labels = [ref.label for ref in question.references]
        # A printed PDF has no hyperlinks: the link's address, printed after it, is the reference.
        printed = {"uniform request form": "FORMS.EXAMPLE-TRUST.NHS.UK"} if fmt == "pdf" else {}
        for expected in (printed.get(label, label) for label in qa.references):
            assert expected in labels, (question.source, labels)
        assert labels[-1] == f"{document.title} {question.source}"


@pytest.mark.parametrize("fmt, layout", CASES)
def test_metadata_comes_from_the_document(fmt: str, layout: str) -> None:
    document = imported(fmt, layout)
    assert (document.owner, document.last_reviewed) == (OWNER, dt.date(2025, 3, 1))
    assert document.title == "Uniform and Workwear Questions & Answers"


@pytest.mark.parametrize("fmt, layout", CASES)
def test_ids_are_ascii_and_stable(fmt: str, layout: str) -> None:
    first = plan_import(imported(fmt, layout), source_file=f"uniform-qa.{fmt}", existing=None)
    ids = [entry.id for entry in first.document.entries]
    assert all(entry_id.isascii() for entry_id in ids) and len(set(ids)) == len(UNIFORM)
    again = plan_import(imported(fmt, layout), source_file=f"uniform-qa.{fmt}", existing=first.document)
    assert not again.changed
    assert [entry.id for entry in again.document.entries] == ids


def test_urls_keep_their_address() -> None:
    by_source = {q.source: q for q in imported("docx", "headings").questions}
    form = next(ref for ref in by_source["Q3"].references if ref.name == "uniform request form")
    assert form.url == "https://forms.example-trust.nhs.uk/uniform"
    source = by_source["Q2"].references[0]
    assert source.url == "https://intranet.example-trust.nhs.uk/policies/uniform-and-workwear"


def test_a_source_line_naming_a_policy_is_that_policy() -> None:
    by_source = {q.source: q for q in imported("html", "details").questions}
    assert by_source["Q9"].references[0].label == "Equality, Diversity and Inclusion Policy HR031"


def test_the_messy_pdf_drops_headers_footers_and_page_numbers_and_joins_the_split_question() -> None:
    document = imported("pdf", "messy")
    text = " ".join(q.answer for q in document.questions)
    assert "Uncontrolled when printed" not in text and "Page " not in text and "Document owner" not in text
    assert document.questions[8].question == UNIFORM[8].question
    assert document.questions[8].line != document.questions[7].line
    assert "| Registered nurses | navy |" in document.questions[15].answer


def test_section_headings_in_capitals_are_not_answer_text() -> None:
    document = imported("html", "headings")
    assert all("APPEARANCE" not in q.answer for q in document.questions)
    assert all("Back to top" not in q.answer for q in document.questions)


@pytest.mark.parametrize(
    "render_seed",
    [
        lambda text: ("seed.txt", text.encode("utf-8")),
        lambda text: ("seed.docx", text_as_docx(text)),
        lambda text: ("seed.pdf", text_as_pdf(text)),
    ],
    ids=["txt", "docx", "pdf"],
)
def test_the_seed_imports_to_the_same_entries_in_every_format(render_seed) -> None:  # type: ignore[no-untyped-def]
    reference = import_document(SEED)
    document = import_file(*render_seed(SEED))
    assert len(document.questions) == 21
    assert [q.source for q in document.questions] == [q.source for q in reference.questions]
    for mine, theirs in zip(document.questions, reference.questions, strict=True):
        assert normalised(mine.answer) == normalised(theirs.answer), mine.source
        assert normalised(mine.question) == normalised(theirs.question), mine.source
    assert (document.owner, document.last_reviewed) == (reference.owner, reference.last_reviewed)


LEAVE_STYLE = """Working Arrangements: Questions and Answers

Q1. I can’t get into work because of bad weather. What should I do?

Call your line manager as early as you can. You may be able to work from another site or from home.

Source: https://www.example-trust.nhs.uk/hr/adverse-weather

Q2. Does the Family Leave Policy HR048 cover foster carers?

Yes, foster carers can request time off under the Family Leave Policy HR048 section 4.2.

Source: https://www.example-trust.nhs.uk/hr/family-leave

Q3. Can I claim mileage for a training course?

Yes, under the Travel and Expenses Policy FIN012 section 6.4, at the standard rate.

Source: https://www.example-trust.nhs.uk/hr/expenses
"""


def test_q1_numbering_with_source_lines_and_no_sign_off_imports_every_entry_with_its_url() -> None:
    document = import_document(LEAVE_STYLE)
    assert [q.source for q in document.questions] == ["Q1", "Q2", "Q3"]
    assert document.problems == ()
    for question in document.questions:
        assert any((ref.url or "").startswith("https://www.example-trust.nhs.uk/hr/") for ref in question.references)
        assert "Source" not in question.answer
    labels = [[ref.label for ref in q.references] for q in document.questions]
    assert "Family Leave Policy HR048 4.2" in labels[1]
    assert "Travel and Expenses Policy FIN012 6.4" in labels[2]


def test_slugs_are_readable_ascii_from_any_unicode() -> None:
    assert slug("I can’t get into work because of bad weather", ()) == "cant-get-into-work-because-bad"
    assert slug("Où est la crèche – près du café?", ()) == "ou-est-la-creche-pres-du"
    assert slug("“Smart” casual—what’s that?", ()) == "smart-casual-whats"
    assert slug("Straße", ()).isascii()


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("broken.docx", b"not a zip", "not a Word document"),
        ("broken.pdf", b"%PDF-1.4 nonsense", "not a readable PDF"),
        ("notes.odt", b"", "unsupported format '.odt'.*save it from LibreOffice or OpenOffice as Word"),
        ("old-policy.doc", b"\xd0\xcf\x11\xe0", "an older Word file; open it in Word and save it as a Word Document"),
        ("rota.xls", b"\xd0\xcf\x11\xe0", "save it as an Excel Workbook \\(.xlsx\\)"),
        ("notes.key", b"", "unsupported format '.key' \\(supported: .txt"),
        ("binary.txt", b"\x81\x8d\x90 not text", "neither UTF-8 nor Windows-1252"),
        ("cut.txt", b"\xff\xfeQ\x00\x00", "not UTF-16"),
    ],
)
def test_unreadable_files_are_a_clear_error(name: str, data: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        import_file(name, data)


SAVED_PAGE = """<!DOCTYPE html><html><head><title>Parking FAQ | Intranet</title></head><body>
<div id="cookie-banner" style="display: none">This intranet uses cookies. <a href="/cookies">Find out more</a></div>
<div hidden><p>Your session is about to expire.</p></div>
<div class="breadcrumb"><a href="https://intranet.example-trust.nhs.uk/">Home</a> &gt; Parking FAQ</div>
<main><h1>Staff Parking: Questions and Answers</h1>
<p>Owner: Estates Team | Last reviewed: May 2025</p>
<h3>Q1. How do I apply for a parking permit?</h3>
<p>Apply on the Estates pages of the intranet.</p>
<h3>Q2. How much does a permit cost?</h3>
<div class="panel" hidden><p>The cost depends on your band; see the Staff Parking Policy EST004 section 3.</p></div>
</main></body></html>"""


def test_a_saved_intranet_page_is_titled_by_its_heading_and_hidden_text_outside_its_main_content_is_not_read() -> None:
    document = import_file("parking-faq.html", SAVED_PAGE.encode("utf-8"))
    assert document.title == "Staff Parking: Questions and Answers"
    assert [q.question for q in document.questions] == [
        "How do I apply for a parking permit?",
        "How much does a permit cost?",
    ]
    assert document.questions[0].answer == "Apply on the Estates pages of the intranet."
    # A collapsed accordion's answer is hidden in the saved page too: inside <main> it is read.
    assert document.questions[1].answer.startswith("The cost depends on your band")
    everything = " ".join(
        [document.title, *(q.answer for q in document.questions), *(u.message for u in document.unplaced)]
    )
    assert "cookies" not in everything and "expire" not in everything
    assert document.unplaced[0].message.startswith("'[Home]")


ACCORDION_PAGE = """<html><body><main><h1>Parking: Questions and Answers</h1>
<h2>Permits</h2>
<details open><summary>Who can apply for a permit?</summary><p>Anyone with a contract.</p></details>
<details open><summary>How much is a permit?</summary><p>It depends on your band.</p>
<p>Related policy: Car Parking Policy EF-12</p></details>
<div class="contact-box"><strong>Still have a question?</strong> Call extension 4321.</div>
</main></body></html>"""


def test_text_after_a_pages_last_accordion_is_no_part_of_its_answer() -> None:
    document = import_file("parking.html", ACCORDION_PAGE.encode("utf-8"))
    assert [q.answer for q in document.questions] == ["Anyone with a contract.", "It depends on your band."]
    assert [r.label for r in document.questions[1].references][0] == "Car Parking Policy EF-12"
    assert any("Still have a question?" in u.message for u in document.unplaced)


SHAREPOINT_PAGE = """<html><body>
<div role="banner"><a href="/sites/PeopleHub">People Hub</a><div><span>Pay and benefits</span></div></div>
<div role="main"><div role="heading" aria-level="1">Car scheme: questions answered</div>
<div role="heading" aria-level="2">Joining</div>
<div role="button" aria-expanded="true" aria-controls="c1"><div role="heading" aria-level="2">Who can join?</div>
<i aria-hidden="true">\ue70e</i></div>
<div id="c1" aria-hidden="false"><p>Anyone on a permanent contract.</p></div>
<div role="button" aria-expanded="false" aria-controls="c2"><div role="heading" aria-level="2">Can I leave early?</div>
<i aria-hidden="true">\ue70d</i></div>
<div id="c2" aria-hidden="true" style="display: none;"><p>Only if you leave the trust.</p></div>
<p>Page owner: Pay Team</p>
<div class="commentsWrapper" role="region" aria-label="Comments">
<p>Is there a scheme for bikes?</p><p>Yes, ask HR.</p></div>
</div><div role="contentinfo">Eastmere NHS Trust</div></body></html>"""


def test_a_sharepoint_page_is_read_by_its_roles_without_its_site_header_icons_or_readers_comments() -> None:
    document = import_file("car-scheme.html", SHAREPOINT_PAGE.encode("utf-8"))
    assert document.title == "Car scheme: questions answered"
    assert [(q.question, q.answer) for q in document.questions] == [
        ("Who can join?", "Anyone on a permanent contract."),
        ("Can I leave early?", "Only if you leave the trust."),
    ]
    assert document.owner == "Pay Team"
    everything = " ".join(u.message for u in document.unplaced)
    assert "People Hub" not in everything and "bikes" not in everything


def test_a_document_with_no_title_is_called_after_its_file_and_says_so() -> None:
    document = import_file("parking-faq.txt", b"1. Who can apply for a permit?\n\nAnyone with a contract.\n")
    assert document.title == "parking-faq"
    assert document.questions[0].references[-1].label == "parking-faq Q1"
    assert "the document has no title before its first question: called 'parking-faq'" in [
        str(n) for n in document.notes
    ]


def test_word_tracked_changes_are_read_as_if_accepted_and_are_a_problem_and_content_controls_are_read() -> None:
    word = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = docx.Document()
    document.add_paragraph("Mileage Questions and Answers")
    owner = document.add_paragraph("Owner: ")  # the team typed into a template's content control
    owner._p.append(  # noqa: SLF001
        parse_xml(f'<w:sdt xmlns:w="{word}"><w:sdtContent><w:r><w:t>Finance Team</w:t></w:r></w:sdtContent></w:sdt>')
    )
    document.add_paragraph("1. How much can I claim a mile?")
    answer = document.add_paragraph("Staff may claim ")
    answer._p.append(
        parse_xml(
            f'<w:ins xmlns:w="{word}" w:id="1" w:author="HR"><w:r><w:t xml:space="preserve">up to </w:t></w:r></w:ins>'
        )
    )  # noqa: SLF001
    answer.add_run("45p a mile")
    answer._p.append(
        parse_xml(f'<w:del xmlns:w="{word}" w:id="2" w:author="HR"><w:r><w:delText> or more</w:delText></w:r></w:del>')
    )  # noqa: SLF001
    answer.add_run(".")
    body = document.element.body
    body.insert(  # a second question inside a template's rich-text box, before the section settings
        len(body) - 1,
        parse_xml(
            f'<w:sdt xmlns:w="{word}"><w:sdtContent><w:p><w:r><w:t>2. Who approves it?</w:t></w:r></w:p>'
            "<w:p><w:r><w:t>Your line manager.</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        ),
    )
    saved = io.BytesIO()
    document.save(saved)
    imported = import_file("mileage.docx", saved.getvalue())
    assert [(q.question, q.answer) for q in imported.questions] == [
        ("How much can I claim a mile?", "Staff may claim up to 45p a mile."),
        ("Who approves it?", "Your line manager."),
    ]
    assert imported.owner == "Finance Team"
    assert [str(p) for p in imported.problems] == [
        "paragraph 4: changes are still tracked here: read as if accepted; "
        "accept or reject them in Word, then import again"
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_text_saved_by_windows_notepad_in_any_of_its_encodings_reads_the_same(encoding: str) -> None:
    text = "Expenses Q&A\n\n1. Can I claim £10 for parking?\n\nYes: it’s paid with your salary.\n"
    document = import_file("expenses.txt", text.encode(encoding))
    assert [(q.question, q.answer) for q in document.questions] == [
        ("Can I claim £10 for parking?", "Yes: it’s paid with your salary.")
    ]


def test_a_word_file_with_no_numbering_part_imports_its_questions() -> None:
    # Word's own template carries a numbering part; files that other programs write often do not.
    document = docx.Document()
    document.add_heading("Uniform FAQ", level=0)
    document.add_heading("Q1. How many sets of uniform will I get?", level=2)
    document.add_paragraph("Three sets.")
    for key, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/numbering"):
            del document.part.rels[key]
    out = io.BytesIO()
    document.save(out)
    assert b"numbering.xml" not in out.getvalue()

    (question,) = import_file("uniform.docx", out.getvalue()).questions

    assert (question.question, question.answer) == ("How many sets of uniform will I get?", "Three sets.")


def test_a_pdf_saved_from_word_keeps_its_links_on_the_text_they_cover() -> None:
    # Word's "Save as PDF" keeps a hyperlink as a link annotation over its text; the text layer
    # alone would lose where it leads. fpdf2 writes links the same way.
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_page()
    pdf.set_font("DejaVu", "", 16)
    pdf.multi_cell(0, 9, "Uniform Questions & Answers", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    pdf.write(6, "Owner: ")
    pdf.write(6, "Facilities and Estates", link="https://intranet.example-trust.nhs.uk/estates")
    pdf.write(6, " Team")
    pdf.ln(9)
    pdf.multi_cell(0, 6, "Q1. How do I order more uniform?", new_x="LMARGIN", new_y="NEXT")
    pdf.write(6, "Fill in the ")
    pdf.write(6, "uniform request form", link="https://forms.example-trust.nhs.uk/uniform")
    pdf.write(6, " and send it to ")
    pdf.write(6, "linen services", link="mailto:linen@example-trust.nhs.uk")
    pdf.write(6, ", as the ")
    pdf.write(6, "Uniform and Workwear Policy FM021", link="https://intranet.example-trust.nhs.uk/policies/uniform")
    pdf.write(6, " sets out. See also ")
    pdf.write(6, "section 2", link=pdf.add_link(page=1))  # a jump inside the document: no address
    pdf.write(6, ".")
    pdf.ln(9)
    pdf.multi_cell(0, 6, "Q2. Can I wash it at home?", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, "Yes, at 60 degrees.", new_x="LMARGIN", new_y="NEXT")

    imported = import_file("uniform.pdf", bytes(pdf.output()))
    ordering, washing = imported.questions

    assert ordering.answer == (
        "Fill in the [uniform request form](https://forms.example-trust.nhs.uk/uniform) and send it to "
        "[linen services](mailto:linen@example-trust.nhs.uk), as the [Uniform and Workwear Policy FM021]"
        "(https://intranet.example-trust.nhs.uk/policies/uniform) sets out. See also section 2."
    )
    policy = next(r for r in ordering.references if r.name == "Uniform and Workwear Policy FM021")
    assert policy.url == "https://intranet.example-trust.nhs.uk/policies/uniform"
    assert washing.answer == "Yes, at 60 degrees."
    assert imported.owner == "Facilities and Estates Team"  # a linked team is its words


def test_a_word_paragraph_giving_owner_and_review_date_on_two_lines_gives_both() -> None:
    document = docx.Document()
    document.add_heading("Lone Working Questions", level=0)
    document.add_heading("Q1. Am I a lone worker?", level=2)
    document.add_paragraph("Yes.")
    sign_off = document.add_paragraph()
    sign_off.add_run("Owner: Health, Safety and Security Team").add_break()  # Shift+Enter in Word
    sign_off.add_run("Last reviewed: August 2025")
    out = io.BytesIO()
    document.save(out)

    imported = import_file("lone.docx", out.getvalue())

    assert (imported.owner, imported.last_reviewed) == ("Health, Safety and Security Team", dt.date(2025, 8, 1))
    assert imported.questions[0].answer == "Yes."


def test_bullets_a_browser_draws_as_shapes_make_list_items() -> None:
    # A page printed to PDF from a browser draws a list's bullets as small filled circles, not as '•'.
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_page()
    pdf.set_font("DejaVu", "", 16)
    pdf.multi_cell(0, 9, "Bank Shifts Questions & Answers", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    pdf.multi_cell(0, 6, "Q1. What do I need to join the bank?", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.multi_cell(0, 6, "You need:", new_x="LMARGIN", new_y="NEXT")
    for item in ("a reference from your manager", "a valid DBS check"):
        pdf.circle(x=pdf.l_margin + 3, y=pdf.get_y() + 3, radius=1.2, style="F")  # centred on the line
        pdf.set_x(pdf.l_margin + 8)
        pdf.multi_cell(0, 6, item, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.multi_cell(0, 6, "Q2. Who pays me?", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, "Payroll, monthly.", new_x="LMARGIN", new_y="NEXT")

    joining, _ = import_file("bank.pdf", bytes(pdf.output())).questions

    assert joining.answer == "You need:\n\n- a reference from your manager\n- a valid DBS check"
