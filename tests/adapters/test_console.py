"""The terminal chat: the same welcome, commands and answers as Teams, typed and read as text."""

from __future__ import annotations

import io

from adapters.cli.console import ChatMemory, chat
from bot import CardSettings, Dialogue
from bot.engagement import Engagement
from knowledge import Corpus
from tests.organisations import NHSBT

WHATSAPP_ENTRY = "whatsapp-team-updates-personal-phone"


async def transcript(lines: str, dialogue: Dialogue, corpus: Corpus) -> str:
    memory = ChatMemory()
    out = io.StringIO()
    await chat(Engagement(dialogue, corpus, memory, memory), CardSettings(NHSBT), io.StringIO(lines), out)
    return out.getvalue()


async def test_the_chat_opens_with_the_welcome_and_its_example_buttons(dialogue: Dialogue, corpus: Corpus) -> None:
    text = await transcript("quit\n", dialogue, corpus)
    assert "Welcome to HR Policy FAQ" in text
    assert "[1] " in text


async def test_topics_and_help_work_as_in_teams(dialogue: Dialogue, corpus: Corpus) -> None:
    text = await transcript("topics\nhelp\n", dialogue, corpus)
    assert "Browse by topic" in text
    assert all(entry.question.splitlines()[0] in text for entry in corpus.entries)
    assert "topics: browse every question" in text


async def test_a_question_gets_the_approved_answer_and_a_number_presses_a_button(
    dialogue: Dialogue, corpus: Corpus
) -> None:
    entry = corpus.entry(WHATSAPP_ENTRY)
    assert entry is not None
    text = await transcript("can I use whatsapp for team updates on my personal phone\n", dialogue, corpus)
    assert entry.answer.splitlines()[0] in text
    example = text.split("[1] ", 1)[1].splitlines()[0]  # the welcome's first example question
    pressed = await transcript("1\n", dialogue, corpus)
    shown = corpus.entries[[e.question for e in corpus.entries].index(example)]
    assert shown.answer.splitlines()[-1] in pressed  # (its first line holds a link, shown as plain text)
