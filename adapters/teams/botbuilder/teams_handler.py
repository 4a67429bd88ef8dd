"""Translates Teams activities to the dialogue's `Inbound` and its replies back to activities."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import Activity, ChannelAccount

from adapters.teams.botbuilder.outbound_activity import to_activity
from bot import Inbound, Reply, Scope, Sender
from bot.engagement import Installation
from bot.escalation import Where
from bot.router import Router
from bot.submits import parse_execute, parse_submit

log = logging.getLogger(__name__)
ADAPTIVE_CARD_ACTION = "adaptiveCard/action"

_SCOPES = {"personal": Scope.PERSONAL, "groupChat": Scope.GROUP_CHAT, "channel": Scope.CHANNEL}


class Responder(Protocol):
    """What the handler needs from the dialogue."""

    async def respond(self, message: Inbound) -> Reply: ...


class FaqBot(TeamsActivityHandler):
    """The Teams edge of the bot: no decisions here, only translation (`bot.router` decides)."""

    def __init__(self, router: Router) -> None:
        self._router = router

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        value = activity.value if isinstance(activity.value, dict) else None
        text = TurnContext.remove_recipient_mention(activity) if activity.text else ""
        inbound = Inbound(
            text=(text or "") if value is None else "",
            sender=_sender(activity),
            conversation_id=activity.conversation.id,
            scope=_scope(activity),
            submit=None if value is None else parse_submit(value),
            mentions_bot=_mentions_bot(activity),
        )
        turn = await self._router.route(inbound, _where(activity))
        if turn.acknowledges_vote and activity.reply_to_id:
            # An Action.Submit fallback vote: acknowledge it on the rated card itself.
            outbound = to_activity(turn.messages[0])
            outbound.id = activity.reply_to_id
            try:
                await turn_context.update_activity(outbound)
                return
            except Exception:  # noqa: BLE001 - the client may not allow updates; reply instead
                log.info("could not update the rated card; replying instead")
        try:
            for message in turn.messages:
                await turn_context.send_activity(to_activity(message))
        except Exception as exc:
            # "Sorry, something went wrong, try again" would contradict a ticket already filed.
            if not await self._router.not_delivered(inbound):
                raise
            log.warning("reply not delivered (%s); the confirmation is queued for the outbox", type(exc).__name__)
            return
        await self._router.after_sent(turn)  # after the reply is sent: staff never wait for it

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self._welcome(turn_context)

    async def on_members_added_activity(self, members_added: list[ChannelAccount], turn_context: TurnContext) -> None:
        bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        if any(member.id == bot_id for member in members_added):
            await self._welcome(turn_context)

    async def on_teams_members_added_dispatch(
        self, members_added: list[ChannelAccount], team_info: Any, turn_context: TurnContext
    ) -> None:
        # Only the bot's own arrival matters; the SDK default would fetch every new member's profile.
        await self.on_members_added_activity(members_added, turn_context)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        activity = turn_context.activity
        if activity.name != ADAPTIVE_CARD_ACTION:
            return await super().on_invoke_activity(turn_context)
        action = (activity.value or {}).get("action") if isinstance(activity.value, dict) else None
        submit = parse_execute(action.get("verb"), action.get("data")) if isinstance(action, dict) else None
        if submit is None:
            return InvokeResponse(
                status=400,
                body={
                    "statusCode": 400,
                    "type": "application/vnd.microsoft.error",
                    "value": {"code": "BadRequest", "message": "unknown action"},
                },
            )
        message = await self._router.on_vote(_sender(activity), submit)
        if message.card is None:
            body: dict[str, Any] = {
                "statusCode": 200,
                "type": "application/vnd.microsoft.activity.message",
                "value": message.text or message.summary,
            }
        else:
            body = {"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive", "value": message.card}
        return InvokeResponse(status=200, body=body)

    async def _welcome(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
        team = channel_data.get("team")
        installation = Installation(
            scope=_scope(activity),
            sender=_sender(activity),
            conversation_id=activity.conversation.id,
            team_id=team.get("id") if isinstance(team, dict) else None,
        )
        welcome = await self._router.on_install(installation)
        if welcome is None:
            return
        try:
            await turn_context.send_activity(to_activity(welcome))
        except Exception:
            # Teams sends several install events (installationUpdate, conversationUpdate, a
            # re-install): the next one must welcome, not find the welcome already claimed.
            await self._router.welcome_not_delivered(installation)
            raise


def _scope(activity: Activity) -> Scope:
    """Teams names the scope in `conversationType`; without it, a channel or group shows in its
    channelData or `isGroup`, and only a conversation with neither is a 1:1 chat."""
    kind = getattr(activity.conversation, "conversation_type", None)
    if kind:
        return _SCOPES.get(kind, Scope.PERSONAL)
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    if data.get("channel") or data.get("team"):
        return Scope.CHANNEL
    if getattr(activity.conversation, "is_group", None):
        return Scope.GROUP_CHAT
    return Scope.PERSONAL


def _where(activity: Activity) -> Where:
    """The channel and team of `activity` (Teams puts them in channelData) and its reference."""
    data: dict[str, Any] = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    channel: dict[str, Any] = data["channel"] if isinstance(data.get("channel"), dict) else {}
    team: dict[str, Any] = data["team"] if isinstance(data.get("team"), dict) else {}
    return Where(
        channel_id=channel.get("id") if isinstance(channel.get("id"), str) else None,
        team_id=team.get("id") if isinstance(team.get("id"), str) else None,
        service_url=activity.service_url,
        reference=TurnContext.get_conversation_reference(activity).serialize(),
    )


def _mentions_bot(activity: Activity) -> bool:
    bot_id = activity.recipient.id if activity.recipient else None
    for entity in activity.entities or []:
        if entity.type == "mention":
            mentioned = (entity.additional_properties or {}).get("mentioned") or {}
            if isinstance(mentioned, dict) and mentioned.get("id") == bot_id:
                return True
    return False


def _sender(activity: Activity) -> Sender:
    account = activity.from_property
    return Sender(
        id=account.id if account else "",
        aad_object_id=getattr(account, "aad_object_id", None) if account else None,
        name=account.name if account else None,
    )


__all__ = ["FaqBot"]
