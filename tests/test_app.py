"""The commands the README gives, run as a user would run them."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio

from tests import activities
from tests.fake_connector import FakeConnector, card_of, card_text
from tests.support import ROOT, environment, free_port


@pytest_asyncio.fixture
async def running_bot(tmp_path: Path) -> AsyncIterator[str]:
    port = free_port()
    # A fresh database per run: the default var/ file would remember activity ids of earlier runs.
    database = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "app.py",
        "run",
        cwd=ROOT,
        env=environment(
            PORT=str(port),
            FAQBOT_HR_DIRECT_URL="mailto:hr.direct@example.org",
            FAQBOT_DATABASE_URL=database,
        ),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(100):
                try:
                    async with session.get(f"{url}/healthz") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
            else:
                pytest.fail("the bot did not start")
        yield url
    finally:
        process.terminate()
        _, stderr = await process.communicate()
        assert b"LOCAL MODE" in stderr


async def test_run_command_serves_answers(running_bot: str, connector: FakeConnector) -> None:
    async with aiohttp.ClientSession() as session:
        question = "Do I need to unlink my work e-mail account for personal use such as on line banking?"
        async with session.post(f"{running_bot}/api/messages", json=activities.message(connector.url, question)) as r:
            assert r.status == 201
        (reply,) = await connector.wait_for(1)
        assert "Blue Light Card" in card_text(card_of(reply))
        async with session.post(
            f"{running_bot}/api/messages", json=activities.message(connector.url, "how do I book annual leave")
        ) as r:
            assert r.status == 201
        replies = await connector.wait_for(2)
        offer = card_of(replies[1])
        assert [a["url"] for a in offer["actions"]] == ["mailto:hr.direct@example.org"]
        assert "Blue Light Card" not in card_text(offer)


def test_chat_command_answers_in_the_terminal() -> None:
    result = subprocess.run(
        [sys.executable, "app.py", "chat"],
        cwd=ROOT,
        env=environment(),
        input="what counts as a social media profile\nhi\nquit\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "A social media profile is an account on a social media channel" in result.stdout
    assert "Social Media FAQ 1.2" in result.stdout
    assert "Hello!" in result.stdout


def test_entries_without_owner_or_review_date_stop_the_bot_before_it_serves(tmp_path: Path) -> None:
    (tmp_path / "leave.faq.yaml").write_text(
        "document:\n  title: Leave\n  owner:\n  last_reviewed:\nentries:\n"
        "  - id: carry-over\n    source: Q1\n    topic: leave\n    question: Can I carry over leave?\n"
        "    answer: Up to five days.\n    references:\n      - name: Leave Policy\n",
        encoding="utf-8",
    )
    (tmp_path / "vocabulary.yaml").write_text("topics:\n  - {id: leave, title: Leave}\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "app.py", "run"],
        cwd=ROOT,
        env=environment(FAQBOT_CORPUS_DIR=str(tmp_path), PORT=str(free_port())),  # 3978 may be in use
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 3
    assert "leave.faq.yaml: entry 'carry-over': field 'owner': no owner" in result.stderr
    assert "(and 1 more problems)" in result.stderr  # the review date


def test_bad_corpus_stops_the_bot_before_it_serves(tmp_path: Path) -> None:
    (tmp_path / "broken.faq.yaml").write_text("entries:\n  - id: x\n    question: q\n")
    result = subprocess.run(
        [sys.executable, "app.py", "run"],
        cwd=ROOT,
        env=environment(FAQBOT_CORPUS_DIR=str(tmp_path), PORT=str(free_port())),  # 3978 may be in use
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 3
    assert "broken.faq.yaml: entry 'x': field 'answer'" in result.stderr


def test_bad_setting_is_named() -> None:
    result = subprocess.run(
        [sys.executable, "app.py", "run"],
        cwd=ROOT,
        env=environment(PORT="eighty"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "PORT" in result.stderr


PRODUCTION = {
    "MicrosoftAppId": "00000000-0000-4000-8000-0000000000b0",
    "MicrosoftAppPassword": "not-a-real-secret",
    "MicrosoftAppTenantId": "tenant-nhs",
    "FAQBOT_ALLOWED_TENANTS": "tenant-nhs",
    "FAQBOT_PSEUDONYM_SALT": "a-long-random-test-secret",
}


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"FAQBOT_LOCAL_MODE": ""}, "FAQBOT_LOCAL_MODE=1"),
        ({"FAQBOT_LOCAL_MODE": ""} | PRODUCTION | {"FAQBOT_ALLOWED_TENANTS": ""}, "FAQBOT_ALLOWED_TENANTS"),
        ({"FAQBOT_LOCAL_MODE": ""} | PRODUCTION | {"MicrosoftAppPassword": ""}, "no credential"),
        ({"FAQBOT_LOCAL_MODE": ""} | PRODUCTION | {"MicrosoftAppTenantId": ""}, "MicrosoftAppTenantId"),
        (PRODUCTION, "FAQBOT_LOCAL_MODE cannot be combined with MicrosoftAppId"),
    ],
)
def test_unsafe_configuration_refuses_to_start(env: dict[str, str], named: str) -> None:
    result = subprocess.run(
        [sys.executable, "app.py", "run"], cwd=ROOT, env=environment(**env), capture_output=True, text=True, timeout=5
    )
    assert result.returncode == 2
    assert named in result.stderr
    assert "refusing to start" in result.stderr


async def test_local_mode_is_reported_on_healthz_and_metrics_stay_on_loopback() -> None:
    port, metrics_port = free_port(), free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "app.py",
        "run",
        cwd=ROOT,
        env=environment(PORT=str(port), FAQBOT_METRICS_PORT=str(metrics_port)),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(100):
                try:
                    async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                        health = await response.json()
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
            else:
                pytest.fail("the bot did not start")
            assert health["mode"] == "local"
            assert "not authenticated" in health["warning"]
            async with session.get(f"http://127.0.0.1:{port}/readyz") as response:
                assert response.status == 200
                assert (await response.json())["checks"] == {"corpus": True, "store": True}
            async with session.get(f"http://127.0.0.1:{port}/metrics") as response:
                assert response.status == 404
            async with session.get(f"http://127.0.0.1:{metrics_port}/metrics") as response:
                assert response.status == 200
                assert "faqbot_http_requests_total" in await response.text()
    finally:
        process.terminate()
        await process.communicate()


def run_eval(*args: str) -> subprocess.CompletedProcess[str]:
    # A curator's machine has neither credentials nor local mode: eval must work offline as it is.
    env = {k: v for k, v in environment().items() if k != "FAQBOT_LOCAL_MODE"}
    return subprocess.run(
        [sys.executable, "app.py", "eval", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_eval_command_reports_rates_and_failures(tmp_path: Path) -> None:
    labelled = tmp_path / "set.yaml"
    labelled.write_text(
        '- q: "can i have tik tok on my work phone"\n  expect: tiktok-government-restrictions\n'
        '- q: "how do i book annual leave"\n  expect: out-of-scope\n'
        '- q: "can i have tik tok on my work phone"\n  expect: liking-posts\n',
        encoding="utf-8",
    )
    result = run_eval(str(labelled))
    assert result.returncode == 0, result.stderr
    assert "answered correctly:      50.0% of in-scope" in result.stdout
    assert "out-of-scope escalated: 100.0%" in result.stdout
    assert "liking-posts -> tiktok-government-restrictions" in result.stdout
    assert "'can i have tik tok on my work phone'" in result.stdout

    summary = run_eval(str(labelled), "--summary-only", "--gate")
    assert summary.returncode == 1
    assert "tik tok" not in summary.stdout
    assert "TARGET MISSED: answered correctly 50.0% < 95.0%" in summary.stdout


def test_eval_command_names_a_bad_labelled_file(tmp_path: Path) -> None:
    labelled = tmp_path / "set.yaml"
    labelled.write_text("- q: hello\n  expect: no-such-entry\n", encoding="utf-8")
    result = run_eval(str(labelled), "--corpus", str(ROOT / "knowledge" / "data"))
    assert result.returncode == 2
    assert "set.yaml: item #1" in result.stderr
