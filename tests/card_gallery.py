"""Every kind of card the bot sends, rendered from the shipped corpus, for the renderer check and docs/.

`python -m tests.card_gallery OUT.json` writes [{"name", "card"}, ...] for tools/render_cards.mjs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from bot import Answer, CardSettings, Clarify, NoAnswer, render
from bot.dialogue import Dialogue
from bot.engagement import Help, Welcome, examples, group_by_topic
from bot.replies import Vote
from adapters.corpus.meaning import ranker_for
from adapters.config.settings import DEFAULT_EMBEDDING_CACHE
from knowledge import Corpus, load_corpus
from tests.organisations import NHSBT

ROOT = Path(__file__).resolve().parent.parent

SHIPPED_CORPUS = Path(__file__).resolve().parent.parent / "knowledge" / "data"
HR_DIRECT = CardSettings(NHSBT, hr_direct_url="https://teams.microsoft.com/l/chat/0/0?users=hr.direct@example.org")
NO_ROUTE = CardSettings(NHSBT)
# The PNGs in docs/cards/ (what readers see), by gallery name.
DOCS = ("welcome", "help", "topics", "answer", "answer-voted", "did-you-mean", "escalation")


def gallery(corpus: Corpus) -> list[dict[str, Any]]:
    dialogue = Dialogue(ranker_for(ROOT / DEFAULT_EMBEDDING_CACHE)(corpus))
    topics = group_by_topic(corpus)
    shown = examples(topics)
    first = corpus.entries[0]
    longest = max(corpus.entries, key=lambda e: len(e.answer))
    named: list[tuple[str, object, CardSettings]] = [
        ("welcome", Welcome(shown), HR_DIRECT),
        ("welcome-no-route", Welcome(shown), NO_ROUTE),
        ("help", Help(shown), HR_DIRECT),
        ("topics", topics, HR_DIRECT),
        ("answer", dialogue.show(longest), HR_DIRECT),
        ("answer-voted", dialogue.show(first, feedback=Vote.UP), HR_DIRECT),
        ("answer-voted-down", dialogue.show(first, feedback=Vote.DOWN), NO_ROUTE),
        ("did-you-mean", Clarify(corpus.entries[:3]), HR_DIRECT),
        ("ambiguous", Clarify(corpus.entries[:2], ambiguous=True), NO_ROUTE),
        ("escalation", NoAnswer(), HR_DIRECT),
        ("escalation-no-route", NoAnswer(), NO_ROUTE),
    ]
    named += [(f"answer-{e.id}", dialogue.show(e), HR_DIRECT) for e in corpus.entries]
    cards = []
    for name, reply, settings in named:
        card = render(reply, settings).card  # type: ignore[arg-type]
        assert card is not None, name
        cards.append({"name": name, "card": card})
    return cards


def main(out: str) -> None:
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(gallery(load_corpus(SHIPPED_CORPUS)), ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
