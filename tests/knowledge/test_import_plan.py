"""Merging an imported document into its curated file: the document's fields change, curators' stay."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from knowledge.corpus import CorpusDocument, read_document
from knowledge.import_plan import DRAFT_TOPIC, ImportBlocked, filed_under, plan_import, topics_for
from knowledge.importing import import_document, slug
from knowledge.models import Topic

ROOT = Path(__file__).resolve().parents[2]
SEED = (ROOT / "knowledge" / "data" / "social-media-qa-2024-06.txt").read_text(encoding="utf-8")
SHIPPED = ROOT / "knowledge" / "data" / "social-media-qa.faq.yaml"
SOURCE = "social-media-qa-2024-06.txt"


@pytest.fixture(scope="module")
def curated() -> CorpusDocument:
    return read_document(SHIPPED)


def test_reimporting_the_seed_changes_nothing(curated: CorpusDocument) -> None:
    plan = plan_import(import_document(SEED), source_file=SOURCE, existing=curated)
    assert not plan.changed
    assert {c.kind for c in plan.changes} == {"unchanged"}
    assert plan.document.entries == curated.entries


def test_a_changed_answer_is_an_update_and_curated_fields_are_kept(curated: CorpusDocument) -> None:
    old = "Yes, all social media posts which are on NHSBT accounts"
    new = "Yes, every social media post on an NHSBT account"
    plan = plan_import(import_document(SEED.replace(old, new)), source_file=SOURCE, existing=curated)
    (update,) = plan.of_kind("updated")
    assert (update.entry_id, update.source, update.fields) == ("posts-reviewed-before-publishing", "Q4", ("answer",))
    before = next(e for e in curated.entries if e.id == update.entry_id)
    after = next(e for e in plan.document.entries if e.id == update.entry_id)
    assert after.answer.startswith(new)
    assert (after.alternates, after.topic, after.related) == (before.alternates, before.topic, before.related)


def test_a_new_review_date_updates_every_entry(curated: CorpusDocument) -> None:
    plan = plan_import(import_document(SEED.replace("June 2024", "May 2026")), source_file=SOURCE, existing=curated)
    assert len(plan.of_kind("updated")) == len(curated.entries)
    assert {e.last_reviewed for e in plan.document.entries} == {dt.date(2026, 5, 1)}
    assert plan.document.last_reviewed == dt.date(2026, 5, 1)


def test_a_url_a_curator_added_survives_a_reimport(curated: CorpusDocument) -> None:
    url = "https://example.nhs.uk/policies/pol19"
    entries = tuple(
        e.model_copy(
            update={
                "references": tuple(
                    r.model_copy(update={"url": url}) if r.name == "POL19 IT Acceptable Use Policy" else r
                    for r in e.references
                )
            }
        )
        for e in curated.entries
    )
    with_url = CorpusDocument(curated.title, curated.source_file, curated.owner, curated.last_reviewed, entries)
    plan = plan_import(import_document(SEED), source_file=SOURCE, existing=with_url)
    assert not plan.changed
    entry = next(e for e in plan.document.entries if e.source == "Q17")
    assert entry.references[0].url == url


def test_new_questions_are_drafts_with_unique_generated_ids(curated: CorpusDocument) -> None:
    extra = "\n19. What counts as a social media profile?\n\nSee question 3.\n"
    text = SEED.replace("\nJune 2024", extra + "\nJune 2024")
    plan = plan_import(
        import_document(text), source_file=SOURCE, existing=curated, taken_ids={"counts-social-media-profile"}
    )
    (new,) = plan.of_kind("new")
    draft = next(e for e in plan.document.entries if e.id == new.entry_id)
    assert (draft.source, draft.topic, draft.alternates) == ("Q19", DRAFT_TOPIC, ())
    assert draft.id == "counts-social-media-profile-2"
    assert draft.owner == "Employment Policy & Social Media Team"
    # The question fits a button, but a curated entry of the document already has it as its title.
    assert draft.short_title == "What counts as a social media… (Q19)"


@pytest.mark.parametrize(
    ("category", "topic"),
    [
        ("Pay and expenses", "pay"),
        ("pay", "pay"),
        ("PAY-AND-EXPENSES", "pay"),
        ("Pay", "pay"),
        ("Section 4: Pay and expenses", "pay"),
        ("2. Pay and expenses", "pay"),
        ("Section B – Pay", "pay"),
        ("Part 1 Pay", "pay"),
        ("Parking", None),
        ("Pay parking", None),
    ],
)
def test_a_category_files_a_new_entry_under_the_topic_of_that_id_or_title(category: str, topic: str | None) -> None:
    assert filed_under(category, (Topic(id="pay", title="Pay and expenses"),)) == topic


def test_no_category_files_nothing() -> None:
    assert filed_under("", (Topic(id="pay", title="Pay and expenses"),)) is None


def test_every_new_entry_gets_a_short_title_that_fits_and_is_unique_in_its_document() -> None:
    plan = plan_import(import_document(SEED), source_file=SOURCE, existing=None)
    titles = [e.short_title or "" for e in plan.document.entries]
    assert len(titles) == 21 and all(titles)
    assert max(map(len, titles)) <= 40
    assert len(set(titles)) == len(titles)
    by_source = {e.source: e.short_title for e in plan.document.entries}
    assert by_source["Q3"] == "What counts as a social media profile?"  # a question that fits is kept whole
    assert by_source["Q6"] == "Do work WhatsApp groups need to be…"  # "Compliance - " label dropped


def test_a_reimport_keeps_the_curated_short_titles(curated: CorpusDocument) -> None:
    plan = plan_import(import_document(SEED), source_file=SOURCE, existing=curated)
    assert [e.short_title for e in plan.document.entries] == [e.short_title for e in curated.entries]
    assert "Off sick but seen out on social media" in {e.short_title for e in plan.document.entries}


def test_entries_missing_from_the_document_are_kept_and_reported(curated: CorpusDocument) -> None:
    start, end = SEED.index("16. Will there be"), SEED.index("17. Do I need")
    plan = plan_import(import_document(SEED[:start] + SEED[end:]), source_file=SOURCE, existing=curated)
    (kept,) = plan.of_kind("not-in-document")
    assert (kept.entry_id, kept.source) == ("future-policy-briefings", "Q16")
    assert len(plan.document.entries) == len(curated.entries)


def test_no_sign_off_and_no_curated_file_imports_drafts_without_owner_or_date() -> None:
    plan = plan_import(import_document("Title\n\n1. A question?\n\nAn answer.\n"), source_file="x.txt", existing=None)
    (draft,) = plan.document.entries
    assert (plan.document.owner, plan.document.last_reviewed) == (None, None)
    assert (draft.owner, draft.last_reviewed, draft.topic) == (None, None, DRAFT_TOPIC)


def test_a_document_without_questions_is_blocked() -> None:
    with pytest.raises(ImportBlocked, match="no questions"):
        plan_import(
            import_document("Title\n\nJust a paragraph.\n\nJune 2024\nHR Team\n"), source_file="x.txt", existing=None
        )


def test_no_sign_off_takes_owner_and_date_from_the_curated_file(curated: CorpusDocument) -> None:
    text = SEED[: SEED.index("June 2024")]
    plan = plan_import(import_document(text), source_file=SOURCE, existing=curated)
    assert not plan.changed


def test_slug_is_readable_and_unique() -> None:
    assert slug("Can I take annual leave while on sickness absence?", ()) == "take-annual-leave-while-sickness-absence"
    assert slug("What is it?", ()) == "question"
    assert slug("Can I take leave?", {"take-leave", "take-leave-2"}) == "take-leave-3"


def test_categories_that_are_no_topic_become_new_topics_once_each() -> None:
    declared = [Topic(id="permits", title="Permits")]
    categories = [
        "Section 2: Costs and salary deductions",
        "Permits",
        "costs and salary deductions",
        "Night shifts",
        "",
    ]
    assert topics_for(categories, declared) == (
        Topic(id="costs-salary-deductions", title="Costs and salary deductions"),
        Topic(id="night-shifts", title="Night shifts"),
    )
    # An id already taken gets a suffix rather than a clash.
    (topic,) = topics_for(["The night shifts"], [Topic(id="night-shifts", title="Shift patterns")])
    assert (topic.id, topic.title) == ("night-shifts-2", "The night shifts")
