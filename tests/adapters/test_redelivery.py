from __future__ import annotations

import datetime as dt

from adapters.store import StoreUnavailable
from adapters.teams.redelivery import REPEATED, UNAVAILABLE, RedeliveryGuard
from adapters.web.turn_result import TurnResult

ACTIVITY = {"type": "message", "id": "act-1", "channelId": "msteams", "conversation": {"id": "a:1"}}


class Claims:
    """DeliveryClaims in memory; the store can be made to fail when claiming or finishing."""

    def __init__(self, *, claim_fails: bool = False, finish_fails: bool = False) -> None:
        self.claimed: set[str] = set()
        self.finished: set[str] = set()
        self.claim_fails = claim_fails
        self.finish_fails = finish_fails

    async def claim(self, key: str, *, now: dt.datetime) -> bool:
        if self.claim_fails:
            raise StoreUnavailable("the store did not answer in time")
        if key in self.finished:
            return False
        self.claimed.add(key)
        return True

    async def finish(self, key: str) -> None:
        if self.finish_fails:
            raise StoreUnavailable("the store did not answer in time")
        self.finished.add(key)

    def abandon(self, key: str) -> None:
        self.claimed.discard(key)


class Replies:
    def __init__(self) -> None:
        self.sent = 0

    async def turn(self) -> TurnResult:
        self.sent += 1
        return TurnResult(201)


async def test_a_redelivery_runs_no_second_turn() -> None:
    guard, replies = RedeliveryGuard(Claims()), Replies()

    assert (await guard.once(ACTIVITY, replies.turn)).status == 201
    assert await guard.once(ACTIVITY, replies.turn) is REPEATED
    assert replies.sent == 1


async def test_a_store_down_before_the_turn_asks_for_the_activity_again() -> None:
    replies = Replies()

    assert await RedeliveryGuard(Claims(claim_fails=True)).once(ACTIVITY, replies.turn) is UNAVAILABLE
    assert replies.sent == 0


async def test_a_turn_that_replied_stands_when_the_store_fails_to_record_it() -> None:
    # A 503 here made the Bot Connector deliver the message again: staff got the answer twice.
    claims, replies = Claims(finish_fails=True), Replies()
    guard = RedeliveryGuard(claims)

    assert (await guard.once(ACTIVITY, replies.turn)).status == 201
    claims.finish_fails = False
    assert await guard.once(ACTIVITY, replies.turn) is REPEATED
    assert replies.sent == 1


async def test_what_is_remembered_without_the_store_is_bounded() -> None:
    claims, replies = Claims(finish_fails=True), Replies()
    guard = RedeliveryGuard(claims, remembered=2)
    for number in range(3):
        await guard.once({**ACTIVITY, "id": f"act-{number}"}, replies.turn)

    claims.finish_fails = False
    assert await guard.once({**ACTIVITY, "id": "act-2"}, replies.turn) is REPEATED
    assert (await guard.once({**ACTIVITY, "id": "act-0"}, replies.turn)).status == 201  # forgotten: the store decides
    assert replies.sent == 4
