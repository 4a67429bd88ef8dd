"""Onboarding and exploring: welcomes, `help`, `topics` and feedback, in front of the dialogue.

`Engagement` handles what is not a policy question and passes everything else to `Dialogue`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from bot.dialogue import Dialogue
from bot.inbound import Inbound, Scope, Sender
from bot.ports import FeedbackBox, WelcomeBook
from bot.replies import Answer, Notice, NoticeKind, Reply, SmallTalk, SmallTalkKind, Vote
from bot.sanitize import clean_text
from bot.submits import CastVote, Command
from knowledge import Corpus, Entry

MAX_MISSING_CHARS = 500
EXAMPLE_COUNT = 3

_TOPICS_WORDS = frozenset({"topics", "topic", "browse", "browse topics", "list topics", "show topics", "all topics"})
_HELP_WORDS = frozenset({"help"})


@dataclass(frozen=True)
class Welcome:
    """The personal welcome: what the bot answers, example questions, the HR helpdesk, privacy."""

    outcome: ClassVar[str] = "other"

    examples: tuple[Entry, ...]


@dataclass(frozen=True)
class TeamIntro:
    """A short introduction posted once to a team or group chat."""

    outcome: ClassVar[str] = "other"


@dataclass(frozen=True)
class Help:
    """What the bot can do and its commands."""

    outcome: ClassVar[str] = "other"

    examples: tuple[Entry, ...]


@dataclass(frozen=True)
class TopicGroup:
    title: str
    entries: tuple[Entry, ...]
    document: str = ""


@dataclass(frozen=True)
class Topics:
    """The corpus grouped by document, then topic, in the curators' topic order."""

    outcome: ClassVar[str] = "other"

    groups: tuple[TopicGroup, ...]

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(group.document for group in self.groups))


@dataclass(frozen=True)
class Installation:
    """The bot was added: to someone's personal scope, a team, or a group chat."""

    scope: Scope
    sender: Sender
    conversation_id: str
    team_id: str | None = None


# Counted under the outcome "other" in the metrics, beside the dialogue's replies.
EngagementReply = Welcome | TeamIntro | Help | Topics


def person_id(sender: Sender) -> str:
    """The id that stands for a person: the AAD object id, or the channel user id when absent."""
    return sender.aad_object_id or sender.id


class Engagement:
    """The front door: onboarding, browsing and feedback; policy questions go to the dialogue."""

    def __init__(self, dialogue: Dialogue, corpus: Corpus, welcomes: WelcomeBook, feedback: FeedbackBox) -> None:
        self._dialogue = dialogue
        self._welcomes = welcomes
        self._feedback = feedback
        self._topics = group_by_topic(corpus)
        self._examples = examples(self._topics)

    async def respond(self, message: Inbound) -> Reply | EngagementReply:
        """The reply to a message or card submit."""
        match message.submit:
            case CastVote() as vote:
                return await self.on_feedback(message.sender, vote)
            case Command(name=name):
                return self._command(name) or Notice(NoticeKind.UNKNOWN_ACTION)
            case None:
                command = self._command(" ".join(clean_text(message.text).lower().strip(" .!?").split()))
                if command is not None:
                    return command
        reply = await self._dialogue.respond(message)  # questions, and the buttons the dialogue knows
        if isinstance(reply, SmallTalk) and reply.kind is SmallTalkKind.HELP:
            return Help(self._examples)
        return reply

    async def on_feedback(self, sender: Sender, cast: CastVote) -> Answer | Notice:
        """Record a 👍/👎 (one per person per answer) and return the answer acknowledging it."""
        entry = self._dialogue.entry(cast.entry_id)
        if entry is None:
            return Notice(NoticeKind.UNKNOWN_ACTION)
        missing = clean_text(cast.missing)[:MAX_MISSING_CHARS] if cast.vote is Vote.DOWN else ""
        await self._feedback.record_vote(person_id(sender), entry.id, cast.vote, missing or None)
        return self._dialogue.show(entry, feedback=cast.vote)

    async def on_install(self, installation: Installation) -> EngagementReply | None:
        """The welcome for a new install, or None when this person, team or chat was welcomed already.

        The caller delivers it, and calls `welcome_not_delivered` when it could not.
        """
        if not await self._welcomes.claim_welcome(*_welcomed(installation)):
            return None
        return Welcome(self._examples) if installation.scope is Scope.PERSONAL else TeamIntro()

    async def welcome_not_delivered(self, installation: Installation) -> None:
        """Release the claim `on_install` made, so the next install event for the same subject welcomes."""
        await self._welcomes.release_welcome(*_welcomed(installation))

    def _command(self, folded: str) -> EngagementReply | None:
        if folded in _TOPICS_WORDS:
            return self._topics
        if folded in _HELP_WORDS:
            return Help(self._examples)
        return None


def _welcomed(installation: Installation) -> tuple[str, str]:
    """Who a welcome is for: the person (1:1), else the team, else the group chat."""
    if installation.scope is Scope.PERSONAL:
        return "user", person_id(installation.sender)
    if installation.team_id:
        return "team", installation.team_id
    return "chat", installation.conversation_id


def examples(topics: Topics) -> tuple[Entry, ...]:
    """Example questions for the welcome: the shortest question of each topic, shortest first."""
    shortest = [min(group.entries, key=lambda e: len(e.question)) for group in topics.groups]
    return tuple(sorted(shortest, key=lambda e: len(e.question))[:EXAMPLE_COUNT])


def group_by_topic(corpus: Corpus) -> Topics:
    """Entries by document (in corpus order), then by topic in the curators' order."""
    order = [topic.id for topic in corpus.topics]
    order += sorted({e.topic for e in corpus.entries} - set(order))
    documents = list(dict.fromkeys(e.document for e in corpus.entries))
    groups = []
    for document in documents:
        for topic_id in order:
            entries = tuple(e for e in corpus.entries if e.topic == topic_id and e.document == document)
            if entries:
                groups.append(TopicGroup(corpus.topic_title(topic_id), entries, document))
    return Topics(tuple(groups))
