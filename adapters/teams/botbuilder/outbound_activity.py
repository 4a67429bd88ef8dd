"""The Teams activity for an outbound message: what a turn's reply and the ticket courier both send."""

from __future__ import annotations

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import Activity, TextFormatTypes

from bot import Outbound


def to_activity(message: Outbound) -> Activity:
    """A message activity for `message`: the card with its summary, or plain text."""
    if message.card is None:
        activity = MessageFactory.text(message.text or message.summary)
        activity.text_format = TextFormatTypes.plain
        return activity
    activity = MessageFactory.attachment(CardFactory.adaptive_card(message.card))
    activity.summary = message.summary
    return activity
