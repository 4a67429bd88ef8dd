"""Proactive messages on the Agents SDK: the HR channel's ticket threads and notices to staff."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aiohttp
from microsoft_agents.activity import ChannelAccount, ConversationParameters, ConversationReference
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import ClaimsIdentity, TurnContext

from adapters.teams.agents.connector import closing_sessions
from adapters.teams.agents.turns import reference_json, sdk_activity
from adapters.teams.ticket_courier import ChannelPost, ConnectorRefused, ConnectorUnreachable, Posted
from bot import Outbound

TEAMS_CHANNEL = "msteams"
BOT_CONNECTOR_AUDIENCE = "https://api.botframework.com"


class AgentsPoster:
    """`ChannelPoster` on the Agents SDK's CloudAdapter; failures come out as our connector errors."""

    def __init__(self, adapter: CloudAdapter, app_id: str) -> None:
        self._adapter = adapter
        self._app_id = app_id

    async def post(self, where: ChannelPost, message: Outbound) -> Posted:
        params = ConversationParameters(
            is_group=True,
            agent=ChannelAccount(id=where.bot_id or "", name=where.bot_name),
            channel_data={"channel": {"id": where.channel_id}},
            activity=sdk_activity(message),
            tenant_id=where.tenant_id,
        )
        created: list[Posted] = []

        async def on_created(context: TurnContext) -> None:
            created.append(Posted(reference_json(context.activity), context.activity.id or ""))

        async with closing_sessions():
            await _connector_errors(
                self._adapter.create_conversation(
                    self._app_id, TEAMS_CHANNEL, where.service_url, BOT_CONNECTOR_AUDIENCE, params, on_created
                )
            )
        if not created or not created[0].activity_id:
            raise ConnectorUnreachable("no conversation created")
        return created[0]

    async def update(self, reference: Mapping[str, Any], activity_id: str, message: Outbound) -> None:
        activity = sdk_activity(message)
        activity.id = activity_id
        await self._proactive(reference, lambda context: context.update_activity(activity))

    async def send(self, reference: Mapping[str, Any], message: Outbound) -> None:
        await self._proactive(reference, lambda context: context.send_activity(sdk_activity(message)))

    async def _proactive(self, reference: Mapping[str, Any], act: Callable[[TurnContext], Awaitable[Any]]) -> None:
        """Run `act` in a proactive turn, letting its failure reach the caller (the adapter's
        turn-error hook would otherwise swallow it and apologise in the chat)."""
        failure: list[BaseException] = []

        async def callback(context: TurnContext) -> None:
            try:
                await act(context)
            except Exception as exc:  # noqa: BLE001 - re-raised below, outside the pipeline
                failure.append(exc)

        continuation = ConversationReference.model_validate(dict(reference)).get_continuation_activity()
        identity = ClaimsIdentity({"aud": self._app_id, "appid": self._app_id}) if self._app_id else ClaimsIdentity()
        async with closing_sessions():
            await _connector_errors(self._adapter.continue_conversation_with_claims(identity, continuation, callback))
        if failure:
            await _connector_errors(_raise(failure[0]))


async def _raise(error: BaseException) -> None:
    raise error


async def _connector_errors(call: Awaitable[Any]) -> Any:
    """`call`'s result, with aiohttp's errors as ours: a refusal (HTTP status) or no connection."""
    try:
        return await call
    except aiohttp.ClientResponseError as exc:
        retry_after = exc.headers.get("Retry-After") if exc.headers else None
        raise ConnectorRefused(exc.status, retry_after) from None
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        raise ConnectorUnreachable(type(exc).__name__) from None
