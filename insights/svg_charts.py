"""Small inline SVG charts, drawn in Python: the report page needs no script and no network."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from html import escape

from bot.questions import Outcome

COLOURS: Mapping[Outcome, str] = {
    Outcome.ANSWERED: "#007f3b",
    Outcome.DID_YOU_MEAN: "#ffb81c",
    Outcome.ESCALATED: "#d5281b",
    Outcome.SMALL_TALK: "#aeb7bd",
}
LABELS: Mapping[Outcome, str] = {
    Outcome.ANSWERED: "Answered",
    Outcome.DID_YOU_MEAN: "Did you mean",
    Outcome.ESCALATED: "No answer: helpdesk offered",
    Outcome.SMALL_TALK: "Small talk",
}
_FONT = 'font-family="Arial, Helvetica, sans-serif"'


def stacked_days(
    days: Sequence[tuple[dt.date, Mapping[Outcome, int]]], outcomes: Sequence[Outcome], *, width: int = 1040
) -> str:
    """Stacked bars, one per day, of questions by outcome; month-day labels along the bottom."""
    height, left, bottom, top = 260, 44, 36, 12
    plot_w, plot_h = width - left - 8, height - bottom - top
    peak = max((sum(counts[o] for o in outcomes) for _, counts in days), default=0) or 1
    step = plot_w / max(len(days), 1)
    bar = max(step * 0.8, 1.0)
    parts = [
        f'<svg class="chart" role="img" aria-label="Questions per day by outcome" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" {_FONT} font-size="12">'
    ]
    for tick in _ticks(peak):
        y = top + plot_h - plot_h * tick / peak
        parts.append(f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e8edee"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#425563">{tick}</text>')
    label_every = max(1, round(len(days) / 10))
    for index, (day, counts) in enumerate(days):
        x = left + index * step + (step - bar) / 2
        y = top + plot_h
        for outcome in outcomes:
            h = plot_h * counts[outcome] / peak
            if h:
                y -= h
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                    f'fill="{COLOURS[outcome]}"><title>{day.isoformat()} {escape(LABELS[outcome])}: '
                    f"{counts[outcome]}</title></rect>"
                )
        if index % label_every == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                f'fill="#425563">{day.strftime("%d %b")}</text>'
            )
    parts.append(f'<line x1="{left}" x2="{width - 8}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#425563"/>')
    parts.append("</svg>")
    return "".join(parts)


def horizontal_bars(rows: Sequence[tuple[str, int]], *, colour: str, width: int = 1040, label: str) -> str:
    """One labelled bar per row (label above its bar), value at the bar's end."""
    row_h, gap = 20, 22
    height = max(len(rows), 1) * (row_h + gap) + 8
    peak = max((value for _, value in rows), default=0) or 1
    usable = width - 60
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(label)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" {_FONT} font-size="13">'
    ]
    for index, (text, value) in enumerate(rows):
        y = index * (row_h + gap) + gap
        w = max(usable * value / peak, 2)
        parts.append(f'<text x="0" y="{y - 5}" fill="#212b32">{escape(_shorten(text, 140))}</text>')
        parts.append(f'<rect x="0" y="{y}" width="{w:.1f}" height="{row_h}" rx="2" fill="{colour}"/>')
        parts.append(f'<text x="{w + 6:.1f}" y="{y + 15}" fill="#212b32" font-weight="bold">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def share_bar(share: float | None, *, width: int = 120) -> str:
    """A small green/red bar of a helpful share (grey when nobody rated)."""
    if share is None:
        return (
            f'<svg class="share" width="{width}" height="12" role="img" aria-label="no feedback">'
            f'<rect width="{width}" height="12" fill="#e8edee"/></svg>'
        )
    good = width * share
    return (
        f'<svg class="share" width="{width}" height="12" role="img" aria-label="{share:.0%} helpful">'
        f'<rect width="{width}" height="12" fill="#d5281b"/>'
        f'<rect width="{good:.1f}" height="12" fill="#007f3b"/></svg>'
    )


def _ticks(peak: int) -> list[int]:
    step = max(1, _nice(peak / 4))
    return list(range(0, peak + 1, step))


def _nice(value: float) -> int:
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if candidate >= value:
            return candidate
    return int(value)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
