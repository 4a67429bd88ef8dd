"""A running bot picks up corpus edits without a restart and without failing a request."""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer

from adapters.config.settings import Settings
from adapters.corpus.corpus_watch import CORPUS_WATCH
from app import create_app
from tests import activities
from tests.fake_connector import FakeConnector, card_of, card_text
from tests.support import SHIPPED_CORPUS

QUESTION = "Are social media posts reviewed prior to being published?"
OLD = "Yes, all social media posts which are on NHSBT accounts"
NEW = "Yes, every post on an NHSBT account"
POLL_SECONDS = 0.05


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SHIPPED_CORPUS, tmp_path / "corpus"))


@pytest_asyncio.fixture
async def live_client(settings: Settings, corpus_dir: Path) -> AsyncIterator[TestClient]:
    settings = settings.model_copy(update={"corpus_dir": corpus_dir, "reload_seconds": POLL_SECONDS})
    async with TestClient(TestServer(create_app(settings), host="127.0.0.1")) as client:
        yield client


def rewrite(corpus_dir: Path, old: str, new: str) -> None:
    path = corpus_dir / "social-media-qa.faq.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


async def answer_to(client: TestClient, connector: FakeConnector, question: str, conversation: str = "a:c") -> str:
    before = len(connector.activities())
    response = await client.post(
        "/api/messages", json=activities.message(connector.url, question, conversation_id=conversation)
    )
    assert response.status == 201, await response.text()
    return card_text(card_of((await connector.wait_for(before + 1))[-1]))


async def logged(caplog: pytest.LogCaptureFixture, event: str, timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not any(r.getMessage().startswith(event) for r in caplog.records):
            await asyncio.sleep(POLL_SECONDS / 2)


async def test_an_edited_answer_reaches_the_next_question(
    live_client: TestClient, connector: FakeConnector, corpus_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="adapters.corpus.corpus_watch")
    assert OLD in await answer_to(live_client, connector, QUESTION)
    rewrite(corpus_dir, OLD, NEW)
    await logged(caplog, "corpus_reloaded reason=file-change generation=2")
    text = await answer_to(live_client, connector, QUESTION)
    assert NEW in text and OLD not in text


async def test_a_broken_edit_keeps_serving_the_last_good_corpus(
    live_client: TestClient, connector: FakeConnector, corpus_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="adapters.corpus.corpus_watch")
    rewrite(corpus_dir, OLD, NEW)
    await logged(caplog, "corpus_reloaded")
    # The curator's next save deletes a required field: the bot must keep the last good answer.
    rewrite(corpus_dir, "  topic: posting-and-opinions\n", "")
    await logged(caplog, "corpus_reload_rejected")
    rejected = next(r for r in caplog.records if r.getMessage().startswith("corpus_reload_rejected"))
    assert rejected.levelno == logging.ERROR
    assert "social-media-qa.faq.yaml: entry 'posts-reviewed-before-publishing': field 'topic'" in rejected.getMessage()
    assert NEW in await answer_to(live_client, connector, QUESTION)


async def test_requests_in_flight_during_reloads_all_succeed(
    live_client: TestClient, connector: FakeConnector, corpus_dir: Path
) -> None:
    watch = live_client.server.app[CORPUS_WATCH]
    rounds, per_round = 6, 10

    async def ask(number: int) -> int:
        response = await live_client.post(
            "/api/messages", json=activities.message(connector.url, QUESTION, conversation_id=f"a:burst-{number}")
        )
        return response.status

    async def swap(round_: int) -> bool:
        old, new = (OLD, NEW) if round_ % 2 == 0 else (NEW, OLD)
        await asyncio.to_thread(rewrite, corpus_dir, old, new)
        return await watch.reload("test")

    statuses: list[int] = []
    for round_ in range(rounds):
        # A wave of questions racing one reload: some are answered before the swap, some after.
        *wave, applied = await asyncio.gather(*(ask(round_ * per_round + n) for n in range(per_round)), swap(round_))
        statuses += wave
        assert applied is True
    assert statuses == [201] * rounds * per_round
    replies = await connector.wait_for(rounds * per_round)
    assert len(replies) == rounds * per_round
    texts = [card_text(card_of(reply)) for reply in replies]
    assert all((OLD in text) != (NEW in text) for text in texts)  # one whole corpus or the other


def add_out_of_scope_example(corpus_dir: Path, example: str) -> None:
    path = corpus_dir / "out-of-scope.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + f"  - topic: Added by a curator\n    examples:\n      - {example}\n", encoding="utf-8")


async def test_an_out_of_scope_edit_is_picked_up(
    live_client: TestClient, connector: FakeConnector, corpus_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="adapters.corpus.corpus_watch")
    asked = "who checks social media posts before they go live"
    assert OLD in await answer_to(live_client, connector, asked)
    # The curator decides this is a question the corpus does not answer.
    add_out_of_scope_example(corpus_dir, asked)
    await logged(caplog, "corpus_reloaded reason=file-change generation=2")
    assert OLD not in await answer_to(live_client, connector, asked)


async def test_a_broken_out_of_scope_edit_is_refused_without_quoting_the_file(
    live_client: TestClient, connector: FakeConnector, corpus_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="adapters.corpus.corpus_watch")
    path = corpus_dir / "out-of-scope.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  - topic: [unclosed curator-only wording\n", encoding="utf-8")
    await logged(caplog, "corpus_reload_rejected")
    rejected = next(r.getMessage() for r in caplog.records if r.getMessage().startswith("corpus_reload_rejected"))
    assert "out-of-scope.yaml: not valid YAML" in rejected
    assert "curator-only wording" not in rejected
    assert OLD in await answer_to(live_client, connector, QUESTION)


async def test_a_corpus_that_lost_its_vocabulary_is_refused_and_the_old_one_served(
    live_client: TestClient, connector: FakeConnector, corpus_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="adapters.corpus.corpus_watch")
    topics_before = await answer_to(live_client, connector, "topics")
    (corpus_dir / "vocabulary.yaml").unlink()
    await logged(caplog, "corpus_reload_rejected")
    rejected = next(r for r in caplog.records if r.getMessage().startswith("corpus_reload_rejected"))
    assert rejected.levelno == logging.ERROR
    assert rejected.getMessage() == (
        "corpus_reload_rejected reason=file-change kept_generation=1 error=vocabulary.yaml: not found: it declares "
        "the topics entries are filed under and the synonyms staff use; restore it"
    )
    assert not any(r.getMessage().startswith("corpus_reloaded") for r in caplog.records)
    assert OLD in await answer_to(live_client, connector, QUESTION)
    assert await answer_to(live_client, connector, "topics") == topics_before
