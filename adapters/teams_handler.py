"""Translates Teams activities to the dialogue's `Inbound` and its replies back to activities."""

from __future__ import annotations

import datetime as dt
import logging

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import Activity, TextFormatTypes

from bot import CardSettings, Dialogue, Inbound, Outbound, Scope, Sender, render
from bot.ports import QuestionLog
from bot.questions import AskedQuestion, Resolved, new_question_id, question_event

log = logging.getLogger("faqbot.questions")
_SCOPES = {"personal": Scope.PERSONAL, "groupChat": Scope.GROUP_CHAT, "channel": Scope.CHANNEL}


class FaqBot(TeamsActivityHandler):
    """The Teams edge of the bot: no decisions here, only translation."""

    def __init__(self, dialogue: Dialogue, card_settings: CardSettings, questions: QuestionLog | None = None) -> None:
        self._dialogue = dialogue
        self._card_settings = card_settings
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
        reply = await self._dialogue.respond(inbound)
        event = question_event(inbound, reply, question_id=new_question_id(), now=dt.datetime.now(dt.UTC))
        question_id = event.id if isinstance(event, AskedQuestion) else event.question_id if event else None
        await turn_context.send_activity(to_activity(render(reply, self._card_settings, question_id=question_id)))
        await self._record(event)  # after the reply is sent: staff never wait for it

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
            log.warning("question_log_failed error=%s", type(exc).__name__)


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
