"""The commands the README gives, run as a user would run them."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio

from tests import activities
from tests.fake_connector import FakeConnector, card_of, card_text

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("Microsoft", "FAQBOT_"))}
    return env | extra


@pytest_asyncio.fixture
async def running_bot(tmp_path: Path) -> AsyncIterator[str]:
    port = free_port()
    # A fresh database per run: the default var/ file would remember activity ids of earlier runs.
    database = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "app.py", "run", cwd=ROOT,
        env=environment(PORT=str(port), FAQBOT_HR_DIRECT_URL="mailto:hr.direct@example.org",
                        FAQBOT_DATABASE_URL=database),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
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
        async with session.post(f"{running_bot}/api/messages",
                                json=activities.message(connector.url, "how do I book annual leave")) as r:
            assert r.status == 201
        replies = await connector.wait_for(2)
        offer = card_of(replies[1])
        assert [a["url"] for a in offer["actions"]] == ["mailto:hr.direct@example.org"]
        assert "Blue Light Card" not in card_text(offer)


def test_chat_command_answers_in_the_terminal() -> None:
    result = subprocess.run(
        [sys.executable, "app.py", "chat"], cwd=ROOT, env=environment(),
        input="what counts as a social media profile\nhi\nquit\n", capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "A social media profile is an account on a social media channel" in result.stdout
    assert "Social Media FAQ 1.2" in result.stdout
    assert "Hello!" in result.stdout


def test_bad_corpus_stops_the_bot_before_it_serves(tmp_path: Path) -> None:
    (tmp_path / "broken.faq.yaml").write_text("entries:\n  - id: x\n    question: q\n")
    result = subprocess.run(
        [sys.executable, "app.py", "run"], cwd=ROOT, env=environment(FAQBOT_CORPUS_DIR=str(tmp_path)),
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 3
    assert "broken.faq.yaml: entry 'x': field 'answer'" in result.stderr


def test_bad_setting_is_named() -> None:
    result = subprocess.run([sys.executable, "app.py", "run"], cwd=ROOT, env=environment(PORT="eighty"),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "PORT" in result.stderr
