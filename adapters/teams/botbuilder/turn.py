"""`Turn` over botbuilder's turn context, and our message JSON as botbuilder activities."""

from __future__ import annotations

from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from adapters.teams.messages import message_activity
from bot import Outbound


def sdk_activity(message: Outbound) -> Activity:
    return Activity().deserialize(message_activity(message))


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
