"""Teams-shaped activities as Teams sends them, for tests."""

from __future__ import annotations

import itertools
import time
from typing import Any

BOT_ID = "28:faq-bot"
TENANT = "tenant-nhs"
# Unique across runs too: a bot sharing a database with an earlier run must not see re-deliveries.
_ids = itertools.count(int(time.time() * 1_000_000))


def message(
    service_url: str,
    text: str | None = None,
    *,
    value: dict[str, Any] | None = None,
    conversation_type: str = "personal",
    conversation_id: str = "a:staff-conversation",
    user_id: str = "29:staff-member",
    aad_object_id: str = "aad-staff-1",
    name: str = "Ada Staff",
    mention_bot: bool = False,
    activity_id: str | None = None,
) -> dict[str, Any]:
    """A message activity from a staff member to the bot."""
    activity: dict[str, Any] = {
        "type": "message",
        "id": activity_id or str(next(_ids)),
        "timestamp": "2026-11-24T10:00:00.000Z",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": user_id, "name": name, "aadObjectId": aad_object_id},
        "recipient": {"id": BOT_ID, "name": "HR Policy FAQ"},
        "conversation": {"id": conversation_id, "conversationType": conversation_type, "tenantId": TENANT},
        "channelData": {"tenant": {"id": TENANT}},
        "locale": "en-GB",
    }
    if mention_bot:
        activity["text"] = f"<at>HR Policy FAQ</at> {text}"
        activity["entities"] = [
            {
                "type": "mention",
                "text": "<at>HR Policy FAQ</at>",
                "mentioned": {"id": BOT_ID, "name": "HR Policy FAQ"},
            }
        ]
    elif text is not None:
        activity["text"] = text
    if value is not None:
        activity["value"] = value
    if conversation_type == "channel":
        activity["channelData"].update(
            {"team": {"id": "19:team@thread.tacv2"}, "channel": {"id": "19:general@thread.tacv2"}}
        )
    return activity
