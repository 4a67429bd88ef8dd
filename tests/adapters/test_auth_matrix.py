"""Production mode: only signed requests from our tenant, in Teams, get a turn.

Tokens are minted by a local key server (tests/key_server.py) and validated by the real app over
HTTP; the fake connector proves whether a reply was sent.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from app import METRICS_KEY, Components, create_app
from tests import activities
from tests.fake_connector import FakeConnector, card_of, card_text
from tests.fake_credentials import OUTBOUND_TOKEN, FixedToken
from tests.key_server import KeyServer, new_key
from tests.support import production_settings

QUESTION = "Can liking a post on social media be a cause for concern for me?"
Activity = dict[str, Any]
Case = Callable[[KeyServer, Activity], tuple[Activity, str | None]]


def bearer(token: str) -> str:
    return f"Bearer {token}"


def signed(activity: Activity, keys: KeyServer, **claims: Any) -> tuple[Activity, str]:
    return activity, bearer(keys.token(activity["serviceUrl"], **claims))


def with_changes(activity: Activity, **changes: Any) -> Activity:
    return activity | changes


REJECTED: dict[str, tuple[int, Case]] = {
    "no Authorization header": (401, lambda k, a: (a, None)),
    "garbage bearer": (401, lambda k, a: (a, "Bearer not-a-jwt")),
    "Basic scheme": (401, lambda k, a: (a, "Basic dXNlcjpwYXNz")),
    "bearer without token": (401, lambda k, a: (a, "Bearer ")),
    "wrong audience": (401, lambda k, a: signed(a, k, aud="11111111-0000-4000-8000-000000000000")),
    "wrong issuer": (401, lambda k, a: signed(a, k, iss="https://sts.windows.net/evil/")),
    "expired more than 5 minutes ago": (401, lambda k, a: signed(a, k, exp=int(time.time()) - 400)),
    "not valid yet": (401, lambda k, a: signed(a, k, nbf=int(time.time()) + 900)),
    "no expiry": (401, lambda k, a: signed(a, k, exp=None)),
    "other key with the same kid": (401, lambda k, a: (a, bearer(k.token(a["serviceUrl"], key=new_key())))),
    "unknown kid": (401, lambda k, a: (a, bearer(k.token(a["serviceUrl"], kid="rotated-away")))),
    "no kid": (401, lambda k, a: (a, bearer(k.token(a["serviceUrl"], kid=None)))),
    "alg none": (401, lambda k, a: (a, bearer(k.unsigned_token(a["serviceUrl"])))),
    "HS256 key confusion": (401, lambda k, a: (a, bearer(k.token(a["serviceUrl"], algorithm="HS256")))),
    "serviceurl claim mismatch": (401, lambda k, a: signed(a, k, serviceurl="https://smba.trafficmanager.net/uk/")),
    "serviceurl claim missing": (401, lambda k, a: signed(a, k, serviceurl=None)),
    "channel not endorsed by the key": (401, lambda k, a: signed(with_changes(a, channelId="directline"), k)),
    "empty channelId": (401, lambda k, a: signed(with_changes(a, channelId=""), k)),
    "foreign tenant": (
        403,
        lambda k, a: signed(
            with_changes(
                a,
                channelData={"tenant": {"id": "tenant-elsewhere"}},
                conversation=a["conversation"] | {"tenantId": "tenant-elsewhere"},
            ),
            k,
        ),
    ),
    "tenant ids disagree": (
        403,
        lambda k, a: signed(with_changes(a, conversation=a["conversation"] | {"tenantId": "tenant-elsewhere"}), k),
    ),
    "no tenant": (
        403,
        lambda k, a: signed(
            with_changes(
                a, channelData={}, conversation={k2: v for k2, v in a["conversation"].items() if k2 != "tenantId"}
            ),
            k,
        ),
    ),
    "webchat channel (endorsed, not allowed)": (403, lambda k, a: signed(with_changes(a, channelId="webchat"), k)),
    "sender without aadObjectId": (
        403,
        lambda k, a: signed(with_changes(a, **{"from": {"id": "29:someone", "name": "Someone"}}), k),
    ),
}


async def test_control_signed_request_from_our_tenant_is_answered(
    production_client: TestClient, connector: FakeConnector, keys: KeyServer
) -> None:
    activity = activities.message(connector.url, QUESTION)
    response = await production_client.post(
        "/api/messages", json=activity, headers={"Authorization": bearer(keys.token(connector.url))}
    )
    assert response.status == 201
    (reply,) = await connector.wait_for(1)
    assert "Care should be taken when liking or sharing a post" in card_text(card_of(reply))
    assert connector.calls[-1].authorization == f"Bearer {OUTBOUND_TOKEN}"


async def test_token_expired_within_the_clock_leeway_is_accepted(
    production_client: TestClient, connector: FakeConnector, keys: KeyServer
) -> None:
    activity = activities.message(connector.url, QUESTION)
    token = keys.token(connector.url, exp=int(time.time()) - 120)
    response = await production_client.post("/api/messages", json=activity, headers={"Authorization": bearer(token)})
    assert response.status == 201
    assert len(await connector.wait_for(1)) == 1


@pytest.mark.parametrize("case", sorted(REJECTED))
async def test_rejected_requests_get_4xx_and_run_no_turn(
    production_client: TestClient, connector: FakeConnector, keys: KeyServer, case: str
) -> None:
    status, make = REJECTED[case]
    activity, authorization = make(keys, activities.message(connector.url, QUESTION))
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = await production_client.post("/api/messages", json=activity, headers=headers)
    assert response.status == status, await response.text()
    assert connector.calls == []  # a turn replies before its response: none ran
    assert production_client.app[METRICS_KEY].answers.values == {}


async def test_service_url_outside_the_allow_list_is_refused_even_with_a_matching_claim(
    keys: KeyServer, connector: FakeConnector
) -> None:
    settings = production_settings(keys, service_url_hosts=("smba.trafficmanager.net",))
    app = create_app(settings, replace(Components.real(settings), credentials=FixedToken()))
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        activity = activities.message(connector.url, QUESTION)
        response = await client.post(
            "/api/messages", json=activity, headers={"Authorization": bearer(keys.token(connector.url))}
        )
        assert response.status == 403
    assert connector.calls == []


async def test_signing_keys_are_fetched_once_and_cached(
    production_client: TestClient, connector: FakeConnector, keys: KeyServer
) -> None:
    for _ in range(3):
        activity = activities.message(connector.url, QUESTION)
        response = await production_client.post(
            "/api/messages", json=activity, headers={"Authorization": bearer(keys.token(connector.url))}
        )
        assert response.status == 201
    assert keys.fetches == 1


async def test_unreachable_key_server_is_a_503_without_a_turn(keys: KeyServer, connector: FakeConnector) -> None:
    keys.available = False
    settings = production_settings(keys)
    app = create_app(settings, replace(Components.real(settings), credentials=FixedToken()))
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        activity = activities.message(connector.url, QUESTION)
        response = await client.post(
            "/api/messages", json=activity, headers={"Authorization": bearer(keys.token(connector.url))}
        )
        assert response.status == 503
    assert connector.calls == []


async def test_a_stalled_key_server_does_not_block_other_requests(connector: FakeConnector) -> None:
    """The key fetch is async with a timeout: health probes are answered while it waits."""
    from aiohttp import web

    release = asyncio.Event()
    fetching = asyncio.Event()

    async def stall(_request: web.Request) -> web.Response:
        fetching.set()
        await release.wait()
        return web.Response(status=503)

    stalled = web.Application()
    stalled.router.add_get("/openid", stall)
    async with TestServer(stalled, host="127.0.0.1") as key_host:
        settings = production_settings(KeyServer(url=str(key_host.make_url("/"))), key_fetch_timeout=2.0)
        app = create_app(settings, replace(Components.real(settings), credentials=FixedToken()))
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            token = KeyServer().token(connector.url)
            started = time.perf_counter()
            pending = asyncio.create_task(
                client.post(
                    "/api/messages",
                    json=activities.message(connector.url, QUESTION),
                    headers={"Authorization": bearer(token)},
                )
            )
            await asyncio.wait_for(fetching.wait(), timeout=5)  # the turn waits for the keys
            assert not pending.done()
            health_started = time.perf_counter()
            health = await client.get("/healthz")
            assert health.status == 200
            assert time.perf_counter() - health_started < 0.5
            response = await pending
            assert response.status == 503
            assert time.perf_counter() - started < 3.0
        release.set()
    assert connector.calls == []
