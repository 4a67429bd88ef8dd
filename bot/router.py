"""The order in which a message is seen: the helpdesk first, then the front door and the dialogue.

`Router` turns an `Inbound` into the messages to send, decides when the bot stays silent (group
chats and channels without an @mention) and when answer cards offer the helpdesk's form, and
says what to record about the question once the reply is out. It does no I/O beyond the ports
it is given, so a channel edge only translates to and from its own types.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.cards import CardSettings, Outbound, render
from bot.engagement import Engagement, EngagementReply, Installation
from bot.escalation import Escalation, Where
from bot.inbound import Inbound, Scope, Sender
from bot.message_size import fit
from bot.ports import QuestionLog
from bot.questions import AskedQuestion, Resolved, new_question_id, question_event
from bot.replies import Answer, Notice, NoticeKind, Reply, Vote
from bot.submits import CastVote, Unknown

question_log = logging.getLogger("faqbot.questions")


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Turn:
    """What to do for one message: send `messages` in order, then pass the turn to `Router.after_sent`.

    `acknowledges_vote`: the single message answers a vote given on an answer card, and replaces that
    card where the client allows it.
    """

    messages: tuple[Outbound, ...] = ()
    acknowledges_vote: bool = False
    record: AskedQuestion | Resolved | Voted | None = None


@dataclass(frozen=True)
class Voted:
    """A 👍/👎 on the answer to question `question_id` (for the curators' report)."""

    question_id: str
    helpful: bool


class Router:
    """Routes each message: helpdesk commands and submits to `escalation`, the rest to `engagement`
    (which hands questions and answer buttons to the dialogue)."""

    def __init__(
        self,
        engagement: Engagement,
        card_settings: CardSettings,
        *,
        escalation: Escalation | None = None,
        questions: QuestionLog | None = None,
        on_reply: Callable[[Reply | EngagementReply], None] = lambda _reply: None,
        clock: Callable[[], dt.datetime] = _utcnow,
        new_id: Callable[[], str] = new_question_id,
    ) -> None:
        self._engagement = engagement
        self._card_settings = card_settings
        self._escalation = escalation
        self._questions = questions
        self._on_reply = on_reply
        self._clock = clock
        self._new_id = new_id

    async def route(self, message: Inbound, where: Where) -> Turn:
        """The turn for `message`; no messages when the bot is not addressed."""
        if message.scope is not Scope.PERSONAL and message.submit is None and not message.mentions_bot:
            return Turn()  # in group chats and channels the bot speaks only when @mentioned
        card_settings = self._card_settings
        if self._escalation is not None:
            handled = await self._escalation.handle(message, where)
            if handled is not None:
                return Turn(handled)
            if message.scope is Scope.PERSONAL and await self._escalation.hr_channel() is not None:
                card_settings = replace(card_settings, hr_direct_form=True)
        reply = await self._engagement.respond(message)
        self._on_reply(reply)
        event: AskedQuestion | Resolved | Voted | None = question_event(
            message, reply, question_id=self._new_id(), now=self._clock()
        )
        question_id = event.id if isinstance(event, AskedQuestion) else event.question_id if event else None
        vote = message.submit if isinstance(message.submit, CastVote) else None
        acknowledges_vote = isinstance(reply, Answer) and reply.feedback is not None
        if vote is not None and acknowledges_vote:
            question_id = vote.question_id  # the re-drawn card keeps linking to the question
            event = Voted(vote.question_id, helpful=vote.vote is Vote.UP) if vote.question_id else None
        return Turn(
            (fit(render(reply, card_settings, question_id=question_id)),),
            acknowledges_vote=acknowledges_vote,
            record=event,
        )

    async def not_delivered(self, message: Inbound) -> bool:
        """The turn's messages for `message` could not be sent. True when what they confirmed is
        stored and will reach the person another way (a filed ticket's confirmation, from the
        outbox): the turn then ends quietly instead of apologising."""
        return self._escalation is not None and await self._escalation.confirm_later(message)

    async def after_sent(self, turn: Turn) -> None:
        """Record the turn's question without identity; a failure is logged (no text), never raised."""
        event = turn.record
        if event is None or self._questions is None:
            return
        try:
            if isinstance(event, Resolved):
                await self._questions.mark_resolved(event.question_id, event.entry_id)
            elif isinstance(event, Voted):
                await self._questions.mark_feedback(event.question_id, helpful=event.helpful)
            else:
                await self._questions.record(event)
        except Exception as exc:  # noqa: BLE001 - analytics must never break a turn
            question_log.warning("question_log_failed error=%s", type(exc).__name__)

    async def on_vote(self, sender: Sender, submit: CastVote | Unknown) -> Outbound:
        """The answer card acknowledging a vote given with Action.Execute (it replaces the rated card)."""
        if isinstance(submit, Unknown):
            reply: Answer | Notice = Notice(NoticeKind.UNKNOWN_ACTION)
        else:
            reply = await self._engagement.on_feedback(sender, submit)
            if isinstance(reply, Answer) and submit.question_id is not None:
                await self.after_sent(Turn(record=Voted(submit.question_id, helpful=submit.vote is Vote.UP)))
            return render(reply, self._card_settings, question_id=submit.question_id)
        return render(reply, self._card_settings)

    async def on_install(self, installation: Installation) -> Outbound | None:
        """The welcome for a new install, or None when it was welcomed already. Call
        `welcome_not_delivered` when it could not be sent."""
        reply = await self._engagement.on_install(installation)
        return None if reply is None else render(reply, self._card_settings)

    async def welcome_not_delivered(self, installation: Installation) -> None:
        """Release the welcome claim, so the next install event for the same subject welcomes."""
        await self._engagement.welcome_not_delivered(installation)
