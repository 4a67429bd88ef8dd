from __future__ import annotations

import datetime as dt

from bot.questions import AskedQuestion, Outcome, RecordedQuestion
from insights.clusters import group_similar
from insights.report_text import render_csv, render_text
from insights.summary import summarise

DAY = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
TITLES = {"sar-how-far-back": "How far back does it go regarding a subject access?", "liking-posts": "Liking posts?"}


def q(
    n: int, outcome: Outcome, text: str, entry: str | None = None, *, day: int = 0, **after: object
) -> RecordedQuestion:
    asked = AskedQuestion(f"{n:032x}", DAY + dt.timedelta(days=day), text, outcome, entry, 0.9 if entry else None)
    return RecordedQuestion(asked, **after)  # type: ignore[arg-type]


HISTORY = (
    q(1, Outcome.ANSWERED, "how far back can a sar go", "sar-how-far-back", helpful=True),
    q(2, Outcome.ANSWERED, "subject access how far back", "sar-how-far-back", helpful=False, escalated=True),
    q(3, Outcome.ANSWERED, "is liking a post a problem", "liking-posts", day=2),
    q(4, Outcome.DID_YOU_MEAN, "sar time limit", "liking-posts", resolved_entry_id="sar-how-far-back", day=2),
    q(5, Outcome.ESCALATED, "how do i book annual leave", day=2),
    q(6, Outcome.ESCALATED, "how do i book my annual leave", day=2),
    q(7, Outcome.ESCALATED, "when is payday", day=2),
    q(8, Outcome.SMALL_TALK, "hello"),
)


def test_outcomes_days_and_entries_are_counted() -> None:
    summary = summarise(HISTORY, TITLES)
    assert summary.total == 8
    assert summary.by_outcome == {
        Outcome.ANSWERED: 3,
        Outcome.DID_YOU_MEAN: 1,
        Outcome.ESCALATED: 3,
        Outcome.SMALL_TALK: 1,
    }
    assert [d.day.day for d in summary.days] == [2, 3, 4]  # the quiet day in between is shown too
    assert summary.days[1].counts[Outcome.ANSWERED] == 0
    top = summary.entries[0]
    # Two direct answers plus the "did you mean" click that ended there.
    assert (top.entry_id, top.title, top.answered, top.helpful, top.unhelpful, top.escalated_after) == (
        "sar-how-far-back",
        TITLES["sar-how-far-back"],
        3,
        1,
        1,
        1,
    )
    assert top.helpful_share == 0.5
    assert summary.entries[1].helpful_share is None


def test_unanswered_questions_are_grouped_by_similarity() -> None:
    summary = summarise(HISTORY, TITLES)
    assert [(c.count, c.example) for c in summary.unanswered] == [
        (2, "how do i book annual leave"),
        (1, "sar time limit"),
        (1, "when is payday"),
    ]
    assert summary.unanswered[0].wordings == ("how do i book annual leave", "how do i book my annual leave")


def test_grouping_threshold_is_a_setting() -> None:
    texts = ["how do i book annual leave", "how do i book anual leave"]
    assert len(group_similar(texts, threshold=90)) == 1
    assert len(group_similar(texts, threshold=100)) == 2


def test_a_single_word_does_not_swallow_a_longer_question() -> None:
    clusters = group_similar(["leave", "how do i book annual leave", "how do i book annual leave"])
    assert [(c.count, c.example) for c in clusters] == [(2, "how do i book annual leave"), (1, "leave")]


def test_text_and_csv_show_the_same_figures() -> None:
    summary = summarise(HISTORY, TITLES)
    text = render_text(summary)
    assert "What staff ask: 8 questions, 2026-11-02 to 2026-11-04" in text
    assert "answered           3   38%" in text
    assert "How far back does it go regarding a subject access?  [sar-how-far-back]" in text
    assert "2  how do i book annual leave  (+1 similar wordings)" in text
    csv = render_csv(summary).splitlines()
    assert csv[0] == "section,key,label,measure,value"
    assert "entry,sar-how-far-back,How far back does it go regarding a subject access?,answered,3" in csv
    assert "unanswered,1,how do i book annual leave,questions,2" in csv
    assert "day,2026-11-04,,escalated,3" in csv


def test_an_empty_history_still_makes_a_report() -> None:
    summary = summarise((), TITLES, since=dt.date(2026, 11, 1))
    assert "no questions recorded since 2026-11-01" in render_text(summary)
