"""Keep each outbound message under Teams' size limit (28 KB, safe across every documented revision).

A card that would be too big is replaced by plain text: its fallback text, shortened, always
ending with the summary (which names the policy reference), so the staff member still learns
where the answer comes from and can open the policy.
"""

from __future__ import annotations

import json

from bot.cards import Outbound

MAX_MESSAGE_BYTES = 28 * 1024
# Room for the activity envelope around the card: ids, from/recipient, conversation, serviceUrl.
ENVELOPE_ALLOWANCE_BYTES = 3 * 1024
ELLIPSIS = "…"


def size_of(message: Outbound) -> int:
    """Bytes of the message's payload (card, summary and text) serialised as the connector client
    sends it: JSON with non-ASCII escaped, so an emoji costs 12 bytes."""
    payload = {"card": message.card, "summary": message.summary, "text": message.text}
    return len(json.dumps(payload))


def fit(message: Outbound, limit: int = MAX_MESSAGE_BYTES) -> Outbound:
    """`message` itself when it fits in `limit` bytes with its envelope, else a shortened text message.

    The summary is cut to a quarter of the budget at most; the text keeps its beginning.
    """
    budget = limit - ENVELOPE_ALLOWANCE_BYTES
    if size_of(message) <= budget:
        return message
    summary = _truncate(message.summary, budget // 4)
    full = message.text if message.card is None else str(message.card.get("fallbackText") or message.summary)
    tail = f"\n\n{summary}"
    # The summary goes into the activity twice (summary and text's tail).
    room = budget - 2 * _bytes(summary) - _bytes(ELLIPSIS) - 64
    text = _truncate(full or "", max(room, 0)) + tail
    return Outbound(summary=summary, text=text)


def _char_bytes(char: str) -> int:
    return len(json.dumps(char)) - 2


def _bytes(text: str) -> int:
    """Serialised (escaped JSON) size of `text`."""
    return len(json.dumps(text)) - 2


def _truncate(text: str, max_bytes: int) -> str:
    """`text` cut to `max_bytes` serialised bytes at a character boundary, with an ellipsis when cut."""
    if _bytes(text) <= max_bytes:
        return text
    room = max_bytes - _bytes(ELLIPSIS)
    used = 0
    kept: list[str] = []
    for char in text:
        used += _char_bytes(char)
        if used > room:
            break
        kept.append(char)
    return "".join(kept).rstrip() + ELLIPSIS
