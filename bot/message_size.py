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
    """UTF-8 bytes of the message's payload as it is serialised (card, summary and text)."""
    payload = {"card": message.card, "summary": message.summary, "text": message.text}
    return len(json.dumps(payload, ensure_ascii=False).encode("utf-8"))


def fit(message: Outbound, limit: int = MAX_MESSAGE_BYTES) -> Outbound:
    """`message` itself when it fits in `limit` bytes with its envelope, else a shortened text message."""
    budget = limit - ENVELOPE_ALLOWANCE_BYTES
    if size_of(message) <= budget:
        return message
    summary = _truncate(message.summary, budget // 4)
    full = message.text if message.card is None else str(message.card.get("fallbackText") or message.summary)
    tail = f"\n\n{summary}"
    # Summary and text each go into the activity once; JSON escaping can double a byte count.
    room = (budget - 2 * _bytes(summary)) // 2 - _bytes(tail) - _bytes(ELLIPSIS)
    text = _truncate(full or "", max(room, 0)) + tail
    return Outbound(summary=summary, text=text)


def _bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def _truncate(text: str, max_bytes: int) -> str:
    """`text` cut to `max_bytes` UTF-8 bytes at a character boundary, with an ellipsis when cut."""
    if _bytes(text) <= max_bytes:
        return text
    cut = text.encode("utf-8")[: max(max_bytes - _bytes(ELLIPSIS), 0)].decode("utf-8", errors="ignore")
    return cut.rstrip() + ELLIPSIS
