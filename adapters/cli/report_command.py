"""`faqbot report`: what staff ask, as text, CSV or a self-contained HTML page."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import TextIO

from adapters.store import QuestionStore, create_engine, migrate
from bot.questions import RecordedQuestion
from insights.report_html import render_html
from insights.report_text import render_csv, render_text
from insights.summary import summarise
from knowledge import read_corpus

FORMATS = ("text", "csv", "html")


async def read_history(database_url: str, since: dt.date | None) -> tuple[RecordedQuestion, ...]:
    """The recorded questions from `since` (midnight UTC), oldest first."""
    engine = create_engine(database_url)
    try:
        await migrate(engine)
        start = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC) if since else None
        return await QuestionStore(engine).history(since=start)
    finally:
        await engine.dispose()


def entry_titles(corpus_dir: Path) -> dict[str, str]:
    """Entry questions by id, from whatever part of the corpus is readable."""
    reading = read_corpus(corpus_dir)
    return {e.id: e.question for e in reading.corpus.entries} if reading.corpus else {}


def run_report(
    *, database_url: str, corpus_dir: Path, since: dt.date | None, fmt: str, output: Path | None, out: TextIO
) -> int:
    """Write the report to `output` (or `out`); 0 on success."""
    history = asyncio.run(read_history(database_url, since))
    summary = summarise(history, entry_titles(corpus_dir), since=since)
    text = {"text": render_text, "csv": render_csv, "html": render_html}[fmt](summary)
    if output is None:
        out.write(text)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        print(f"wrote the {fmt} report of {summary.total} questions to {output}", file=out)
    return 0
