from __future__ import annotations

import asyncio
import threading

import pytest

from bot import (
    Answer,
    Clarify,
    Dialogue,
    DialogueSettings,
    Inbound,
    NoAnswer,
    Notice,
    NoticeKind,
    Sender,
    SmallTalk,
    SmallTalkKind,
)
from bot.submits import SHOW_ENTRY_ACTION, parse_submit
from knowledge import Corpus, Entry, Match

SENDER = Sender(id="29:user")


def message(text: str = "", value: dict[str, object] | None = None) -> Inbound:
    return Inbound(
        text=text, sender=SENDER, conversation_id="a:1", submit=None if value is None else parse_submit(value)
    )


class StaticKnowledge:
    """Returns the matches it was given, whatever the question."""

    def __init__(self, corpus: Corpus, scores: dict[str, float], curation: float = 1.0) -> None:
        self._corpus = corpus
        self._scores = scores
        self._curation = curation

    def rank(self, question: str, *, limit: int = 3) -> tuple[Match, ...]:
        ranked = sorted(self._scores.items(), key=lambda kv: kv[1], reverse=True)[:limit]
        return tuple(Match(entry=self._entry(i), confidence=c, curation=self._curation) for i, c in ranked)

    def entry(self, entry_id: str) -> Entry | None:
        return self._corpus.entry(entry_id)

    def _entry(self, entry_id: str) -> Entry:
        entry = self._corpus.entry(entry_id)
        assert entry is not None
        return entry


def dialogue_with(corpus: Corpus, **scores: float) -> Dialogue:
    settings = DialogueSettings(answer_at=0.8, suggest_at=0.5, ambiguity_gap=0.05)
    return Dialogue(StaticKnowledge(corpus, {k.replace("_", "-"): v for k, v in scores.items()}), settings)


async def test_confident_match_is_answered(corpus: Corpus) -> None:
    reply = await dialogue_with(corpus, liking_posts=0.9, freedom_of_opinion=0.6).respond(message("liking"))
    assert isinstance(reply, Answer)
    assert reply.entry.id == "liking-posts"


async def test_close_runner_up_asks_which_was_meant(corpus: Corpus) -> None:
    dialogue = dialogue_with(corpus, sar_how_far_back=0.9, sar_individuals_informed=0.87, liking_posts=0.6)
    reply = await dialogue.respond(message("sar"))
    assert isinstance(reply, Clarify) and reply.ambiguous
    assert [e.id for e in reply.candidates] == ["sar-how-far-back", "sar-individuals-informed"]


async def test_middle_band_suggests_without_answering(corpus: Corpus) -> None:
    reply = await dialogue_with(
        corpus, liking_posts=0.7, freedom_of_opinion=0.55, briefing_slides_available=0.3
    ).respond(message("posts"))
    assert isinstance(reply, Clarify) and not reply.ambiguous
    assert [e.id for e in reply.candidates] == ["liking-posts", "freedom-of-opinion"]


async def test_low_confidence_is_no_answer(corpus: Corpus) -> None:
    assert isinstance(await dialogue_with(corpus, liking_posts=0.4).respond(message("leave")), NoAnswer)


@pytest.mark.parametrize(
    ("curation", "confidence", "expected"),
    [
        (1.0, 0.85, Answer),  # a curated entry: answered from 0.8
        (0.0, 0.85, Clarify),  # a new document's entry: only offered below 0.9
        (0.0, 0.92, Answer),
        (0.5, 0.86, Answer),  # half curated: the band is half-way, 0.85
        (1.0, 0.08, NoAnswer),  # a curated entry is offered from 0.15
        (0.0, 0.08, Clarify),  # a new document's entry from 0.05
        (0.0, 0.04, NoAnswer),
    ],
)
async def test_bands_move_with_how_curated_the_entry_is(
    corpus: Corpus, curation: float, confidence: float, expected: type
) -> None:
    settings = DialogueSettings(answer_at=0.8, new_entry_answer_at=0.9, suggest_at=0.15, new_entry_suggest_at=0.05)
    knowledge = StaticKnowledge(corpus, {"liking-posts": confidence}, curation=curation)
    reply = await Dialogue(knowledge, settings).respond(message("liking"))
    assert type(reply) is expected
    if isinstance(reply, Clarify):
        assert [e.id for e in reply.candidates] == ["liking-posts"]


async def test_no_matches_is_no_answer(corpus: Corpus) -> None:
    assert isinstance(await dialogue_with(corpus).respond(message("anything")), NoAnswer)


async def test_answer_carries_curated_related_entries_first_then_neighbours(dialogue: Dialogue) -> None:
    reply = await dialogue.respond(
        message(value={"action": SHOW_ENTRY_ACTION, "entry": "what-is-a-social-media-profile"})
    )
    assert isinstance(reply, Answer)
    related = [e.id for e in reply.related]
    assert related[0] == "personal-facebook-testimonial"
    assert len(related) == 3 == len(set(related))
    assert "what-is-a-social-media-profile" not in related


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"action": SHOW_ENTRY_ACTION, "entry": "liking-posts"}, "liking-posts"),
        ({"action": SHOW_ENTRY_ACTION, "entry": "no-such-entry"}, None),
        ({"action": SHOW_ENTRY_ACTION, "entry": ["liking-posts"]}, None),
        ({"action": "delete-everything"}, None),
        ({}, None),
    ],
)
async def test_card_buttons(dialogue: Dialogue, value: dict[str, object], expected: str | None) -> None:
    reply = await dialogue.respond(message(value=value))
    if expected is None:
        assert reply == Notice(NoticeKind.UNKNOWN_ACTION)
    else:
        assert isinstance(reply, Answer) and reply.entry.id == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("", NoticeKind.EMPTY),
        ("   \n\t ", NoticeKind.EMPTY),
        ("\u200b\u2060\u202e", NoticeKind.EMPTY),
        ("😀🙏👍", NoticeKind.NO_WORDS),
        ("?!...", NoticeKind.NO_WORDS),
        ("why " * 400, NoticeKind.TOO_LONG),
    ],
)
async def test_unusable_input_gets_a_polite_notice(dialogue: Dialogue, text: str, kind: NoticeKind) -> None:
    assert await dialogue.respond(message(text)) == Notice(kind)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("hi", SmallTalkKind.GREETING),
        ("Hello!", SmallTalkKind.GREETING),
        ("thanks", SmallTalkKind.THANKS),
        ("Thank you 🙂", SmallTalkKind.THANKS),
        ("bye", SmallTalkKind.GOODBYE),
        ("help", SmallTalkKind.HELP),
        ("What can you do?", SmallTalkKind.HELP),
    ],
)
async def test_small_talk(dialogue: Dialogue, text: str, kind: SmallTalkKind) -> None:
    assert await dialogue.respond(message(text)) == SmallTalk(kind)


async def test_every_source_question_asked_verbatim_gets_its_own_answer(corpus: Corpus, dialogue: Dialogue) -> None:
    for entry in corpus.entries:
        reply = await dialogue.respond(message(entry.question))
        assert isinstance(reply, Answer), (entry.id, reply)
        assert reply.entry.id == entry.id


async def test_out_of_scope_question_is_not_answered(dialogue: Dialogue) -> None:
    reply = await dialogue.respond(message("how do I book annual leave"))
    assert not isinstance(reply, Answer)


@pytest.mark.parametrize("text", ["SAR", "whatsapp", "facebook", "social media"])
async def test_one_vague_word_is_never_answered_outright(dialogue: Dialogue, text: str) -> None:
    # With the shipped bands: 'SAR' could mean three entries, so the bot asks or offers HR Direct.
    reply = await dialogue.respond(message(text))
    assert isinstance(reply, (Clarify, NoAnswer)), reply


async def test_a_one_word_question_that_names_one_entry_is_answered(dialogue: Dialogue) -> None:
    reply = await dialogue.respond(message("tiktok"))
    assert isinstance(reply, Answer) and reply.entry.id == "tiktok-government-restrictions"


class SlowKnowledge(StaticKnowledge):
    """Ranks only once `released` is set (or after 5 s), recording the thread it ranked on."""

    def __init__(self, corpus: Corpus, scores: dict[str, float]) -> None:
        super().__init__(corpus, scores)
        self.released = threading.Event()
        self.threads: list[int] = []

    def rank(self, question: str, *, limit: int = 3) -> tuple[Match, ...]:
        self.threads.append(threading.get_ident())
        self.released.wait(timeout=5)
        return super().rank(question, limit=limit)


async def test_a_question_is_ranked_off_the_event_loop_which_serves_others_meanwhile(corpus: Corpus) -> None:
    knowledge = SlowKnowledge(corpus, {"liking-posts": 0.9})
    dialogue = Dialogue(knowledge)
    asking = asyncio.create_task(dialogue.respond(message("can I like posts")))
    # Ranked on the loop, the question would hold it for the whole wait and these turns could not run.
    greeting = await asyncio.wait_for(dialogue.respond(message("hello")), timeout=2)
    knowledge.released.set()
    reply = await asyncio.wait_for(asking, timeout=5)
    assert isinstance(greeting, SmallTalk)
    assert isinstance(reply, Answer)
    assert reply.entry.id == "liking-posts"
    assert knowledge.threads
    assert threading.get_ident() not in knowledge.threads
