"""Recognise small talk so it is answered kindly instead of matched against policy."""

from __future__ import annotations

import re

from bot.replies import SmallTalkKind

_PHRASES: dict[SmallTalkKind, tuple[str, ...]] = {
    SmallTalkKind.GREETING: (
        "hi",
        "hello",
        "hey",
        "hiya",
        "good morning",
        "good afternoon",
        "good evening",
        "morning",
        "afternoon",
        "yo",
        "hi there",
        "hello there",
        "hey there",
        "greetings",
    ),
    SmallTalkKind.THANKS: (
        "thanks",
        "thank you",
        "thankyou",
        "thx",
        "ty",
        "cheers",
        "many thanks",
        "thanks a lot",
        "thank you very much",
        "thanks very much",
        "ta",
        "brilliant thanks",
        "great thanks",
        "thats helpful",
        "that helps",
        "that was helpful",
        "perfect thanks",
    ),
    SmallTalkKind.GOODBYE: ("bye", "goodbye", "see you", "see ya", "cya", "bye bye", "good night"),
    SmallTalkKind.HELP: (
        "help",
        "what can you do",
        "what do you do",
        "what can i ask",
        "what can i ask you",
        "who are you",
        "what are you",
        "how does this work",
        "how do you work",
        "menu",
        "start",
        "what can you help with",
        "what can you help me with",
        "commands",
    ),
    SmallTalkKind.ACKNOWLEDGEMENT: ("ok", "okay", "k", "great", "cool", "nice", "fine", "sure", "yes", "no"),
}
_LOOKUP = {phrase: kind for kind, phrases in _PHRASES.items() for phrase in phrases}
_NOISE = re.compile(r"[^a-z ]+")


def classify(text: str) -> SmallTalkKind | None:
    """The kind of small talk `text` is, or None when it may be a real question."""
    folded = " ".join(_NOISE.sub(" ", text.lower().replace("'", "")).split())
    for suffix in (" bot", " faqbot", " hr bot"):
        folded = folded.removesuffix(suffix)
    return _LOOKUP.get(folded)
