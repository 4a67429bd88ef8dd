"""Connector clients for the Agents SDK whose every HTTP call goes through our `ConnectorSender`.

The SDK makes a `TeamsConnectorClient` per turn, each with a new aiohttp session and a user-token
client for OAuth sign-in (which this bot never uses). `SendingClientFactory` makes them with
one shared connection pool, a 10 s deadline per call, our retry and pacing as an aiohttp client
middleware (aiohttp's public hook, so no SDK internals are touched), the configured bearer token,
and no user-token client at all.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from aiohttp import ClientHandlerType, ClientRequest, ClientResponse, ClientSession, ClientTimeout, TCPConnector
from microsoft_agents.hosting.core import ClaimsIdentity, TurnContext
from microsoft_agents.hosting.core.connector import ConnectorClientBase
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient

from adapters.teams.connector_sender import ConnectorSender, conversation_of

# Seconds before one connector call is given up (Teams waits 15 s for the whole turn).
CONNECTOR_TIMEOUT_SECONDS = 10


# Sessions made while `closing_sessions` is active in this task.
_SESSIONS: ContextVar[list[ClientSession] | None] = ContextVar("faqbot_agents_sessions", default=None)


@asynccontextmanager
async def closing_sessions() -> AsyncIterator[None]:
    """Close the connector sessions made inside the block that are still open at its end.

    The SDK closes a connector client when the turn it made it for ends; when the call before
    that turn fails (`create_conversation` refused with 429, say) it leaves the client open.
    """
    sessions: list[ClientSession] = []
    token = _SESSIONS.set(sessions)
    try:
        yield
    finally:
        _SESSIONS.reset(token)
        for session in sessions:
            if not session.closed:
                await session.close()


class _NoUserTokens:
    """Stands in for the SDK's user-token client: OAuth sign-in is not part of this bot."""

    async def close(self) -> None:
        return None


class SendingClientFactory:
    """The SDK's channel-service client factory (`ChannelServiceClientFactoryBase`), ours.

    `token` gives the bearer token for the Bot Connector; None sends no Authorization header
    (local mode, where there is no Entra app).
    """

    def __init__(self, sender: ConnectorSender, token: Callable[[], Awaitable[str]] | None) -> None:
        self._sender = sender
        self._token = token
        self._pool: TCPConnector | None = None

    async def create_connector_client(
        self,
        context: TurnContext | None,
        claims_identity: ClaimsIdentity,
        service_url: str,
        audience: str,
        scopes: list[str] | None = None,
        use_anonymous: bool = False,
    ) -> ConnectorClientBase:
        if self._pool is None:
            self._pool = TCPConnector()
        endpoint = service_url if service_url.endswith("/") else service_url + "/"
        session = ClientSession(
            base_url=endpoint,
            connector=self._pool,
            connector_owner=False,
            middlewares=(self._send,),
            timeout=ClientTimeout(total=CONNECTOR_TIMEOUT_SECONDS),
        )
        made = _SESSIONS.get()
        if made is not None:
            made.append(session)
        token = await self._token() if self._token is not None else ""
        return TeamsConnectorClient(endpoint, token, session=session)

    async def create_user_token_client(
        self, context: TurnContext, claims_identity: ClaimsIdentity, use_anonymous: bool = False
    ) -> Any:
        return _NoUserTokens()

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    async def _send(self, request: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
        paced = request.method in {"POST", "PUT"}
        conversation = conversation_of(request.url.path) if paced else None

        async def attempt() -> ClientResponse:
            response = await handler(request)
            await response.read()  # frees the connection; the SDK reads the cached body later
            return response

        def status_of(response: ClientResponse) -> tuple[int, str | None]:
            return response.status, response.headers.get("Retry-After")

        return await self._sender.send(conversation, attempt, status_of)
