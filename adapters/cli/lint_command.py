"""`faqbot lint`: check the corpus folder and print each finding; the exit code gates CI."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from knowledge.corpus import read_corpus
from knowledge.lint import LintSettings, MeaningRanker, has_errors, lint_corpus
from knowledge.models import Corpus


def run_lint(
    corpus_dir: Path,
    *,
    settings: LintSettings,
    strict: bool,
    today: dt.date,
    out: TextIO,
    meaning: Callable[[Corpus], MeaningRanker] | None = None,
) -> int:
    """Print every finding, then a summary; 1 when there are errors (or warnings when `strict`).

    `meaning` builds the bot's ranker, so that out-of-scope examples an entry answers are named.
    """
    reading = read_corpus(corpus_dir)
    findings = lint_corpus(reading, today=today, settings=settings, meaning=meaning)
    for finding in findings:
        print(finding, file=out)
    counts = Counter(f.severity for f in findings)
    entries = len(reading.corpus.entries) if reading.corpus else 0
    files = len(set(reading.files.values()))
    print(
        f"\n{corpus_dir}: {entries} entries in {files} files; "
        f"{counts['error']} errors, {counts['warning']} warnings"
        + (" (warnings fail the check: --strict)" if strict and counts["warning"] else ""),
        file=out,
    )
    if counts["warning"] and not counts["error"] and not strict:
        print("Warnings do not fail the check; run with --strict to make them.", file=out)
    return 1 if has_errors(findings, strict=strict) else 0
