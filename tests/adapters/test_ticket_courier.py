"""The ticket courier stopped half-way through an attempt, against real SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Mapping
from typing import Any

import pytest
import pytest_asyncio

from adapters.store import create_engine, migrate
from adapters.store.tickets import SqlTicketStore
from adapters.teams.ticket_courier import ChannelPost, ConnectorRefused, OutboxBackoff, Posted, TicketCourier
from bot import Organisation, Outbound
from bot.tickets import BestGuess, HrChannel, NewTicket, OutboxKind, OutboxRequest, Requester

LEASE = 60.0
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)
TICKET = NewTicket(
    idempotency_key="k" * 64,
    token="secret-token",
    requester=Requester("29:staff", "aad-staff", "Ada Staff", False),
    question="Can I swap shifts?",
    details="Nights",
    best_guess=BestGuess("swap-shifts", "How do I swap a shift?", 0.42),
    requester_reference={
        "serviceUrl": "https://smba.example/",
        "conversation": {"id": "a:staff"},
        "bot": {"id": "28:bot"},
    },
    created_at=NOW,
)


class RefusingPoster:
    """A Bot Connector that answers every new thread with 503."""

    async def post(self, where: ChannelPost, message: Outbound) -> Posted:
        raise ConnectorRefused(503)

    async def update(self, reference: Mapping[str, Any], activity_id: str, message: Outbound) -> None:
        raise AssertionError("no card is posted, so none is updated")

    async def send(self, reference: Mapping[str, Any], message: Outbound) -> None:
        raise AssertionError("nothing is sent to staff here")


class SlowRetries(SqlTicketStore):
    """Recording a retry waits until `release` is set; `entered` says it has begun."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entered = asyncio.Event()
        self.release = asyncio.Event()

    async def retry_at(self, message_id: int, due: dt.datetime, *, error: str) -> None:
        self.entered.set()
        await self.release.wait()
        await super().retry_at(message_id, due, error=error)


@pytest_asyncio.fixture
async def store(store_url: str) -> AsyncIterator[SlowRetries]:
    engine = create_engine(store_url)
    await migrate(engine)
    try:
        yield SlowRetries(engine)
    finally:
        await engine.dispose()


async def hr_channel() -> HrChannel:
    return HrChannel(channel_id="19:hr@thread.tacv2", team_id=None, service_url="https://smba.example/")


async def test_a_refusal_is_recorded_even_when_shutdown_comes_while_recording_it(store: SlowRetries) -> None:
    await store.create(TICKET, [OutboxRequest(OutboxKind.POST_TICKET, {})])
    clock = iter([NOW + dt.timedelta(seconds=n) for n in range(100)])
    courier = TicketCourier(
        RefusingPoster(),
        store,
        hr_channel,
        organisation=Organisation("Example NHS Trust", "the Trust", "HR Direct"),
        wakeup=asyncio.Event(),
        policy=OutboxBackoff(base_seconds=1.0, jitter=0.0, lease_seconds=LEASE),
        clock=lambda: next(clock),
    )
    draining = asyncio.create_task(courier.drain())
    await asyncio.wait_for(store.entered.wait(), 5)
    draining.cancel()  # the bot is stopping
    await asyncio.sleep(0.05)
    assert not draining.done()  # the retry is still being written down
    store.release.set()
    with pytest.raises(asyncio.CancelledError):
        await draining
    # The message is free again, due a second after the refusal: a restarted bot sends it then,
    # not once the minute-long lease has run out.
    (message,) = await store.claim_due(now=NOW + dt.timedelta(seconds=10), lease=dt.timedelta(seconds=LEASE), limit=1)
    assert message.kind is OutboxKind.POST_TICKET and message.attempts == 2
