"""The curators' report as plain text (terminal) and CSV (spreadsheets)."""

from __future__ import annotations

import csv
import io

from insights.summary import OUTCOMES, Summary

TOP = 10  # rows per table in the text and HTML reports


def period(summary: Summary) -> str:
    if summary.first is None or summary.last is None:
        return "no questions recorded" + (f" since {summary.since.isoformat()}" if summary.since else "")
    return f"{summary.first.isoformat()} to {summary.last.isoformat()}"


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def render_text(summary: Summary) -> str:
    """A few short tables a curator can read in a terminal."""
    lines = [f"What staff ask: {summary.total} questions, {period(summary)}", ""]
    for outcome in OUTCOMES:
        count = summary.by_outcome[outcome]
        lines.append(f"  {outcome.value:<14}{count:>6}  {percent(count, summary.total):>4}")
    lines += ["", "Top entries (answers read; feedback helpful/not; asked the helpdesk after)"]
    for use in summary.entries[:TOP]:
        lines.append(
            f"  {use.answered:>5}  {use.helpful:>3}/{use.unhelpful:<3} {use.escalated_after:>3}  "
            f"{use.title}  [{use.entry_id}]"
        )
    if not summary.entries:
        lines.append("  (none)")
    lines += ["", "Top unanswered questions (escalated or 'did you mean', similar wordings grouped)"]
    for cluster in summary.unanswered[:TOP]:
        others = len(cluster.wordings) - 1
        lines.append(f"  {cluster.count:>5}  {cluster.example}" + (f"  (+{others} similar wordings)" if others else ""))
    if not summary.unanswered:
        lines.append("  (none)")
    return "\n".join(lines) + "\n"


def render_csv(summary: Summary) -> str:
    """One tidy table (section, key, label, measure, value) that pivots well in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "key", "label", "measure", "value"])
    for outcome in OUTCOMES:
        writer.writerow(["outcome", outcome.value, "", "questions", summary.by_outcome[outcome]])
    for day in summary.days:
        for outcome in OUTCOMES:
            writer.writerow(["day", day.day.isoformat(), "", outcome.value, day.counts[outcome]])
    for use in summary.entries:
        for measure, value in (
            ("answered", use.answered),
            ("helpful", use.helpful),
            ("unhelpful", use.unhelpful),
            ("escalated_after", use.escalated_after),
        ):
            writer.writerow(["entry", use.entry_id, use.title, measure, value])
    for rank, cluster in enumerate(summary.unanswered, start=1):
        writer.writerow(["unanswered", rank, cluster.example, "questions", cluster.count])
    return out.getvalue()
