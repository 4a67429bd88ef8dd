from __future__ import annotations

import io
from pathlib import Path

from adapters.cli.evaluation_report import ProgressBar, run_evaluation
from bot import Dialogue
from bot.evaluation import Targets
from knowledge import Corpus


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def labelled(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "set.yaml"
    item = '- q: "is tiktok banned on my work phone"\n  expect: tiktok-government-restrictions\n'
    path.write_text(item * count, encoding="utf-8")
    return path


async def test_long_sets_show_a_progress_bar_on_stderr_only(tmp_path: Path, dialogue: Dialogue, corpus: Corpus) -> None:
    out, err = io.StringIO(), Terminal()
    met = await run_evaluation(dialogue, corpus, labelled(tmp_path, 60), out=out, err=err, targets=Targets())
    assert met
    assert "60/60" in err.getvalue() and "[####" in err.getvalue()
    assert "answered correctly:     100.0%" in out.getvalue() and "60/60" not in out.getvalue()


async def test_short_sets_have_no_bar(tmp_path: Path, dialogue: Dialogue, corpus: Corpus) -> None:
    err = io.StringIO()
    await run_evaluation(dialogue, corpus, labelled(tmp_path, 3), out=io.StringIO(), err=err)
    assert err.getvalue() == ""


async def test_a_log_gets_one_line_not_every_redraw(tmp_path: Path, dialogue: Dialogue, corpus: Corpus) -> None:
    err = io.StringIO()
    await run_evaluation(dialogue, corpus, labelled(tmp_path, 60), out=io.StringIO(), err=err)
    assert err.getvalue() == "evaluated 60/60 questions\n"


def test_bar_fills_in_place() -> None:
    err = Terminal()
    bar = ProgressBar(4, err)
    bar(2)
    assert err.getvalue().startswith("\r[" + "#" * 15 + "." * 15 + "] 2/4")
