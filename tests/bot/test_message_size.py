from __future__ import annotations

import json

from bot import CardSettings, Outbound, render
from bot.message_size import MAX_MESSAGE_BYTES, fit, size_of
from bot.replies import Answer
from knowledge import Corpus
from tests.organisations import NHSBT


def activity_bytes(message: Outbound) -> int:
    """Bytes of an activity carrying `message`, with a generous Teams envelope."""
    envelope = {
        "type": "message",
        "id": "x" * 40,
        "from": {"id": "28:" + "b" * 60, "name": "HR Policy FAQ"},
        "recipient": {"id": "29:" + "u" * 120, "name": "N" * 100, "aadObjectId": "a" * 36},
        "conversation": {"id": "a:" + "c" * 200, "tenantId": "t" * 36},
        "replyToId": "1" * 20,
        "serviceUrl": "https://smba.trafficmanager.net/emea/",
        "channelId": "msteams",
        "summary": message.summary,
        "text": message.text,
        "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": message.card}],
    }
    return len(json.dumps(envelope).encode("utf-8"))  # ASCII-escaped, as msrest sends it


def test_normal_answer_cards_are_untouched(corpus: Corpus) -> None:
    for entry in corpus.entries:
        message = render(Answer(entry, 1.0, ()), CardSettings(NHSBT))
        assert fit(message) is message


def test_oversized_card_becomes_text_that_still_names_the_reference(corpus: Corpus) -> None:
    entry = corpus.entries[0]
    huge = entry.model_copy(update={"answer": "Ünïcödé answer text ✓ " * 4000})
    message = render(Answer(huge, 1.0, ()), CardSettings(NHSBT))
    assert activity_bytes(message) > MAX_MESSAGE_BYTES
    fitted = fit(message)
    assert fitted.card is None
    assert activity_bytes(fitted) <= MAX_MESSAGE_BYTES
    assert entry.reference_labels[0] in fitted.text
    assert fitted.text.startswith(entry.question)
    assert "…" in fitted.text


def test_oversized_plain_text_is_shortened() -> None:
    message = Outbound(summary="Notice", text="😀" * 20_000)
    fitted = fit(message)
    assert size_of(fitted) < size_of(message)
    assert activity_bytes(fitted) <= MAX_MESSAGE_BYTES
    assert fitted.text.endswith("Notice")
