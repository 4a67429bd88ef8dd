"""The helpdesk flows: staff ask and follow their tickets; the HR helpdesk works them from its channel.

Everything slow (posting to the HR channel, notifying staff) is queued in the store's outbox in
the same transaction as the ticket change and delivered after the turn by a background worker.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot import ticket_cards as cards
from bot import ticket_texts as texts
from bot.cards import Outbound
from bot.inbound import Inbound, Scope
from bot.organisation import Organisation
from bot.ports import KnowledgeSource, QuestionLog, TicketStore
from bot.sanitize import clean_text
from bot.submits import HrForm, OpenHrForm, TicketAction
from bot.tickets import (
    Actor,
    BestGuess,
    FaqDraft,
    HrAction,
    HrChannel,
    NewTicket,
    OutboxKind,
    OutboxRequest,
    Refused,
    Requester,
    apply,
    reference,
)

question_log = logging.getLogger("faqbot.questions")
_COMMAND = re.compile(r"[^a-z ]+")
MY_REQUESTS_COMMAND = "my requests"
REGISTER_COMMAND = "register this channel"
DRAFTS_COMMAND = "faq drafts"
_NOTICE_FOR = {"assigned": "assigned", "resolved": "resolved", "reopened": "reopened"}


@dataclass(frozen=True)
class EscalationSettings:
    """Whose helpdesk this is (`organisation`: staff type "ask <helpdesk>"); `hr_channel_id`
    (configuration) wins over a registered channel; `registrars` are AAD ids."""

    organisation: Organisation
    hr_channel_id: str | None = None
    registrars: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Where:
    """Where a message came from, as far as tickets care. `reference` is the conversation
    reference as JSON (needed to reach the staff member later)."""

    channel_id: str | None
    team_id: str | None
    service_url: str | None
    reference: Mapping[str, Any]


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _idempotency_key(sender_id: str, nonce: str) -> str:
    """One form (its nonce) sent by one person files one ticket, however often it arrives."""
    return hashlib.sha256(f"{sender_id}\x1f{nonce}".encode()).hexdigest()


def _command(text: str) -> str:
    return " ".join(_COMMAND.sub(" ", text.lower()).split())


class Escalation:
    """Handles ticket commands and card submits; returns None for anything else."""

    def __init__(
        self,
        store: TicketStore,
        knowledge: KnowledgeSource,
        settings: EscalationSettings,
        *,
        clock: Callable[[], dt.datetime] = _utcnow,
        queued: Callable[[], None] = lambda: None,
        questions: QuestionLog | None = None,
    ) -> None:
        """`questions`: where a filed ticket marks the question that led to it as escalated."""
        self._store = store
        self._questions = questions
        self._knowledge = knowledge
        self._settings = settings
        self._say = settings.organisation.fill
        self._ask_command = _command(f"ask {settings.organisation.helpdesk}")
        self._clock = clock
        self._queued = queued

    async def hr_channel(self) -> HrChannel | None:
        """The channel the HR helpdesk works in, or None when none is configured or registered."""
        registered = await self._store.hr_channel()
        configured = self._settings.hr_channel_id
        if configured:
            if registered is not None and registered.channel_id == configured:
                return registered
            return HrChannel(channel_id=configured, team_id=None, service_url=None)
        return registered

    async def handle(self, message: Inbound, where: Where) -> tuple[Outbound, ...] | None:
        """The replies for a ticket command or submit; None when the message is not about tickets."""
        match message.submit:
            case OpenHrForm(question=question, question_id=question_id):
                return await self._open_form(message, question, question_id)
            case HrForm() as form:
                return await self._submit(message, where, form)
            case TicketAction() as action:
                return await self._hr_action(message, where, action)
            case None:
                pass
            case _:
                return None
        command = _command(message.text)
        if command == self._ask_command:
            return await self._open_form(message, "")
        if command == MY_REQUESTS_COMMAND:
            if message.scope is not Scope.PERSONAL:
                return (cards.text(self._say(texts.PRIVATE_ONLY)),)
            return (cards.my_requests(await self._store.for_requester(message.sender.id), self._settings.organisation),)
        if command == REGISTER_COMMAND:
            return (cards.text(self._say(await self._register(message, where))),)
        if command == DRAFTS_COMMAND and await self._from_hr_channel(message, where):
            return (self._drafts(await self._store.faq_drafts()),)
        return None

    # --- staff ----------------------------------------------------------------------------

    async def _open_form(self, message: Inbound, question: str, question_id: str | None = None) -> tuple[Outbound, ...]:
        if message.scope is not Scope.PERSONAL:
            return (cards.text(self._say(texts.PRIVATE_ONLY)),)
        if await self.hr_channel() is None:
            return (cards.text(self._say(texts.NO_CHANNEL)),)
        return (
            cards.form(
                clean_text(question), secrets.token_urlsafe(24), self._settings.organisation, question_id=question_id
            ),
        )

    async def _submit(self, message: Inbound, where: Where, form: HrForm) -> tuple[Outbound, ...]:
        if message.scope is not Scope.PERSONAL:
            return (cards.text(self._say(texts.PRIVATE_ONLY)),)
        nonce = form.nonce
        if nonce is None:
            return (cards.text(self._say(texts.NOT_AVAILABLE)),)
        question = clean_text(form.question)[: cards.MAX_QUESTION_CHARS]
        details = clean_text(form.details)[: cards.MAX_DETAILS_CHARS]
        if not question:
            return (cards.text(self._say(texts.QUESTION_NEEDED)),)
        if await self.hr_channel() is None:
            return (cards.text(self._say(texts.NO_CHANNEL)),)
        anonymous = form.anonymous
        sender = message.sender
        key = _idempotency_key(sender.id, nonce)
        matches = self._knowledge.rank(question, limit=1)
        guess = BestGuess(matches[0].entry.id, matches[0].entry.question, matches[0].confidence) if matches else None
        ticket, created = await self._store.create(
            NewTicket(
                idempotency_key=key,
                token=secrets.token_urlsafe(24),
                requester=Requester(sender.id, sender.aad_object_id, None if anonymous else sender.name, anonymous),
                question=question,
                details=details,
                best_guess=guess,
                requester_reference=dict(where.reference),
                created_at=self._clock(),
            ),
            [OutboxRequest(OutboxKind.POST_TICKET, {})],
        )
        if created:
            self._queued()
            await self._escalated(form.question_id)
        return (cards.confirmation(ticket, self._settings.organisation, repeated=not created),)

    async def _escalated(self, question_id: str | None) -> None:
        """Mark the question that led to a filed ticket as escalated (the curators' report); a
        failure is logged without text and never fails the ticket."""
        if question_id is None or self._questions is None:
            return
        try:
            await self._questions.mark_escalated(question_id)
        except Exception as exc:  # noqa: BLE001 - analytics must never break a ticket
            question_log.warning("question_log_failed error=%s", type(exc).__name__)

    async def confirm_later(self, message: Inbound) -> bool:
        """The replies to `message` could not be delivered in its turn: when it filed a ticket, queue
        the confirmation for the outbox (True), so the staff member still gets their reference and
        is never told to try again. False when `message` filed no ticket."""
        form = message.submit
        if not isinstance(form, HrForm) or form.nonce is None or message.scope is not Scope.PERSONAL:
            return False
        ticket = await self._store.filed_with(_idempotency_key(message.sender.id, form.nonce))
        if ticket is None:
            return False
        confirm = OutboxRequest(OutboxKind.NOTIFY_STAFF, {"notice": cards.CONFIRMATION_NOTICE})
        await self._store.queue(ticket.number, [confirm], now=self._clock())
        self._queued()
        return True

    # --- Helpdesk ------------------------------------------------------------------------

    async def _from_hr_channel(self, message: Inbound, where: Where) -> bool:
        channel = await self.hr_channel()
        if channel is None or message.scope is not Scope.CHANNEL or where.channel_id != channel.channel_id:
            return False
        return channel.team_id is None or where.team_id == channel.team_id

    async def _hr_action(self, message: Inbound, where: Where, submit: TicketAction) -> tuple[Outbound, ...]:
        neutral = (cards.text(self._say(texts.NOT_AVAILABLE)),)
        if not await self._from_hr_channel(message, where):
            return neutral
        action, number, token, version = submit.op, submit.ticket, submit.token, submit.version
        if action is None or number is None or token is None or version is None:
            return neutral
        ticket = await self._store.get(number)
        if ticket is None or not hmac.compare_digest(ticket.token, token) or ticket.version != version:
            return neutral
        sender = message.sender
        actor = Actor(sender.id, sender.aad_object_id, sender.name or self._settings.organisation.helpdesk)
        typed = submit.reply if action is HrAction.REPLY else submit.assignee
        text = clean_text(typed)[: cards.MAX_REPLY_CHARS]
        now = self._clock()
        try:
            after, event = apply(ticket, action, actor, text=text, now=now)
        except Refused:
            return neutral
        deliveries = [OutboxRequest(OutboxKind.UPDATE_CARD, {})]
        if action is HrAction.REPLY:
            deliveries.append(OutboxRequest(OutboxKind.NOTIFY_STAFF, {"notice": "answer", "text": text}))
        elif event.kind in _NOTICE_FOR and not (event.kind == "assigned" and ticket.assignee):
            deliveries.append(OutboxRequest(OutboxKind.NOTIFY_STAFF, {"notice": _NOTICE_FOR[event.kind]}))
        draft = None
        if action is HrAction.SUGGEST_FAQ:
            draft = FaqDraft(ticket.number, ticket.question, ticket.hr_reply or "", actor.name, now)
        if not await self._store.record(ticket, after, event, actor, deliveries, draft):
            return neutral
        self._queued()
        return ()

    async def _register(self, message: Inbound, where: Where) -> str:
        if message.scope is not Scope.CHANNEL or not where.channel_id:
            return texts.REGISTER_CHANNEL_ONLY
        if self._settings.hr_channel_id:
            return texts.REGISTER_CONFIGURED
        if message.sender.aad_object_id not in self._settings.registrars:
            return texts.REGISTER_REFUSED
        channel = HrChannel(where.channel_id, where.team_id, where.service_url)
        await self._store.register_channel(channel, by=message.sender.aad_object_id, now=self._clock())
        return texts.REGISTERED

    @staticmethod
    def _drafts(drafts: tuple[FaqDraft, ...]) -> Outbound:
        if not drafts:
            return cards.text(texts.NO_DRAFTS)
        lines = [texts.DRAFTS_HEADING]
        lines.extend(f"- {reference(d.ticket_number)}: {d.question}\n  {d.answer}" for d in drafts)
        return cards.text("\n".join(lines))
