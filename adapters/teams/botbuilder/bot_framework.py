"""Bot Framework SDK specifics: the CloudAdapter, its connector sender, and inbound turns.

botbuilder 4.17.1 is archived; it is confined to `adapters/teams/botbuilder/`.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, CallerIdConstants
from botframework.connector.auth import (
    AppCredentials,
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    CertificateServiceClientCredentialsFactory,
    ClaimsIdentity,
    ConnectorFactory,
    ServiceClientCredentialsFactory,
    UserTokenClient,
)
from botframework.connector.auth._connector_factory_impl import _ConnectorFactoryImpl
from msrest.pipeline.async_abc import AsyncHTTPSender
from msrest.serialization import Serializer
from msrest.universal_http.requests import ClientRetryPolicy

from adapters.config.settings import Settings
from adapters.teams.botbuilder.activity_json import plain_json, speed_up_msrest_activity_bodies
from adapters.teams.botbuilder.turn import BotbuilderTurn
from adapters.teams.connector_sender import ConnectorSender, conversation_of
from adapters.teams.conversation import InvokeReply, TeamsConversation, turn_failed, turn_result
from adapters.teams.redelivery import UNREADABLE, RedeliveryGuard
from adapters.teams.sdk import OutboundCredential
from adapters.web.turn_result import TurnResult

log = logging.getLogger(__name__)

# Seconds before msrest gives up on one connector call (its default is 100 s; Teams waits 15 s).
CONNECTOR_TIMEOUT_SECONDS = 10
# Connector clients kept for reuse: one per app, audience and service URL (Teams uses a few per region).
KEPT_CONNECTOR_CLIENTS = 32


class _AuthConfig:
    """The attribute bag botbuilder reads with getattr; a dict would silently disable auth."""

    def __init__(self, settings: Settings) -> None:
        self.APP_ID = settings.app_id
        self.APP_PASSWORD = settings.app_password
        # SingleTenant without an app id raises in botbuilder; local mode has no app id at all.
        self.APP_TYPE = settings.app_type if settings.app_id else "MultiTenant"
        self.APP_TENANTID = settings.app_tenant_id


def speed_up_msrest_retry_policy() -> None:
    """msrest rebuilds its retry policy for every connector client (two per turn), testing 999
    status codes against a 502-item list each time: about 4 ms of CPU per client. Making that
    list a frozenset keeps the same codes and the same behaviour at a fraction of the cost."""
    ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)  # type: ignore[assignment]


# msrest's own, kept for the JSON fast path below to fall back on (and for tests to compare with).
MSREST_SERIALIZE_OBJECT = Serializer.serialize_object


def _serialize_object(self: Serializer, attr: Any, **kwargs: Any) -> Any:
    if type(attr) is dict or type(attr) is list:
        try:
            return plain_json(attr)
        except (TypeError, ValueError):
            pass  # not plain JSON (a model, a date, an enum...): msrest knows what to do
    return MSREST_SERIALIZE_OBJECT(self, attr, **kwargs)


def speed_up_msrest_object_serialization() -> None:
    """msrest serialises an activity's free-form fields (card content, channelData, value) value by
    value in Python, calling eval() for every number: over a millisecond of CPU per answer card.
    Plain JSON (dicts and lists of strings, numbers, booleans and None) comes out of it as an
    equal copy, so such data is copied through the json module instead; anything else still
    takes msrest's path."""
    Serializer.serialize_object = _serialize_object  # type: ignore[method-assign]


class _FixedCredentials(AppCredentials):
    def __init__(self, credential: OutboundCredential, app_id: str, oauth_scope: str) -> None:
        super().__init__(app_id=app_id, oauth_scope=oauth_scope)
        self._credential = credential

    def get_access_token(self, force_refresh: bool = False) -> str:
        return self._credential.token()


class FixedCredentialsFactory(ServiceClientCredentialsFactory):
    """Outbound credentials from an `OutboundCredential` (tests), for the configured app id."""

    def __init__(self, credential: OutboundCredential, app_id: str) -> None:
        self._credential = credential
        self._app_id = app_id

    async def is_valid_app_id(self, app_id: str) -> bool:
        return app_id == self._app_id

    async def is_authentication_disabled(self) -> bool:
        return not self._app_id

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> AppCredentials:
        return _FixedCredentials(self._credential, app_id, oauth_scope)


def credentials_factory_for(
    settings: Settings, credential: OutboundCredential | None = None
) -> ServiceClientCredentialsFactory | None:
    """The outbound credential: `credential` when given (tests), a certificate when one is
    configured, else botbuilder's default (client secret or user-assigned managed identity)."""
    if credential is not None:
        return FixedCredentialsFactory(credential, settings.app_id)
    if settings.app_certificate_thumbprint and settings.app_certificate_key_file:
        return CertificateServiceClientCredentialsFactory(
            settings.app_certificate_thumbprint,
            settings.app_certificate_key_file.read_text(encoding="utf-8"),
            settings.app_id,
            settings.app_tenant_id or None,
        )
    return None


def build_adapter(
    settings: Settings,
    sender: ConnectorSender,
    credential: OutboundCredential | None = None,
) -> CloudAdapter:
    """A CloudAdapter for the configured Entra app whose every connector call goes through `sender`.

    `credential` replaces the configured outbound credential (tests pass a fixed token).
    """
    speed_up_msrest_retry_policy()
    speed_up_msrest_object_serialization()
    speed_up_msrest_activity_bodies()
    inner = ConfigurationBotFrameworkAuthentication(
        _AuthConfig(settings), credentials_factory=credentials_factory_for(settings, credential)
    )
    adapter = CloudAdapter(SendingAuthentication(inner, sender))
    adapter.on_turn_error = on_turn_error
    return adapter


async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
    await turn_failed(error, BotbuilderTurn(turn_context))


class SendingAuthentication(BotFrameworkAuthentication):
    """botbuilder's authentication, except that connector clients it makes send through `sender`.

    CloudAdapter gets connector clients from here for proactive sends (continue_conversation,
    create_conversation), and `BotbuilderTurns` uses `connector_factory` for replies, so
    every outbound call (reply, send, update, create) is retried and paced in one place.
    """

    def __init__(self, inner: BotFrameworkAuthentication, sender: ConnectorSender) -> None:
        self._inner = inner
        self.sender = sender
        self._clients = _ConnectorClients(KEPT_CONNECTOR_CLIENTS)

    def connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        inner = self._inner.create_connector_factory(claims_identity)
        return _SendingConnectorFactory(inner, self.sender, self._clients)

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        result = await self._inner.authenticate_request(activity, auth_header)
        result.connector_factory = _SendingConnectorFactory(result.connector_factory, self.sender, self._clients)
        return result

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        raise PermissionError("streaming requests are not accepted")

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return self.connector_factory(claims_identity)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> Any:
        return LazyUserTokenClient(lambda: self._inner.create_user_token_client(claims_identity))

    def create_bot_framework_client(self) -> Any:
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return self._inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        raise PermissionError("skill requests are not accepted")


class LazyUserTokenClient(UserTokenClient):
    """CloudAdapter builds a user token client (an msrest pipeline: about 0.5 ms of CPU) for every
    turn, for OAuth sign-in, which this bot never uses. This one builds the real client only when
    something asks it for a token."""

    def __init__(self, create: Callable[[], Awaitable[UserTokenClient]]) -> None:
        self._create = create
        self._client: UserTokenClient | None = None

    async def _real(self) -> UserTokenClient:
        if self._client is None:
            self._client = await self._create()
        return self._client

    async def get_user_token(self, *args: Any, **kwargs: Any) -> Any:
        return await (await self._real()).get_user_token(*args, **kwargs)

    async def get_sign_in_resource(self, *args: Any, **kwargs: Any) -> Any:
        return await (await self._real()).get_sign_in_resource(*args, **kwargs)

    async def sign_out_user(self, *args: Any, **kwargs: Any) -> Any:
        return await (await self._real()).sign_out_user(*args, **kwargs)

    async def get_token_status(self, *args: Any, **kwargs: Any) -> Any:
        return await (await self._real()).get_token_status(*args, **kwargs)

    async def get_aad_tokens(self, *args: Any, **kwargs: Any) -> Any:
        return await (await self._real()).get_aad_tokens(*args, **kwargs)

    async def exchange_token(self, *args: Any, **kwargs: Any) -> Any:
        return await (await self._real()).exchange_token(*args, **kwargs)


class _ConnectorClients:
    """Connector clients kept across turns, the least recently used dropped beyond `size`.

    botbuilder makes a new client for every turn, and each client its own HTTP session: every reply
    then opened a new connection to the Bot Connector (in production a TLS handshake too) and built
    a new credential. A kept client reuses its session's connections and its credential's token.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._clients: OrderedDict[tuple[str, ...], Any] = OrderedDict()

    def get(self, key: tuple[str, ...]) -> Any:
        client = self._clients.get(key)
        if client is not None:
            self._clients.move_to_end(key)
        return client

    def keep(self, key: tuple[str, ...], client: Any) -> None:
        self._clients[key] = client
        while len(self._clients) > self._size:
            self._clients.popitem(last=False)


class _SendingConnectorFactory(ConnectorFactory):
    def __init__(self, inner: ConnectorFactory, sender: ConnectorSender, clients: _ConnectorClients) -> None:
        self._inner = inner
        self._sender = sender
        self._clients = clients

    async def create(self, service_url: str, audience: str = None) -> Any:  # type: ignore[assignment]
        key = self._key(service_url, audience)
        kept = self._clients.get(key) if key is not None else None
        if kept is not None:
            return kept
        client = await self._configured(service_url, audience)
        if key is not None:
            self._clients.keep(key, client)
        return client

    def _key(self, service_url: str, audience: str | None) -> tuple[str, ...] | None:
        """What a client's credential and address depend on; None for a factory this cannot read."""
        inner = self._inner
        if not isinstance(inner, _ConnectorFactoryImpl):
            return None
        # botbuilder 4.17.1 is frozen: these attributes are all the factory's state.
        app_id, scope = inner._app_id, inner._to_channel_from_bot_oauth_scope  # noqa: SLF001
        login = inner._login_endpoint  # noqa: SLF001
        return (app_id or "", scope or "", login or "", service_url, audience or "")

    async def _configured(self, service_url: str, audience: str | None) -> Any:
        client = await self._inner.create(service_url, audience)
        client.config.connection.timeout = CONNECTOR_TIMEOUT_SECONDS
        pipeline = client.config.pipeline
        # msrest chains policies to a final sender; put ours in front of the real sender so every
        # attempt re-runs only the HTTP call (the credential policy has already signed it).
        paced = _PacedSender(pipeline._sender, self._sender)  # noqa: SLF001 - msrest 0.7.1 is frozen
        pipeline._sender = paced  # noqa: SLF001
        if pipeline._impl_policies:  # noqa: SLF001
            pipeline._impl_policies[-1].next = paced  # noqa: SLF001
        return client


class _PacedSender(AsyncHTTPSender):
    def __init__(self, inner: AsyncHTTPSender, sender: ConnectorSender) -> None:
        self._inner = inner
        self._sender = sender

    async def __aenter__(self) -> _PacedSender:
        await self._inner.__aenter__()
        return self

    async def __aexit__(self, *exc_details: Any) -> None:
        await self._inner.__aexit__(*exc_details)

    def build_context(self) -> Any:
        return self._inner.build_context()

    async def send(self, request: Any, **config: Any) -> Any:
        http_request = request.http_request
        paced = http_request.method in {"POST", "PUT"}
        conversation = conversation_of(urlsplit(http_request.url).path) if paced else None

        def status_of(response: Any) -> tuple[int, str | None]:
            http_response = response.http_response
            return http_response.status_code, http_response.headers.get("Retry-After")

        return await self._sender.send(conversation, lambda: self._inner.send(request, **config), status_of)


class BotbuilderTurns:
    """`ActivityTurns` on botbuilder's CloudAdapter.

    Replaces `CloudAdapter.process`, which in 4.17.x returns 500 for every invoke with a
    body (double serialisation) and for malformed or expired tokens. Tokens are validated
    before this (`adapters/web/channel_auth.py`); `claims` is None only in local mode.
    """

    def __init__(self, adapter: CloudAdapter, conversation: TeamsConversation, guard: RedeliveryGuard) -> None:
        self.adapter = adapter
        self._conversation = conversation
        self._guard = guard

    async def run(self, activity: Mapping[str, Any], claims: Mapping[str, Any] | None) -> TurnResult:
        try:
            parsed = Activity().deserialize(dict(activity))
        except Exception as exc:  # noqa: BLE001 - msrest raises several types for one cause: unreadable input
            log.info("activity not readable: %s", type(exc).__name__)
            return UNREADABLE
        authentication = self.adapter.bot_framework_authentication
        assert isinstance(authentication, SendingAuthentication)
        if claims is None:
            # Local mode: no app id, so botbuilder returns the anonymous identity without any fetch.
            auth = await authentication.authenticate_request(parsed, "")
        else:
            identity = ClaimsIdentity(dict(claims), True, "Bearer")
            auth = AuthenticateRequestResult()
            auth.claims_identity = identity
            auth.audience = AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
            auth.caller_id = CallerIdConstants.public_azure_channel.value
            auth.connector_factory = authentication.connector_factory(identity)
        invoked: list[InvokeReply] = []

        async def callback(context: TurnContext) -> None:
            reply = await self._conversation.on_turn(activity, BotbuilderTurn(context))
            if reply is not None:
                invoked.append(reply)

        async def turn() -> TurnResult:
            await self.adapter.process_activity(auth, parsed, callback)
            return turn_result(invoked, parsed.type)

        return await self._guard.once(activity, turn)
