"""Translates Teams activities to the dialogue's `Inbound` and its replies back to activities."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import Activity, TextFormatTypes

from bot import CardSettings, Inbound, Outbound, Reply, Scope, Sender, render
from bot.escalation import Escalation, Where
from bot.message_size import fit

_SCOPES = {"personal": Scope.PERSONAL, "groupChat": Scope.GROUP_CHAT, "channel": Scope.CHANNEL}


class Responder(Protocol):
    """What the handler needs from the dialogue."""

    async def respond(self, message: Inbound) -> Reply: ...


class FaqBot(TeamsActivityHandler):
    """The Teams edge of the bot: no decisions here, only translation."""

    def __init__(
        self,
        dialogue: Responder,
        card_settings: CardSettings,
        escalation: Escalation | None = None,
        on_reply: Callable[[Reply], None] | None = None,
    ) -> None:
        self._dialogue = dialogue
        self._card_settings = card_settings
        self._escalation = escalation
        self._on_reply = on_reply

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        scope = _scope(activity)
        value = activity.value if isinstance(activity.value, dict) else None
        if scope is not Scope.PERSONAL and value is None and not _mentions_bot(activity):
            return  # in group chats and channels the bot speaks only when @mentioned
        text = TurnContext.remove_recipient_mention(activity) if activity.text else ""
        inbound = Inbound(
            text=(text or "") if value is None else "",
            sender=_sender(activity),
            conversation_id=activity.conversation.id,
            scope=scope,
            value=value,
        )
        card_settings = self._card_settings
        if self._escalation is not None:
            handled = await self._escalation.handle(inbound, _where(activity))
            if handled is not None:
                for message in handled:
                    await turn_context.send_activity(to_activity(message))
                return
            if scope is Scope.PERSONAL and await self._escalation.hr_channel() is not None:
                card_settings = replace(card_settings, hr_direct_form=True)
        reply = await self._dialogue.respond(inbound)
        if self._on_reply is not None:
            self._on_reply(reply)
        await turn_context.send_activity(to_activity(fit(render(reply, card_settings))))


def to_activity(message: Outbound) -> Activity:
    """A message activity for `message`: the card with its summary, or plain text."""
    if message.card is None:
        activity = MessageFactory.text(message.text or message.summary)
        activity.text_format = TextFormatTypes.plain
        return activity
    activity = MessageFactory.attachment(CardFactory.adaptive_card(message.card))
    activity.summary = message.summary
    return activity


def _scope(activity: Activity) -> Scope:
    kind = getattr(activity.conversation, "conversation_type", None) or "personal"
    return _SCOPES.get(kind, Scope.PERSONAL)


def _where(activity: Activity) -> Where:
    """The channel and team of `activity` (Teams puts them in channelData) and its reference."""
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    channel = data.get("channel") if isinstance(data.get("channel"), dict) else {}
    team = data.get("team") if isinstance(data.get("team"), dict) else {}
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


__all__ = ["FaqBot", "to_activity"]
