"""The Bot Framework message activity for one of the bot's messages, as JSON both SDKs read."""

from __future__ import annotations

from typing import Any

from bot import Outbound

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


def message_activity(message: Outbound) -> dict[str, Any]:
    """A card with its summary (what notifications show), or plain text (never read as markdown)."""
    if message.card is None:
        return {
            "type": "message",
            "text": message.text or message.summary,
            "textFormat": "plain",
            "inputHint": "acceptingInput",
        }
    return {
        "type": "message",
        "summary": message.summary,
        "inputHint": "acceptingInput",
        "attachmentLayout": "list",
        "attachments": [{"contentType": ADAPTIVE_CARD, "content": message.card}],
    }
