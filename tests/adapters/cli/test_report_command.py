"""`faqbot report` on a generated history, checked as a curator sees it: in a real headless browser."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import struct
from pathlib import Path

import pytest

from benchmarks.headless_browser import dump_dom, screenshot
from benchmarks.sample_history import generate, store_history
from insights.summary import summarise
from knowledge import Corpus
from tests.support import SHIPPED_CORPUS, CommandResult, run_faqbot

START = dt.date(2026, 10, 5)


@pytest.fixture
def history(corpus: Corpus) -> tuple:
    return generate(corpus, start=START, days=21, seed=3)


@pytest.fixture
def database(tmp_path: Path, history: tuple) -> str:
    url = f"sqlite:///{tmp_path / 'history.sqlite3'}"
    asyncio.run(store_history(url, history))
    return url


def faqbot(database: str, *args: str) -> CommandResult:
    return run_faqbot(*args, FAQBOT_DATABASE_URL=database, FAQBOT_CORPUS_DIR=str(SHIPPED_CORPUS))


def test_the_html_report_renders_its_charts_and_figures_in_a_browser(
    database: str, history: tuple, corpus: Corpus, tmp_path: Path
) -> None:
    page = tmp_path / "report.html"
    result = faqbot(database, "report", "--format", "html", "--output", str(page))
    assert result.returncode == 0, result.stderr
    assert f"wrote the html report of {len(history)} questions" in result.stdout
    assert not re.search(r"<script|https?://", page.read_text(encoding="utf-8"))  # self-contained

    dom = dump_dom(page)
    expected = summarise(history, {e.id: e.question for e in corpus.entries})
    top = expected.entries[0]
    assert dom.count('<svg class="chart"') == 2  # per-day outcomes and top entries
    assert dom.count("<rect") > 3 * len(expected.days) // 2
    assert "What staff ask" in dom and f"{expected.first} to {expected.last}" in dom
    assert f">{len(history)}<" in dom
    helpfulness = dom.split('id="helpfulness"')[1]
    assert re.search(
        rf"{re.escape(top.title[:60])}.*?<td class=\"n\">{top.answered}</td><td class=\"n\">{top.helpful}</td>"
        rf"<td class=\"n\">{top.unhelpful}</td>",
        helpfulness,
        re.S,
    )
    worst_gap = expected.unanswered[0]
    assert f'<td class="n">{worst_gap.count}</td><td>{worst_gap.example}</td>' in dom.split('id="unanswered"')[1]

    png = tmp_path / "report.png"
    screenshot(page, png, width=1200, height=1600)
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (1200, 1600)


def test_text_and_csv_reports_since_a_date(database: str, history: tuple) -> None:
    since = START + dt.timedelta(days=14)
    later = [r for r in history if r.asked.asked_at.date() >= since]
    text = faqbot(database, "report", "--since", since.isoformat())
    assert text.returncode == 0, text.stderr
    first, last = min(r.asked.asked_at.date() for r in later), max(r.asked.asked_at.date() for r in later)
    assert text.stdout.startswith(f"What staff ask: {len(later)} questions, {first} to {last}")
    table = faqbot(database, "report", "--format", "csv")
    assert table.returncode == 0, table.stderr
    rows = table.stdout.splitlines()
    assert rows[0] == "section,key,label,measure,value"
    answered = sum(1 for r in history if r.asked.outcome.value == "answered")
    assert f"outcome,answered,,questions,{answered}" in rows


def test_a_bad_date_is_a_clear_usage_error(database: str) -> None:
    result = faqbot(database, "report", "--since", "last tuesday")
    assert result.returncode == 2
    assert "'last tuesday' is not a date: use YYYY-MM-DD" in result.stderr
