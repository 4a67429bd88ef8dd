"""Inbound turns on the Agents SDK: our conversation runs inside the SDK's turn, so its replies and
card updates go out through the SDK's connector client (and so through `ConnectorSender`)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from microsoft_agents.activity import Activity
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import ClaimsIdentity, TurnContext
from pydantic import ValidationError

from adapters.teams.conversation import InvokeReply, TeamsConversation, turn_failed, turn_result
from adapters.teams.messages import message_activity
from adapters.teams.redelivery import UNREADABLE, RedeliveryGuard
from adapters.web.turn_result import TurnResult
from bot import Outbound

log = logging.getLogger(__name__)


def sdk_activity(message: Outbound) -> Activity:
    return Activity.model_validate(message_activity(message))


class AgentsTurn:
    """`Turn` over the SDK's turn context."""

    def __init__(self, context: TurnContext) -> None:
        self._context = context

    async def send(self, message: Outbound) -> None:
        await self._context.send_activity(sdk_activity(message))

    async def update(self, activity_id: str, message: Outbound) -> None:
        activity = sdk_activity(message)
        activity.id = activity_id
        await self._context.update_activity(activity)

    def reference(self) -> dict[str, Any]:
        return reference_json(self._context.activity)


def reference_json(activity: Activity) -> dict[str, Any]:
    """The conversation reference of `activity` in the Bot Framework's JSON (as botbuilder stores it)."""
    reference = activity.get_conversation_reference()
    data: dict[str, Any] = reference.model_dump(by_alias=True, exclude_none=True, mode="json")
    return data


async def on_turn_error(context: TurnContext, error: Exception) -> None:
    await turn_failed(error, AgentsTurn(context))


class AgentsTurns:
    """`ActivityTurns` on the Agents SDK's CloudAdapter."""

    def __init__(self, adapter: CloudAdapter, conversation: TeamsConversation, guard: RedeliveryGuard) -> None:
        self.adapter = adapter
        self._conversation = conversation
        self._guard = guard

    async def run(self, activity: Mapping[str, Any], claims: Mapping[str, Any] | None) -> TurnResult:
        try:
            parsed = Activity.model_validate(dict(activity))
        except ValidationError as exc:
            log.info("activity not readable: %s", type(exc).__name__)
            return UNREADABLE
        # Our validator checked the token already; local mode (None) is the anonymous identity.
        identity = ClaimsIdentity(dict(claims), "Bearer") if claims is not None else ClaimsIdentity()
        invoked: list[InvokeReply] = []

        async def callback(context: TurnContext) -> None:
            reply = await self._conversation.on_turn(activity, AgentsTurn(context))
            if reply is not None:
                invoked.append(reply)

        async def turn() -> TurnResult:
            await self.adapter.process_activity(identity, parsed, callback)
            return turn_result(invoked, parsed.type)

        return await self._guard.once(activity, turn)
