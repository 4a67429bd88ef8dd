"""The conversation: staff text or card submits in, replies and cards out. No chat SDK here."""

from bot.cards import CardSettings, Outbound, render
from bot.dialogue import Dialogue, DialogueSettings
from bot.inbound import Inbound, Scope, Sender
from bot.organisation import Organisation
from bot.ports import KnowledgeSource
from bot.replies import Answer, Clarify, NoAnswer, Notice, NoticeKind, Reply, SmallTalk, SmallTalkKind

__all__ = [
    "Answer",
    "CardSettings",
    "Clarify",
    "Dialogue",
    "DialogueSettings",
    "Inbound",
    "KnowledgeSource",
    "NoAnswer",
    "Notice",
    "NoticeKind",
    "Organisation",
    "Outbound",
    "Reply",
    "Scope",
    "Sender",
    "SmallTalk",
    "SmallTalkKind",
    "render",
]
