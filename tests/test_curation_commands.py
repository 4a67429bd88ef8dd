"""The curators' commands as the README gives them: import, lint, and reload of a running bot."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio

from tests import activities
from tests.fake_connector import FakeConnector, card_of, card_text
from tests.support import ROOT, environment, free_port, run_faqbot

SHIPPED = ROOT / "knowledge" / "data"
SEED = SHIPPED / "social-media-qa-2024-06.txt"
QUESTION = "Are social media posts reviewed prior to being published?"
OLD = "Yes, all social media posts which are on NHSBT accounts"
NEW = "Yes, every post on an NHSBT account"


def faqbot_process(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The command as its own process, for commands that signal a running bot."""
    return subprocess.run(
        [sys.executable, "app.py", *args], cwd=ROOT, env=environment(**env), capture_output=True, text=True, timeout=60
    )


def test_import_of_the_seed_shows_what_it_found_and_changes_nothing() -> None:
    result = run_faqbot("import", str(SEED), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "owner:          Employment Policy & Social Media Team" in result.stdout
    assert "unchanged  Q18(d)  line 143  whatsapp-team-updates-personal-phone" in result.stdout
    assert "No changes: " in result.stdout


def test_lint_passes_the_shipped_corpus_and_reports_the_overdue_review() -> None:
    result = run_faqbot("lint")
    assert result.returncode == 0, result.stdout
    assert "0 errors, 21 warnings" in result.stdout, result.stdout[-2000:]
    assert "warning [review-overdue]" in result.stdout
    assert run_faqbot("lint", "--strict").returncode == 1
    assert run_faqbot("lint", "--review-months", "240").stdout.count("review-overdue") == 0


def test_lint_fails_a_broken_corpus_naming_each_error() -> None:
    result = run_faqbot("lint", "--corpus", str(ROOT / "tests" / "data" / "lint-broken"))
    assert result.returncode == 1
    for check in (
        "schema",
        "no-reference",
        "no-owner",
        "no-review-date",
        "draft-entry",
        "duplicate-id",
        "duplicate-alternate",
        "near-duplicate-alternate",
        "alternate-retrieves-other",
        "alternate-retrieves-nothing",
        "answer-too-long",
    ):
        assert f"error [{check}]" in result.stdout, check


def test_lint_reads_its_review_interval_from_the_environment() -> None:
    result = run_faqbot("lint", FAQBOT_REVIEW_MONTHS="120")  # the longest interval the settings allow
    assert result.returncode == 0, result.stderr
    assert "0 errors" in result.stdout and "review-overdue" not in result.stdout


@dataclass
class RunningBot:
    url: str
    corpus: Path
    env: dict[str, str]


@pytest_asyncio.fixture
async def bot_with_copied_corpus(tmp_path: Path) -> AsyncIterator[RunningBot]:
    corpus = Path(shutil.copytree(SHIPPED, tmp_path / "corpus"))
    env = {
        "PORT": str(free_port()),
        "FAQBOT_CORPUS_DIR": str(corpus),
        "FAQBOT_RELOAD_SECONDS": "0",
        "FAQBOT_PID_FILE": str(tmp_path / "faqbot.pid"),
        "FAQBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "app.py",
        "run",
        cwd=ROOT,
        env=environment(**env),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{env['PORT']}"
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(100):
                try:
                    async with session.get(f"{url}/healthz") as response:
                        if response.status == 200 and (tmp_path / "faqbot.pid").exists():
                            break
                except aiohttp.ClientConnectionError:
                    pass
                await asyncio.sleep(0.1)
            else:
                pytest.fail("the bot did not start")
        yield RunningBot(url, corpus, env)
    finally:
        process.terminate()
        await process.wait()
    assert not (tmp_path / "faqbot.pid").exists()  # removed on a clean stop


async def ask(bot: RunningBot, connector: FakeConnector) -> str:
    before = len(connector.activities())
    message = activities.message(connector.url, QUESTION)
    async with aiohttp.ClientSession() as session, session.post(f"{bot.url}/api/messages", json=message) as r:
        assert r.status == 201
    return card_text(card_of((await connector.wait_for(before + 1))[-1]))


def rewrite(corpus: Path, old: str, new: str) -> None:
    path = corpus / "social-media-qa.faq.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


async def test_reload_command_changes_an_answer_in_the_running_bot(
    bot_with_copied_corpus: RunningBot, connector: FakeConnector
) -> None:
    bot = bot_with_copied_corpus
    assert OLD in await ask(bot, connector)
    rewrite(bot.corpus, OLD, NEW)
    assert OLD in await ask(bot, connector)  # file polling is off: nothing changes until asked
    result = await asyncio.to_thread(faqbot_process, "reload", **bot.env)
    assert result.returncode == 0, result.stderr
    assert "asked the bot (process" in result.stdout
    for _ in range(50):
        if NEW in await ask(bot, connector):
            break
        await asyncio.sleep(0.1)
    else:
        pytest.fail("the running bot did not reload")


async def test_reload_command_refuses_a_broken_corpus(
    bot_with_copied_corpus: RunningBot, connector: FakeConnector
) -> None:
    bot = bot_with_copied_corpus
    rewrite(bot.corpus, "  topic: posting-and-opinions\n", "")
    result = await asyncio.to_thread(faqbot_process, "reload", **bot.env)
    assert result.returncode == 3
    assert "entry 'posts-reviewed-before-publishing': field 'topic'" in result.stderr
    assert OLD in await ask(bot, connector)


def test_reload_without_a_running_bot_says_so(tmp_path: Path) -> None:
    result = run_faqbot("reload", FAQBOT_PID_FILE=str(tmp_path / "none.pid"))
    assert result.returncode == 1
    assert "no running bot" in result.stderr


def test_adopt_shows_then_writes_labelled_questions_into_a_copy_of_the_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SHIPPED, corpus)
    labelled = tmp_path / "labelled.yaml"
    labelled.write_text(
        '- q: "bytedance stuff on trust kit - allowed?"\n'
        "  expect: tiktok-government-restrictions\n"
        '- q: "can i get a locker at the filton site"\n'
        "  expect: out-of-scope\n",
        encoding="utf-8",
    )
    faq = corpus / "social-media-qa.faq.yaml"
    before = faq.read_text(encoding="utf-8")

    shown = run_faqbot("adopt", str(labelled), "--corpus", str(corpus))
    assert shown.returncode == 0, shown.stderr
    assert "2 labelled questions: 2 to adopt (1 alternates for 1 entries, 1 out-of-scope examples)" in shown.stdout
    assert "Nothing written" in shown.stdout
    assert faq.read_text(encoding="utf-8") == before
    unadopted = run_faqbot("eval", str(labelled), "--corpus", str(corpus))
    assert "answered correctly: 0.0% of in-scope" in " ".join(unadopted.stdout.split())

    written = run_faqbot("adopt", str(labelled), "--corpus", str(corpus), "--write")
    assert written.returncode == 0, written.stdout + written.stderr
    assert faq.read_text(encoding="utf-8").startswith("# Curated from social-media-qa-2024-06.txt.")
    assert "bytedance stuff on trust kit - allowed?" in faq.read_text(encoding="utf-8")
    assert "can i get a locker at the filton site" in (corpus / "out-of-scope.yaml").read_text(encoding="utf-8")
    measured = run_faqbot("eval", str(labelled), "--corpus", str(corpus))
    assert " ".join(measured.stdout.split()).startswith(
        "questions: 2 (1 in scope, 1 out of scope) answered correctly: 100.0% of in-scope"
    )
    assert "0 to adopt" in run_faqbot("adopt", str(labelled), "--corpus", str(corpus)).stdout


def test_adopt_refuses_the_held_out_set_and_a_broken_labelled_file(tmp_path: Path) -> None:
    refused = run_faqbot("adopt", str(ROOT / "eval" / "heldout.yaml"))
    assert refused.returncode == 2
    assert "refusing the held-out set" in refused.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("- q: hello\n  expect: no-such-entry\n", encoding="utf-8")
    result = run_faqbot("adopt", str(broken))
    assert result.returncode == 2
    assert "'expect' must be an entry id or 'out-of-scope', got 'no-such-entry'" in result.stderr
