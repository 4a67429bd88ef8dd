"""`faqbot eval`: run a labelled set through the dialogue and print what curators need to see."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from bot import Dialogue
from bot.evaluation import Outcome, Report, Targets, evaluate
from knowledge import Corpus
from knowledge.evaluation import load_labelled

_BAR_WIDTH = 30
_PROGRESS_FROM = 50  # shorter sets finish before a bar would help


class ProgressBar:
    """A one-line bar redrawn in place on `out` (stderr), so piped reports stay clean.

    On a stream that is not a terminal (a CI log) redrawing would print every step, so only the
    last step is written, as one plain line.
    """

    def __init__(self, total: int, out: TextIO) -> None:
        self._total = total
        self._out = out
        self._interactive = out.isatty()

    def __call__(self, done: int) -> None:
        if not self._interactive:
            if done == self._total:
                self._out.write(f"evaluated {done}/{self._total} questions\n")
            return
        filled = _BAR_WIDTH * done // self._total
        self._out.write(f"\r[{'#' * filled}{'.' * (_BAR_WIDTH - filled)}] {done}/{self._total}")
        if done == self._total:
            self._out.write("\r" + " " * (_BAR_WIDTH + 24) + "\r")
        self._out.flush()


async def run_evaluation(
    dialogue: Dialogue,
    corpus: Corpus,
    path: Path,
    *,
    out: TextIO,
    err: TextIO,
    show_failures: bool = True,
    targets: Targets | None = None,
) -> bool:
    """Evaluate the labelled file at `path` and print the report; False when a target is missed."""
    questions = load_labelled(path, corpus)
    progress = ProgressBar(len(questions), err) if len(questions) >= _PROGRESS_FROM else None
    report = await evaluate(dialogue, questions, progress)
    write_report(report, out, show_failures=show_failures)
    if targets is None:
        return True
    shortfalls = report.shortfalls(targets)
    for line in shortfalls:
        out.write(f"TARGET MISSED: {line}\n")
    return not shortfalls


def write_report(report: Report, out: TextIO, *, show_failures: bool = True) -> None:
    """Rates first, then confusions and (unless hidden) each failed question."""
    out.write(
        f"questions: {len(report.results)} ({report.in_scope} in scope, {report.out_of_scope} out of scope)\n"
        f"answered correctly:     {report.correct_rate:6.1%} of in-scope\n"
        f"clarified (did you mean): {report.clarified_rate:4.1%} of in-scope\n"
        f"missed (helpdesk only): {report.missed_rate:5.1%} of in-scope\n"
        f"wrong answers:          {report.wrong_rate:6.1%} of all\n"
        f"out-of-scope escalated: {report.escalated_rate:6.1%} of out-of-scope\n"
        f"overall:                {report.overall_rate:6.1%} (correct + escalated, of all)\n"
    )
    confusions = report.confusions()
    if confusions:
        out.write("\nconfusions (expected -> answered):\n")
        for (expected, answered), count in confusions.most_common():
            out.write(f"  {count:3d}  {expected} -> {answered}\n")
    if not show_failures:
        return
    failures = report.failures()
    if failures:
        out.write("\nfailed questions:\n")
    for result in failures:
        expected = result.item.expected or "out-of-scope"
        if result.outcome is Outcome.WRONG:
            shown = f"answered {result.answered}"
        elif result.offered:
            shown = "offered " + ", ".join(result.offered)
        else:
            shown = "no answer"
        out.write(f"  [{result.outcome.value}] {result.item.question!r}\n      expected {expected}; {shown}\n")
