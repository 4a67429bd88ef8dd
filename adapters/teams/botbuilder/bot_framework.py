"""Bot Framework specifics: the CloudAdapter, its connector sender and the turn-error boundary.

botbuilder 4.17.1 is archived; it is confined to this module and `teams_handler.py`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import traceback
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol
from urllib.parse import urlsplit

from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.core.serializer_helper import serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, CallerIdConstants
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    CertificateServiceClientCredentialsFactory,
    ClaimsIdentity,
    ConnectorFactory,
    ServiceClientCredentialsFactory,
    UserTokenClient,
)
from msrest.pipeline.async_abc import AsyncHTTPSender
from msrest.serialization import Model, Serializer
from msrest.universal_http.requests import ClientRetryPolicy

from adapters.config.settings import Settings
from adapters.store import is_outage, redelivery_key
from adapters.teams.connector_sender import ConnectorSender, conversation_of
from adapters.web.turn_result import TurnResult
from bot import texts

log = logging.getLogger(__name__)

# Seconds before msrest gives up on one connector call (its default is 100 s; Teams waits 15 s).
CONNECTOR_TIMEOUT_SECONDS = 10

# The outbound credential of the bot's Entra app, as botbuilder takes it.
Credentials = ServiceClientCredentialsFactory


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
            return json.loads(json.dumps(attr))
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


def credentials_factory_for(settings: Settings) -> ServiceClientCredentialsFactory | None:
    """The outbound credential: a certificate when one is configured, else botbuilder's default
    (client secret or user-assigned managed identity, from the same settings)."""
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
    credentials_factory: ServiceClientCredentialsFactory | None = None,
) -> CloudAdapter:
    """A CloudAdapter for the configured Entra app whose every connector call goes through `sender`.

    `credentials_factory` replaces the outbound credential (tests pass a fake one).
    """
    speed_up_msrest_retry_policy()
    speed_up_msrest_object_serialization()
    inner = ConfigurationBotFrameworkAuthentication(
        _AuthConfig(settings), credentials_factory=credentials_factory or credentials_factory_for(settings)
    )
    adapter = CloudAdapter(SendingAuthentication(inner, sender))
    adapter.on_turn_error = on_turn_error
    return adapter


async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
    """Log the failure without the user's text or identity, and apologise once.

    A store outage is not apologised for: it is re-raised to `BotFrameworkGateway`, which answers
    503 so the Bot Connector delivers the activity again once the store is back.
    """
    if is_outage(error):
        raise error
    frames = "".join(traceback.format_tb(error.__traceback__))
    # The exception message may quote user input, so only its type is logged.
    log.error("turn failed: %s\n%s", type(error).__name__, frames)
    try:
        await turn_context.send_activity(texts.TURN_ERROR)
    except Exception:  # noqa: BLE001 - the apology is best effort; the error is already logged
        log.warning("could not send the turn-error apology")


class DeliveryClaims(Protocol):
    """Remembers delivered activities so a re-sender runs no second turn, unless the first
    turn never finished (see `adapters/store/ledger.py`)."""

    async def claim(self, key: str, *, now: dt.datetime) -> bool: ...

    async def finish(self, key: str) -> None: ...

    def abandon(self, key: str) -> None: ...


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# Teams re-delivers these when the bot is slow; running them twice would repeat side effects.
_DEDUPLICATED_TYPES = frozenset({"message", "invoke"})
# Seconds a client should wait before re-sending an activity the store could not take.
STORE_RETRY_AFTER_SECONDS = 5
UNAVAILABLE = TurnResult(503, {"error": "temporarily unavailable"}, retry_after=STORE_RETRY_AFTER_SECONDS)


class SendingAuthentication(BotFrameworkAuthentication):
    """botbuilder's authentication, except that connector clients it makes send through `sender`.

    CloudAdapter gets connector clients from here for proactive sends (continue_conversation,
    create_conversation), and `BotFrameworkGateway` uses `connector_factory` for replies, so
    every outbound call (reply, send, update, create) is retried and paced in one place.
    """

    def __init__(self, inner: BotFrameworkAuthentication, sender: ConnectorSender) -> None:
        self._inner = inner
        self.sender = sender

    def connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return _SendingConnectorFactory(self._inner.create_connector_factory(claims_identity), self.sender)

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        result = await self._inner.authenticate_request(activity, auth_header)
        result.connector_factory = _SendingConnectorFactory(result.connector_factory, self.sender)
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


class _SendingConnectorFactory(ConnectorFactory):
    def __init__(self, inner: ConnectorFactory, sender: ConnectorSender) -> None:
        self._inner = inner
        self._sender = sender

    async def create(self, service_url: str, audience: str = None) -> Any:  # type: ignore[assignment]
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


class BotFrameworkGateway:
    """Runs one already-authorised activity through the bot.

    Replaces `CloudAdapter.process`, which in 4.17.x returns 500 for every invoke with a
    body (double serialisation) and for malformed or expired tokens. Tokens are validated
    before this (`adapters/web/channel_auth.py`); `claims` is None only in local mode.
    """

    def __init__(
        self,
        adapter: CloudAdapter,
        bot: ActivityHandler,
        claims: DeliveryClaims,
        *,
        clock: Callable[[], dt.datetime] = _utcnow,
    ) -> None:
        self.adapter = adapter
        self._bot = bot
        self._claims = claims
        self._clock = clock

    async def run(self, body: Mapping[str, Any], claims: Mapping[str, Any] | None) -> TurnResult:
        try:
            activity = Activity().deserialize(dict(body))
        except Exception as exc:  # noqa: BLE001 - msrest raises several types for one cause: unreadable input
            log.info("activity not readable: %s", type(exc).__name__)
            return TurnResult(400, {"error": "activity fields have invalid values"})
        authentication = self.adapter.bot_framework_authentication
        assert isinstance(authentication, SendingAuthentication)
        if claims is None:
            # Local mode: no app id, so botbuilder returns the anonymous identity without any fetch.
            auth = await authentication.authenticate_request(activity, "")
        else:
            identity = ClaimsIdentity(dict(claims), True, "Bearer")
            auth = AuthenticateRequestResult()
            auth.claims_identity = identity
            auth.audience = AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
            auth.caller_id = CallerIdConstants.public_azure_channel.value
            auth.connector_factory = authentication.connector_factory(identity)
        key = None
        if activity.type in _DEDUPLICATED_TYPES and activity.id:
            key = redelivery_key(activity.channel_id or "", activity.conversation.id, activity.id)
        try:
            if key is not None and not await self._claims.claim(key, now=self._clock()):
                log.info("ignored a re-delivered %s activity", activity.type)
                return TurnResult(200)
            try:
                response = await self.adapter.process_activity(auth, activity, self._bot.on_turn)
            except BaseException:
                if key is not None:
                    self._claims.abandon(key)  # its next sender runs the turn again
                raise
            if key is not None:
                await self._claims.finish(key)
        except Exception as exc:
            if not is_outage(exc):
                raise
            log.warning("turn not run: store unavailable (%s)", type(exc).__name__)
            return UNAVAILABLE
        if response is None:
            return TurnResult(201)
        if response.status == 501:
            # botbuilder answers invokes nobody handles with 501; a 5xx invites pointless
            # re-deliveries, so acknowledge them like any other ignored activity.
            return TurnResult(200, {})
        payload = serializer_helper(response.body) if isinstance(response.body, Model) else response.body
        return TurnResult(response.status, payload)


class SlowDownNotices:
    """`SlowDownNotifier` through the Bot Connector: a proactive message into the activity's
    conversation, sent in the background (the request being refused does not wait for it)."""

    def __init__(self, adapter: CloudAdapter, *, app_id: str, text: str) -> None:
        self._adapter = adapter
        self._app_id = app_id
        self._text = text
        self._sending: set[asyncio.Task[None]] = set()

    def slow_down(self, activity: Mapping[str, Any]) -> None:
        task = asyncio.create_task(self._send(dict(activity)), name="slow-down-notice")
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _send(self, body: dict[str, Any]) -> None:
        try:
            reference = TurnContext.get_conversation_reference(Activity().deserialize(body))

            async def send(context: TurnContext) -> None:
                await context.send_activity(self._text)

            await self._adapter.continue_conversation(reference, send, self._app_id)
        except Exception as exc:  # noqa: BLE001 - a notice is best effort; never the message text
            log.info("slow-down notice not sent: %s", type(exc).__name__)
