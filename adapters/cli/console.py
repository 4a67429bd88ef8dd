"""A terminal chat with the same front door Teams uses (welcome, help, topics, dialogue), without Teams."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, Protocol, TextIO

from bot import CardSettings, Inbound, Outbound, Reply, Scope, Sender, render
from bot.engagement import EngagementReply, Installation
from bot.replies import Vote
from bot.submits import parse_submit

_PROMPT = "you> "
_SENDER = Sender(id="console-user")


class Conversation(Protocol):
    """What the terminal needs: the welcome and the reply to each line (see bot.engagement.Engagement)."""

    async def on_install(self, installation: Installation) -> EngagementReply | None: ...

    async def respond(self, message: Inbound) -> Reply | EngagementReply: ...


class ChatMemory:
    """Welcomes for one terminal chat, kept in memory; votes are acknowledged but not kept."""

    def __init__(self) -> None:
        self._welcomed: set[tuple[str, str]] = set()

    async def claim_welcome(self, kind: str, subject_id: str) -> bool:
        first = (kind, subject_id) not in self._welcomed
        self._welcomed.add((kind, subject_id))
        return first

    async def release_welcome(self, kind: str, subject_id: str) -> None:
        self._welcomed.discard((kind, subject_id))

    async def record_vote(self, voter_id: str, entry_id: str, vote: Vote, missing: str | None) -> None:
        return None


def _buttons(card: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Submit buttons of `card` in display order (body action sets, then card actions)."""
    found: list[Mapping[str, Any]] = []
    for element in [*card.get("body", []), {"actions": card.get("actions", [])}]:
        for action in element.get("actions", []) if isinstance(element, Mapping) else []:
            if action.get("type") == "Action.Submit":
                found.append(action)
    return found


def _show(message: Outbound, out: TextIO) -> list[Mapping[str, Any]]:
    if message.card is None:
        out.write(f"bot> {message.text or message.summary}\n")
        return []
    out.write(f"bot> {message.card.get('fallbackText', message.summary)}\n")
    buttons = _buttons(message.card)
    for number, button in enumerate(buttons, start=1):
        out.write(f"     [{number}] {button['title']}\n")
    for action in message.card.get("actions", []):
        if action.get("type") == "Action.OpenUrl":
            out.write(f"     {action['title']}: {action['url']}\n")
    return buttons


async def chat(conversation: Conversation, card_settings: CardSettings, stdin: TextIO, out: TextIO) -> None:
    """Welcome, then read questions from `stdin` until EOF or 'quit'; type a button's number to press it."""
    out.write("HR Policy FAQ: ask a question, type a number to press a button, 'quit' to leave.\n")
    welcome = await conversation.on_install(Installation(Scope.PERSONAL, _SENDER, "console"))
    buttons: list[Mapping[str, Any]] = _show(render(welcome, card_settings), out) if welcome else []
    loop = asyncio.get_running_loop()
    while True:
        out.write(_PROMPT)
        out.flush()
        line = await loop.run_in_executor(None, stdin.readline)
        if not line or line.strip().lower() in {"quit", "exit"}:
            out.write("\n")
            return
        choice = line.strip()
        if choice.isdigit() and 1 <= int(choice) <= len(buttons):
            inbound = Inbound(
                text="",
                sender=_SENDER,
                conversation_id="console",
                submit=parse_submit(buttons[int(choice) - 1]["data"]),
            )
        else:
            inbound = Inbound(text=line, sender=_SENDER, conversation_id="console")
        reply = await conversation.respond(inbound)
        buttons = _show(render(reply, card_settings), out)
