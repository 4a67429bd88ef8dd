"""A GENERATED, plausible history of questions, for the report's example and its tests.

Nothing here comes from real staff: wordings are the corpus's own questions and alternates with
small changes, plus a fixed list of HR questions the social-media corpus cannot answer.

    python -m benchmarks.sample_history            # writes docs/report.html and docs/report.png
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import tempfile
from pathlib import Path

from adapters.cli.report_command import entry_titles, read_history
from adapters.store import QuestionStore, create_engine, migrate
from benchmarks.headless_browser import screenshot
from bot.questions import AskedQuestion, Outcome, RecordedQuestion, new_question_id, redact
from insights.report_html import render_html
from insights.summary import summarise
from knowledge import Corpus, load_corpus

ROOT = Path(__file__).resolve().parent.parent
OUT_OF_SCOPE = (
    "how do i book annual leave",
    "how many days annual leave do i get",
    "booking annual leave in the system",
    "when is payday this month",
    "what date do we get paid",
    "how do i join the pension scheme",
    "can i opt out of the nhs pension",
    "where do i find my payslip",
    "how do i get a parking permit",
    "can i work from home on fridays",
    "how do i claim mileage",
    "how do i claim travel expenses",
)
SMALL_TALK = ("hello", "thanks", "thank you", "hi there", "bye")
_PREFIXES = ("", "", "", "can you tell me ", "quick question ", "hi ")


def generate(corpus: Corpus, *, start: dt.date, days: int, seed: int = 7) -> tuple[RecordedQuestion, ...]:
    """Questions over `days` days from `start`: busier on weekdays, a few entries asked far more often."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(corpus.entries))]
    entries = list(corpus.entries)
    rng.shuffle(entries)
    history: list[RecordedQuestion] = []
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        volume = rng.randint(14, 30) if day.weekday() < 5 else rng.randint(0, 4)
        for _ in range(volume):
            moment = dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=dt.UTC)
            history.append(_one(rng, entries, weights, moment))
    return tuple(history)


def _one(rng: random.Random, entries: list, weights: list[float], moment: dt.datetime) -> RecordedQuestion:
    entry = rng.choices(entries, weights)[0]
    roll = rng.random()
    phrase = rng.choice((entry.question, *entry.alternates))
    wording = rng.choice(_PREFIXES) + phrase
    if roll < 0.62:
        helpful = rng.choices((True, False, None), (0.35, 0.07, 0.58))[0]
        return RecordedQuestion(
            AskedQuestion(
                new_question_id(), moment, redact(wording), Outcome.ANSWERED, entry.id, round(rng.uniform(0.8, 1.0), 2)
            ),
            helpful=helpful,
            escalated=helpful is False and rng.random() < 0.5,
        )
    if roll < 0.77:
        clicked = rng.random() < 0.7
        return RecordedQuestion(
            AskedQuestion(
                new_question_id(),
                moment,
                redact(_vaguer(rng, phrase)),
                Outcome.DID_YOU_MEAN,
                entry.id,
                round(rng.uniform(0.5, 0.8), 2),
            ),
            resolved_entry_id=entry.id if clicked else None,
            helpful=True if clicked and rng.random() < 0.3 else None,
        )
    if roll < 0.93:
        text = rng.choices(OUT_OF_SCOPE, [1 / (i + 1) for i in range(len(OUT_OF_SCOPE))])[0]
        return RecordedQuestion(
            AskedQuestion(new_question_id(), moment, redact(rng.choice(_PREFIXES) + text), Outcome.ESCALATED),
            escalated=rng.random() < 0.6,
        )
    return RecordedQuestion(AskedQuestion(new_question_id(), moment, rng.choice(SMALL_TALK), Outcome.SMALL_TALK))


def _vaguer(rng: random.Random, text: str) -> str:
    """A vaguer wording, as staff type when the bot is unsure: the last several words only."""
    words = text.rstrip("?").split()
    return " ".join(words[-rng.randint(4, 7) :])


async def store_history(engine_url: str, history: tuple[RecordedQuestion, ...]) -> None:
    """Write `history` through the same store methods the bot and later flows use."""
    engine = create_engine(engine_url)
    try:
        await migrate(engine)
        store = QuestionStore(engine)
        for record in history:
            await store.record(record.asked)
            if record.resolved_entry_id:
                await store.mark_resolved(record.asked.id, record.resolved_entry_id)
            if record.helpful is not None:
                await store.mark_feedback(record.asked.id, helpful=record.helpful)
            if record.escalated:
                await store.mark_escalated(record.asked.id)
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "docs" / "report.html")
    parser.add_argument("--png", type=Path, default=ROOT / "docs" / "report.png")
    args = parser.parse_args()
    corpus_dir = ROOT / "knowledge" / "data"
    history = generate(load_corpus(corpus_dir), start=dt.date(2026, 10, 5), days=42)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'history.sqlite3'}"
        asyncio.run(store_history(url, history))
        stored = asyncio.run(read_history(url, None))
    args.html.parent.mkdir(parents=True, exist_ok=True)
    args.html.write_text(render_html(summarise(stored, entry_titles(corpus_dir))), encoding="utf-8")
    screenshot(args.html, args.png, width=1200, height=2500)
    print(f"generated {len(stored)} questions; wrote {args.html} and {args.png}")


if __name__ == "__main__":
    main()
