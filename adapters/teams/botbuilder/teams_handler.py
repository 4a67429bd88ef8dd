"""Translates Teams activities to the dialogue's `Inbound` and its replies back to activities."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

from botbuilder.core import CardFactory, InvokeResponse, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import Activity, ChannelAccount, TextFormatTypes

from bot import Answer, CardSettings, Inbound, Outbound, Reply, Scope, Sender, render
from bot.engagement import FEEDBACK_VERB, Engagement, Installation
from bot.escalation import Escalation, Where
from bot.message_size import fit
from bot.ports import QuestionLog
from bot.questions import AskedQuestion, Resolved, new_question_id, question_event

log = logging.getLogger(__name__)
ADAPTIVE_CARD_ACTION = "adaptiveCard/action"

question_log = logging.getLogger("faqbot.questions")
_SCOPES = {"personal": Scope.PERSONAL, "groupChat": Scope.GROUP_CHAT, "channel": Scope.CHANNEL}


class Responder(Protocol):
    """What the handler needs from the dialogue."""

    async def respond(self, message: Inbound) -> Reply: ...


class FaqBot(TeamsActivityHandler):
    """The Teams edge of the bot: no decisions here, only translation."""

    def __init__(
        self,
        engagement: Engagement,
        card_settings: CardSettings,
        escalation: Escalation | None = None,
        on_reply: Callable[[Reply], None] | None = None,
        questions: QuestionLog | None = None,
    ) -> None:
        self._engagement = engagement
        self._card_settings = card_settings
        self._escalation = escalation
        self._on_reply = on_reply
        self._questions = questions

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
        reply = await self._engagement.respond(inbound)
        if self._on_reply is not None:
            self._on_reply(reply)
        event = question_event(inbound, reply, question_id=new_question_id(), now=dt.datetime.now(dt.UTC))
        question_id = event.id if isinstance(event, AskedQuestion) else event.question_id if event else None
        outbound = to_activity(fit(render(reply, card_settings, question_id=question_id)))
        if isinstance(reply, Answer) and reply.feedback is not None and activity.reply_to_id:
            # An Action.Submit fallback vote: acknowledge it on the rated card itself.
            outbound.id = activity.reply_to_id
            try:
                await turn_context.update_activity(outbound)
                return
            except Exception:  # noqa: BLE001 - the client may not allow updates; reply instead
                log.info("could not update the rated card; replying instead")
                outbound.id = None
        await turn_context.send_activity(outbound)
        await self._record(event)  # after the reply is sent: staff never wait for it

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self._welcome(turn_context)

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        if any(member.id == bot_id for member in members_added):
            await self._welcome(turn_context)

    async def on_teams_members_added_dispatch(  # type: ignore[override]
        self, members_added: list[ChannelAccount], team_info: Any, turn_context: TurnContext
    ) -> None:
        # Only the bot's own arrival matters; the SDK default would fetch every new member's profile.
        await self.on_members_added_activity(members_added, turn_context)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        activity = turn_context.activity
        if activity.name != ADAPTIVE_CARD_ACTION:
            return await super().on_invoke_activity(turn_context)
        action = (activity.value or {}).get("action") if isinstance(activity.value, dict) else None
        data = action.get("data") if isinstance(action, dict) else None
        if not isinstance(action, dict) or action.get("verb") != FEEDBACK_VERB or not isinstance(data, dict):
            return InvokeResponse(status=400, body={"statusCode": 400, "type": "application/vnd.microsoft.error",
                                                    "value": {"code": "BadRequest", "message": "unknown action"}})
        reply = await self._engagement.on_feedback(_sender(activity), data)
        message = render(reply, self._card_settings)
        if message.card is None:
            body: dict[str, Any] = {"statusCode": 200, "type": "application/vnd.microsoft.activity.message",
                                    "value": message.text or message.summary}
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
        reply = await self._engagement.on_install(installation)
        if reply is None:
            return
        try:
            await turn_context.send_activity(to_activity(render(reply, self._card_settings)))
        except Exception:
            # Teams sends several install events (installationUpdate, conversationUpdate, a
            # re-install): the next one must welcome, not find the welcome already claimed.
            await self._engagement.welcome_not_delivered(installation)
            raise

    async def _record(self, event: AskedQuestion | Resolved | None) -> None:
        """Record the question without identity; a failure is logged (no text) and never breaks the turn."""
        if event is None or self._questions is None:
            return
        try:
            if isinstance(event, Resolved):
                await self._questions.mark_resolved(event.question_id, event.entry_id)
            else:
                await self._questions.record(event)
        except Exception as exc:  # noqa: BLE001 - analytics must never break a turn
            question_log.warning("question_log_failed error=%s", type(exc).__name__)


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
