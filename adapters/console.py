"""A terminal chat with the same dialogue Teams uses, for trying the bot without Teams."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, TextIO

from bot import CardSettings, Dialogue, Inbound, Outbound, Sender, render

_PROMPT = "you> "
_SENDER = Sender(id="console-user")


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


async def chat(dialogue: Dialogue, card_settings: CardSettings, stdin: TextIO, out: TextIO) -> None:
    """Read questions from `stdin` until EOF or 'quit'; type a button's number to press it."""
    out.write("HR Policy FAQ: ask a question, type a number to press a button, 'quit' to leave.\n")
    buttons: list[Mapping[str, Any]] = []
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
            inbound = Inbound(text="", sender=_SENDER, conversation_id="console",
                              value=dict(buttons[int(choice) - 1]["data"]))
        else:
            inbound = Inbound(text=line, sender=_SENDER, conversation_id="console")
        reply = await dialogue.respond(inbound)
        buttons = _show(render(reply, card_settings), out)
