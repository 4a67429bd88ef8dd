"""The Teams edge of the bot, for either SDK: translates an activity for `bot.router` and its turn back.

No decisions here (the router owns the order a message is seen in, the mention gate and the form
offer), only translation: the activity is the JSON the Bot Connector sent (already checked by
`adapters/web/http.py`), read into an `Inbound` with its card submit parsed once (`bot.submits`);
what goes back out goes through `Turn`, which each SDK implementation (`adapters/teams/botbuilder/`,
`adapters/teams/agents/`) provides, so both SDKs read and answer every activity the same way.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from adapters.store import is_outage
from adapters.web.turn_result import TurnResult
from bot import Inbound, Outbound, Scope, Sender
from bot.engagement import Installation
from bot.escalation import Where
from bot.router import Router
from bot.submits import parse_execute, parse_submit
from bot.texts import TURN_ERROR

log = logging.getLogger(__name__)

ADAPTIVE_CARD_ACTION = "adaptiveCard/action"
_SCOPES = {"personal": Scope.PERSONAL, "groupChat": Scope.GROUP_CHAT, "channel": Scope.CHANNEL}
_INSTALL_ACTIONS = frozenset({"add", "add-upgrade"})
_MENTION_TAG = re.compile(r"<at[^>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)
_UNKNOWN_ACTION = {
    "statusCode": 400,
    "type": "application/vnd.microsoft.error",
    "value": {"code": "BadRequest", "message": "unknown action"},
}


@dataclass(frozen=True)
class InvokeReply:
    """The HTTP answer to an invoke activity (Teams shows `body`)."""

    status: int
    body: dict[str, Any]


def turn_result(invoked: Sequence[InvokeReply], activity_type: str | None) -> TurnResult:
    """The HTTP answer once a turn has run: the invoke reply the conversation gave, an empty 200 for
    an invoke it did not answer, else 201."""
    if invoked:
        return TurnResult(invoked[0].status, invoked[0].body)
    return TurnResult(200, {}) if activity_type == "invoke" else TurnResult(201)


class Turn(Protocol):
    """What the conversation needs from the SDK for one inbound activity."""

    async def send(self, message: Outbound) -> None:
        """Post `message` in the activity's conversation (as a reply to it)."""

    async def update(self, activity_id: str, message: Outbound) -> None:
        """Replace the bot's earlier message `activity_id` in this conversation with `message`."""

    def reference(self) -> dict[str, Any]:
        """The Bot Framework conversation reference of the activity, as JSON, for proactive sends."""


class TeamsConversation:
    """Reads message, install and invoke activities; everything else is acknowledged and ignored."""

    def __init__(self, router: Router) -> None:
        self._router = router

    async def on_turn(self, activity: Mapping[str, Any], turn: Turn) -> InvokeReply | None:
        """Handle one activity; an invoke gets an `InvokeReply`, any other activity None."""
        kind = activity.get("type")
        if kind == "message":
            await self._on_message(activity, turn)
        elif kind == "installationUpdate":
            if activity.get("action") in _INSTALL_ACTIONS:
                await self._welcome(activity, turn)
        elif kind == "conversationUpdate":
            if _bot_added(activity):  # only the bot's own arrival matters, not other members'
                await self._welcome(activity, turn)
        elif kind == "invoke":
            return await self._on_invoke(activity)
        return None

    async def _on_message(self, activity: Mapping[str, Any], turn: Turn) -> None:
        value = activity.get("value") if isinstance(activity.get("value"), dict) else None
        inbound = Inbound(
            text=_without_bot_mention(activity) if value is None else "",
            sender=_sender(activity),
            conversation_id=_conversation(activity).get("id", ""),
            scope=_scope(activity),
            submit=None if value is None else parse_submit(value),
            mentions_bot=_mentions_bot(activity),
        )
        routed = await self._router.route(inbound, _where(activity, turn))
        rated_card = activity.get("replyToId")
        if routed.acknowledges_vote and isinstance(rated_card, str) and rated_card:
            # An Action.Submit fallback vote: acknowledge it on the rated card itself.
            try:
                await turn.update(rated_card, routed.messages[0])
                return
            except Exception:  # noqa: BLE001 - the client may not allow updates; reply instead
                log.info("could not update the rated card; replying instead")
        try:
            for message in routed.messages:
                await turn.send(message)
        except Exception as exc:
            # "Sorry, something went wrong, try again" would contradict a ticket already filed.
            if not await self._router.not_delivered(inbound):
                raise
            log.warning("reply not delivered (%s); the confirmation is queued for the outbox", type(exc).__name__)
            return
        await self._router.after_sent(routed)  # after the reply is sent: staff never wait for it

    async def _on_invoke(self, activity: Mapping[str, Any]) -> InvokeReply:
        if activity.get("name") != ADAPTIVE_CARD_ACTION:
            # Invokes this bot does not offer (message extensions, task modules...): a 5xx would
            # only invite pointless re-deliveries, so they are acknowledged like ignored activities.
            return InvokeReply(200, {})
        value = activity.get("value")
        action = value.get("action") if isinstance(value, dict) else None
        submit = parse_execute(action.get("verb"), action.get("data")) if isinstance(action, dict) else None
        if submit is None:
            return InvokeReply(400, _UNKNOWN_ACTION)
        message = await self._router.on_vote(_sender(activity), submit)
        if message.card is None:
            body: dict[str, Any] = {
                "statusCode": 200,
                "type": "application/vnd.microsoft.activity.message",
                "value": message.text or message.summary,
            }
        else:
            body = {"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive", "value": message.card}
        return InvokeReply(200, body)

    async def _welcome(self, activity: Mapping[str, Any], turn: Turn) -> None:
        team = _channel_data(activity).get("team")
        installation = Installation(
            scope=_scope(activity),
            sender=_sender(activity),
            conversation_id=_conversation(activity).get("id", ""),
            team_id=team.get("id") if isinstance(team, dict) else None,
        )
        welcome = await self._router.on_install(installation)
        if welcome is None:
            return
        try:
            await turn.send(welcome)
        except Exception:
            # Teams sends several install events (installationUpdate, conversationUpdate, a
            # re-install): the next one must welcome, not find the welcome already claimed.
            await self._router.welcome_not_delivered(installation)
            raise


async def turn_failed(error: Exception, turn: Turn) -> None:
    """What either SDK's turn-error hook does: log the failure without the user's text or identity,
    and apologise once. A store outage is re-raised instead, so the delivery is answered 503 and
    the Bot Connector sends the activity again once the store is back."""
    if is_outage(error):
        raise error
    frames = "".join(traceback.format_tb(error.__traceback__))
    # The exception message may quote user input, so only its type is logged.
    log.error("turn failed: %s\n%s", type(error).__name__, frames)
    try:
        await turn.send(Outbound(summary=TURN_ERROR))
    except Exception:  # noqa: BLE001 - the apology is best effort; the error is already logged
        log.warning("could not send the turn-error apology")


def _part(activity: Mapping[str, Any], name: str) -> dict[str, Any]:
    part = activity.get(name)
    return part if isinstance(part, dict) else {}


def _conversation(activity: Mapping[str, Any]) -> dict[str, Any]:
    return _part(activity, "conversation")


def _channel_data(activity: Mapping[str, Any]) -> dict[str, Any]:
    return _part(activity, "channelData")


def _bot_id(activity: Mapping[str, Any]) -> str | None:
    return _part(activity, "recipient").get("id")


def _bot_added(activity: Mapping[str, Any]) -> bool:
    """The bot itself is among the members added; other members' arrivals are not answered."""
    bot_id = _bot_id(activity)
    return any(isinstance(member, dict) and member.get("id") == bot_id for member in activity.get("membersAdded") or [])


def _scope(activity: Mapping[str, Any]) -> Scope:
    """Teams names the scope in `conversationType`; without it, a channel or group shows in its
    channelData or `isGroup`, and only a conversation with neither is a 1:1 chat."""
    conversation = _conversation(activity)
    kind = conversation.get("conversationType")
    if kind:
        return _SCOPES.get(kind, Scope.PERSONAL)
    data = _channel_data(activity)
    if data.get("channel") or data.get("team"):
        return Scope.CHANNEL
    if conversation.get("isGroup"):
        return Scope.GROUP_CHAT
    return Scope.PERSONAL


def _where(activity: Mapping[str, Any], turn: Turn) -> Where:
    """The channel and team of `activity` (Teams puts them in channelData) and its reference."""
    data = _channel_data(activity)
    channel: dict[str, Any] = data["channel"] if isinstance(data.get("channel"), dict) else {}
    team: dict[str, Any] = data["team"] if isinstance(data.get("team"), dict) else {}
    return Where(
        channel_id=channel.get("id") if isinstance(channel.get("id"), str) else None,
        team_id=team.get("id") if isinstance(team.get("id"), str) else None,
        service_url=activity.get("serviceUrl"),
        reference=turn.reference(),
    )


def _bot_mentions(activity: Mapping[str, Any]) -> list[dict[str, Any]]:
    bot_id = _bot_id(activity)
    return [
        entity
        for entity in activity.get("entities") or []
        if isinstance(entity, dict)
        and entity.get("type") == "mention"
        and isinstance(entity.get("mentioned"), dict)
        and entity["mentioned"].get("id") == bot_id
    ]


def _mentions_bot(activity: Mapping[str, Any]) -> bool:
    return bool(_bot_mentions(activity))


def _without_bot_mention(activity: Mapping[str, Any]) -> str:
    """The message text without the @mention of the bot (Teams puts `<at>Name</at>` in the text)."""
    text = activity.get("text") or ""
    for mention in _bot_mentions(activity):
        tagged = mention.get("text")
        if isinstance(tagged, str) and tagged:
            text = text.replace(tagged, "")
        else:
            text = _MENTION_TAG.sub(partial(_unless_named, mention["mentioned"].get("name")), text)
    return text.strip()


def _unless_named(name: object, tag: re.Match[str]) -> str:
    """Nothing for the `<at>` tag of the bot called `name`; any other mention stays as it is."""
    return "" if tag.group(1) == name else tag.group(0)


def _sender(activity: Mapping[str, Any]) -> Sender:
    account = _part(activity, "from")
    return Sender(id=account.get("id") or "", aad_object_id=account.get("aadObjectId"), name=account.get("name"))


__all__ = ["InvokeReply", "TeamsConversation", "Turn", "turn_failed"]
