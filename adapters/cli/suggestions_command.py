"""`faqbot suggestions [accept|dismiss N]`: review suggested alternates and accept them into the corpus.

Accepting appends the wording to the entry's alternates in its `*.faq.yaml` (curator comments
kept), so the change is reviewed in git like any other; it is refused when the corpus lint would
then fail (e.g. the wording retrieves another entry, or repeats another entry's phrase).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from pathlib import Path
from typing import TextIO

from adapters.cli.report_command import read_history
from adapters.corpus.corpus_file import write_document
from adapters.store import AlternateDecisions, create_engine, migrate
from adapters.store.alternate_decisions import Decision
from bot.questions import redact
from insights.suggestions import Suggestion, propose
from knowledge import Entry, read_corpus
from knowledge.corpus import CorpusReading, read_document
from knowledge.lint import Finding, new_errors


async def _decided(database_url: str) -> frozenset[tuple[str, str]]:
    engine = create_engine(database_url)
    try:
        await migrate(engine)
        return await AlternateDecisions(engine).decided()
    finally:
        await engine.dispose()


async def _decide(database_url: str, suggestion: Suggestion, decision: Decision) -> None:
    engine = create_engine(database_url)
    try:
        await migrate(engine)
        await AlternateDecisions(engine).decide(
            suggestion.question, suggestion.entry_id, decision, now=dt.datetime.now(dt.UTC)
        )
    finally:
        await engine.dispose()


def current_suggestions(database_url: str, reading: CorpusReading) -> tuple[Suggestion, ...]:
    if reading.corpus is None:
        return ()
    history = asyncio.run(read_history(database_url, None))
    return propose(history, reading.corpus, asyncio.run(_decided(database_url)))


def run_suggestions(
    *, database_url: str, corpus_dir: Path, action: str | None, which: str | None, out: TextIO, err: TextIO
) -> int:
    """List suggestions, or accept/dismiss the one numbered (or worded) `which`."""
    reading = read_corpus(corpus_dir)
    suggestions = current_suggestions(database_url, reading)
    if action is None:
        if not suggestions:
            print("No suggested alternates.", file=out)
            return 0
        print("Suggested alternates (how staff asked -> the entry they ended at; times):", file=out)
        for number, s in enumerate(suggestions, start=1):
            print(f'{number:>3}. "{s.question}" -> {s.entry_id} ({s.count}x)', file=out)
        print(
            "\nAccept one with `faqbot suggestions accept N`, or drop it with `faqbot suggestions dismiss N`.", file=out
        )
        return 0
    chosen = _choose(suggestions, which or "")
    if chosen is None:
        print(f"faqbot suggestions: no suggestion {which!r}; run `faqbot suggestions` to list them", file=err)
        return 1
    if action == "dismiss":
        asyncio.run(_decide(database_url, chosen, "dismissed"))
        print(f'dismissed "{chosen.question}" -> {chosen.entry_id}; it will not be proposed again', file=out)
        return 0
    problems = _accept(reading, corpus_dir, chosen)
    if problems:
        print(
            f'faqbot suggestions: not accepting "{chosen.question}" for {chosen.entry_id}, the corpus lint would fail:',
            file=err,
        )
        for finding in problems:
            print(f"  {finding}", file=err)
        print("Dismiss it, or edit the corpus by hand.", file=err)
        return 1
    asyncio.run(_decide(database_url, chosen, "accepted"))
    print(
        f'added "{chosen.question}" to the alternates of {chosen.entry_id} in '
        f"{reading.files[chosen.entry_id]}; review it with `git diff` and commit",
        file=out,
    )
    return 0


def _choose(suggestions: tuple[Suggestion, ...], which: str) -> Suggestion | None:
    if which.isdigit():
        number = int(which)
        return suggestions[number - 1] if 1 <= number <= len(suggestions) else None
    wording = redact(which)
    return next((s for s in suggestions if s.question == wording), None)


def _accept(reading: CorpusReading, corpus_dir: Path, suggestion: Suggestion) -> tuple[Finding, ...]:
    """Write the alternate unless lint finds new errors with it; returns those errors."""
    today = dt.date.today()
    corpus = reading.corpus
    if corpus is None or corpus.entry(suggestion.entry_id) is None:  # propose() only offers existing entries
        raise LookupError(suggestion.entry_id)
    corpus = corpus.model_copy(update={"entries": _with_alternate(corpus.entries, suggestion)})
    errors = new_errors(reading, corpus, today=today)
    if errors:
        return errors
    path = corpus_dir / reading.files[suggestion.entry_id]
    document = read_document(path)
    write_document(path, dataclasses.replace(document, entries=_with_alternate(document.entries, suggestion)))
    return ()


def _with_alternate(entries: tuple[Entry, ...], suggestion: Suggestion) -> tuple[Entry, ...]:
    return tuple(
        e.model_copy(update={"alternates": (*e.alternates, suggestion.question)}) if e.id == suggestion.entry_id else e
        for e in entries
    )
