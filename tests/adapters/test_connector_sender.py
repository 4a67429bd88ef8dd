"""Sends to the Bot Connector are retried on throttling and gateway errors, and paced per conversation."""

from __future__ import annotations

import asyncio
import random
import time
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient
from botbuilder.core import TurnContext
from botbuilder.schema import ChannelAccount, ConversationAccount, ConversationReference

from adapters.config.settings import Settings
from adapters.teams.botbuilder.bot_framework import build_adapter
from adapters.teams.connector_sender import (
    TEAMS_CONVERSATION_LIMITS,
    ConnectorSender,
    SendRetry,
    SlidingWindowPacer,
    conversation_of,
    parse_retry_after,
)
from app import METRICS_KEY, SENDER_KEY, create_app
from tests import activities
from tests.fake_connector import FakeConnector

QUESTION = "Can liking a post on social media be a cause for concern for me?"
FAST = SendRetry(base_delay=0.02, max_delay=0.1)


class FakeClock:
    """Time that passes only when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


async def ask(client: TestClient, connector: FakeConnector) -> int:
    response = await client.post("/api/messages", json=activities.message(connector.url, QUESTION))
    return response.status


async def test_429_with_retry_after_then_success_delivers_exactly_one_reply(
    bot_client: TestClient, connector: FakeConnector
) -> None:
    connector.scripted = [(429, {"Retry-After": "1"})]
    started = time.perf_counter()
    assert await ask(bot_client, connector) == 201
    assert time.perf_counter() - started >= 1.0
    assert len(connector.calls) == 2
    assert len(connector.activities()) == 2  # the refused attempt and its retry, same activity
    assert connector.calls[0].body == connector.calls[1].body
    assert bot_client.app[METRICS_KEY].outbound_retries.value(status="429") == 1


@pytest.mark.parametrize("status", [412, 429, 502, 504])
async def test_each_retryable_status_is_retried(bot_client: TestClient, connector: FakeConnector, status: int) -> None:
    bot_client.app[SENDER_KEY].policy = FAST
    connector.scripted = [(status, {}), (status, {})]
    assert await ask(bot_client, connector) == 201
    assert len(connector.calls) == 3
    assert "Care should be taken" in str(connector.calls[-1].body)


async def test_other_errors_are_not_retried(bot_client: TestClient, connector: FakeConnector) -> None:
    bot_client.app[SENDER_KEY].policy = FAST
    connector.scripted = [(403, {})]
    assert await ask(bot_client, connector) == 201
    # The refused answer, then the turn-error apology; no retry of the answer.
    assert len(connector.calls) == 2
    assert "Care should be taken" in str(connector.calls[0].body)
    assert "something went wrong" in connector.calls[1].body["text"]


async def test_attempts_are_bounded(bot_client: TestClient, connector: FakeConnector) -> None:
    bot_client.app[SENDER_KEY].policy = FAST
    connector.scripted = [(502, {})] * FAST.max_attempts
    assert await ask(bot_client, connector) == 201
    answer_attempts = [c for c in connector.calls if "Care should be taken" in str(c.body)]
    assert len(answer_attempts) == FAST.max_attempts


async def test_retry_after_beyond_the_budget_gives_up_at_once(bot_client: TestClient, connector: FakeConnector) -> None:
    connector.scripted = [(429, {"Retry-After": "120"})]
    started = time.perf_counter()
    assert await ask(bot_client, connector) == 201
    assert time.perf_counter() - started < 2.0
    answer_attempts = [c for c in connector.calls if "Care should be taken" in str(c.body)]
    assert len(answer_attempts) == 1


async def test_proactive_sends_are_retried_too(connector: FakeConnector) -> None:
    sender = ConnectorSender(policy=FAST)
    adapter = build_adapter(Settings(local_mode=True), sender)
    reference = ConversationReference(
        channel_id="msteams",
        service_url=connector.url,
        conversation=ConversationAccount(id="19:hr@thread.tacv2"),
        bot=ChannelAccount(id=activities.BOT_ID),
    )
    connector.scripted = [(429, {}), (504, {})]

    async def notify(turn_context: TurnContext) -> None:
        await turn_context.send_activity("HR Direct has answered your question.")

    await adapter.continue_conversation(reference, notify, "")
    sent = connector.activities()
    assert len(sent) == 3
    assert {a["text"] for a in sent} == {"HR Direct has answered your question."}
    assert connector.calls[-1].path.startswith("/v3/conversations/19:hr@thread.tacv2/activities")


async def test_backoff_is_exponential_with_jitter_and_honours_retry_after() -> None:
    clock = FakeClock()
    sender = ConnectorSender(
        policy=SendRetry(base_delay=1.0, max_delay=8.0, jitter=0.2, budget=100),
        clock=clock,
        sleep=clock.sleep,
        rng=random.Random(7),
    )
    statuses = iter([(502, None), (429, None), (429, "5"), (201, None)])
    result = await sender.send(None, lambda: _next(statuses), lambda r: r)
    assert result == (201, None)
    first, second, third = clock.sleeps
    assert 0.8 <= first <= 1.2
    assert 1.6 <= second <= 2.4
    assert third == 5.0  # Retry-After longer than the 4 s backoff


async def test_pacing_keeps_each_conversation_under_teams_limits() -> None:
    clock = FakeClock()
    pacer = SlidingWindowPacer(TEAMS_CONVERSATION_LIMITS, clock=clock, sleep=clock.sleep)
    sent: list[float] = []
    for _ in range(30):
        await pacer.acquire("a:one")
        sent.append(clock.now)
    for start in sent:
        assert sum(1 for t in sent if start <= t < start + 1.0) <= 7
        assert sum(1 for t in sent if start <= t < start + 2.0) <= 8
    other_started = clock.now
    await pacer.acquire("a:other")
    assert clock.now == other_started  # another conversation does not wait


async def test_senders_waiting_for_one_key_go_in_arrival_order() -> None:
    now = [0.0]
    sleeping: list[asyncio.Future[None]] = []

    async def sleep(_seconds: float) -> None:  # returns when the test says time has passed
        sleeping.append(asyncio.get_running_loop().create_future())
        await sleeping[-1]

    async def settle() -> None:
        for _ in range(5):
            await asyncio.sleep(0)

    pacer = SlidingWindowPacer(((1.0, 1),), clock=lambda: now[0], sleep=sleep)
    order: list[str] = []

    async def send(name: str) -> None:
        await pacer.acquire("app")
        order.append(name)

    await send("first")
    second = asyncio.create_task(send("second"))  # waits for the next second
    await settle()
    now[0] = 1.0
    third = asyncio.create_task(send("third"))  # arrives as the slot frees, before the second wakes
    await settle()
    while not (second.done() and third.done()):
        for waiting in sleeping:
            waiting.set_result(None)
        sleeping.clear()
        await settle()
        now[0] += 1.0
    assert order == ["first", "second", "third"]


async def _next(statuses: object) -> tuple[int, str | None]:
    return next(statuses)  # type: ignore[call-overload]


def test_retry_after_parsing() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    later = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 30))
    assert 25 <= (parse_retry_after(later) or 0) <= 31


def test_conversation_is_read_from_the_connector_path() -> None:
    assert conversation_of("/emea/v3/conversations/a%3Aone/activities/17") == "a%3Aone"
    assert conversation_of("/v3/conversations") is None


def test_the_app_wide_pace_can_be_turned_off_but_the_per_conversation_pace_stays(tmp_path: Path) -> None:
    def sender(per_second: int) -> ConnectorSender:
        settings = Settings(
            local_mode=True,
            metrics_port=0,
            outbound_per_second=per_second,
            database_url=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        )
        return create_app(settings)[SENDER_KEY]

    unpaced, paced = sender(0), sender(20)
    assert unpaced.app_pacer is None
    assert paced.app_pacer is not None and paced.app_pacer.limits == ((1.0, 20),)
    assert unpaced.conversation_pacer.limits == paced.conversation_pacer.limits == TEAMS_CONVERSATION_LIMITS
