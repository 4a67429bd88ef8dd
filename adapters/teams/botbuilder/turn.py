"""`Turn` over botbuilder's turn context, and our message JSON as botbuilder activities."""

from __future__ import annotations

from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, Attachment

from adapters.teams.messages import message_activity
from bot import Outbound


def sdk_activity(message: Outbound) -> Activity:
    """`message` as a botbuilder Activity, its card kept as the JSON it is: msrest reading the card
    would walk every element of it only to copy it, and a card is most of a reply."""
    payload = message_activity(message)
    attachments = payload.pop("attachments", [])
    activity = Activity().deserialize(payload)
    if attachments:
        activity.attachments = [Attachment(content_type=a["contentType"], content=a["content"]) for a in attachments]
    return activity


def reference_json(activity: Activity) -> dict[str, Any]:
    """The conversation reference of `activity` in the Bot Framework's JSON."""
    reference: dict[str, Any] = TurnContext.get_conversation_reference(activity).serialize()
    return reference


class BotbuilderTurn:
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
