"""The helpdesk flows with the tickets kept in memory: what staff and HR see, and what gets queued."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot import Inbound, Outbound, Scope, Sender
from bot.escalation import Escalation, EscalationSettings, Where
from bot.memory import InMemoryTicketStore
from bot.submits import parse_submit
from bot.ticket_cards import hr_data
from bot.tickets import HrAction, HrChannel, OutboxKind, TicketStatus
from knowledge import Ranker
from tests.fake_connector import card_text
from tests.organisations import NHSBT

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
STAFF = Sender(id="29:staff", aad_object_id="aad-staff", name="Ada Staff")
HR = Sender(id="29:hr", aad_object_id="aad-hr", name="Hal HR")
REGISTRAR = Sender(id="29:reg", aad_object_id="aad-registrar", name="Rae")
CHAT = Where(channel_id=None, team_id=None, service_url="https://smba.example", reference={"conversation": "1:1"})
HR_CHANNEL = Where(channel_id="19:hr@thread", team_id="team-1", service_url="https://smba.example", reference={})
GENERAL = Where(channel_id="19:general@thread", team_id="team-1", service_url="https://smba.example", reference={})
QUESTION = "Can I carry over more than five days of annual leave?"


class Wakeups:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> None:
        self.count += 1


@pytest.fixture
def store() -> InMemoryTicketStore:
    return InMemoryTicketStore()


@pytest.fixture
def wakeups() -> Wakeups:
    return Wakeups()


@pytest.fixture
def escalation(store: InMemoryTicketStore, ranker: Ranker, wakeups: Wakeups) -> Escalation:
    settings = EscalationSettings(NHSBT, registrars=frozenset({"aad-registrar"}))
    return Escalation(store, ranker, settings, clock=lambda: NOW, queued=wakeups)


def said(text: str, sender: Sender = STAFF, scope: Scope = Scope.PERSONAL) -> Inbound:
    return Inbound(text=text, sender=sender, conversation_id="a:1", scope=scope, mentions_bot=True)


def pressed(value: dict[str, Any], sender: Sender = STAFF, scope: Scope = Scope.PERSONAL) -> Inbound:
    return Inbound(text="", sender=sender, conversation_id="a:1", scope=scope, submit=parse_submit(value))


def shown(replies: tuple[Outbound, ...] | None) -> str:
    assert replies is not None
    return "\n".join(card_text(m.card) if m.card else m.text or "" for m in replies)


async def registered(escalation: Escalation) -> None:
    reply = await escalation.handle(said("register this channel", REGISTRAR, Scope.CHANNEL), HR_CHANNEL)
    assert "is now the HR Direct channel" in shown(reply)


async def filed(escalation: Escalation, *, nonce: str = "n" * 24, anonymous: bool = False) -> tuple[Outbound, ...]:
    form = await escalation.handle(said("ask hr direct"), CHAT)
    assert form is not None and form[0].card is not None
    value = {
        **form[0].card["actions"][0]["data"],
        "question": QUESTION,
        "details": "part-time",
        "identity": "anonymous" if anonymous else "named",
        "nonce": nonce,
    }
    replies = await escalation.handle(pressed(value), CHAT)
    assert replies is not None
    return replies


async def test_messages_that_are_not_about_tickets_are_left_to_the_others(escalation: Escalation) -> None:
    assert await escalation.handle(said("how much annual leave do I get"), CHAT) is None
    assert await escalation.handle(pressed({"action": "show-entry", "entry": "x"}), CHAT) is None
    assert await escalation.handle(pressed({"action": "command", "command": "topics"}), CHAT) is None


async def test_without_a_helpdesk_channel_staff_are_told_where_else_to_go(escalation: Escalation) -> None:
    assert await escalation.hr_channel() is None
    assert "isn't set up to receive questions" in shown(await escalation.handle(said("Ask HR Direct!"), CHAT))


async def test_asking_the_helpdesk_is_private(escalation: Escalation) -> None:
    await registered(escalation)
    in_channel = await escalation.handle(said("ask hr direct", scope=Scope.CHANNEL), GENERAL)
    assert "please message me in a 1:1 chat" in shown(in_channel)


async def test_a_filed_form_makes_one_ticket_and_queues_its_post_once(
    escalation: Escalation, store: InMemoryTicketStore, wakeups: Wakeups
) -> None:
    await registered(escalation)
    assert "Your reference is HRD-000001" in shown(await filed(escalation))
    again = await filed(escalation)  # the same form sent twice
    assert "already sent this question" in shown(again) and "HRD-000001" in shown(again)
    assert [(q.ticket_number, q.delivery.kind) for q in store.queued] == [(1, OutboxKind.POST_TICKET)]
    assert wakeups.count == 1
    (ticket,) = await store.for_requester(STAFF.id)
    assert ticket.question == QUESTION and ticket.details == "part-time" and ticket.requester.name == "Ada Staff"


async def test_an_anonymous_ticket_keeps_no_name(escalation: Escalation, store: InMemoryTicketStore) -> None:
    await registered(escalation)
    await filed(escalation, anonymous=True)
    ticket = await store.get(1)
    assert ticket is not None and ticket.requester.anonymous and ticket.requester.name is None


@pytest.mark.parametrize(
    ("changes", "expected"),
    [({"nonce": "short"}, "that button is no longer available"), ({"question": "  "}, "Please type your question")],
)
async def test_a_malformed_form_gets_a_polite_reply_and_files_nothing(
    escalation: Escalation, store: InMemoryTicketStore, changes: dict[str, str], expected: str
) -> None:
    await registered(escalation)
    value = {"action": "hrd-submit", "nonce": "n" * 24, "question": QUESTION, **changes}
    assert expected in shown(await escalation.handle(pressed(value), CHAT))
    assert await store.for_requester(STAFF.id) == ()


async def test_my_requests_lists_the_staff_members_own_tickets_in_private(escalation: Escalation) -> None:
    await registered(escalation)
    assert "haven't sent any questions" in shown(await escalation.handle(said("my requests"), CHAT))
    await filed(escalation)
    assert "HRD-000001 (Open" in shown(await escalation.handle(said("My requests."), CHAT))
    assert "1:1 chat" in shown(await escalation.handle(said("my requests", scope=Scope.GROUP_CHAT), CHAT))


async def test_hr_works_a_ticket_from_its_channel_and_staff_are_notified(
    escalation: Escalation, store: InMemoryTicketStore
) -> None:
    await registered(escalation)
    await filed(escalation)
    ticket = await store.get(1)
    assert ticket is not None
    assign = pressed(hr_data(ticket, HrAction.ASSIGN_ME), HR, Scope.CHANNEL)
    assert await escalation.handle(assign, HR_CHANNEL) == ()
    assigned = await store.get(1)
    assert assigned is not None and assigned.status is TicketStatus.ASSIGNED and assigned.assignee == "Hal HR"
    reply = pressed({**hr_data(assigned, HrAction.REPLY), "reply": " Yes, up to ten days. "}, HR, Scope.CHANNEL)
    assert await escalation.handle(reply, HR_CHANNEL) == ()
    kinds = [(q.delivery.kind, dict(q.delivery.payload)) for q in store.queued[1:]]
    assert kinds == [
        (OutboxKind.UPDATE_CARD, {}),
        (OutboxKind.NOTIFY_STAFF, {"notice": "assigned"}),
        (OutboxKind.UPDATE_CARD, {}),
        (OutboxKind.NOTIFY_STAFF, {"notice": "answer", "text": "Yes, up to ten days."}),
    ]
    assert [event.kind for event in await store.history(1)] == ["created", "assigned", "replied"]


async def test_a_stale_forged_or_misplaced_hr_button_changes_nothing(
    escalation: Escalation, store: InMemoryTicketStore
) -> None:
    await registered(escalation)
    await filed(escalation)
    ticket = await store.get(1)
    assert ticket is not None
    assign = hr_data(ticket, HrAction.ASSIGN_ME)
    attempts = [
        (pressed(assign, HR, Scope.PERSONAL), CHAT),
        (pressed(assign, HR, Scope.CHANNEL), GENERAL),
        (pressed({**assign, "token": "guessed-token-0000000000"}, HR, Scope.CHANNEL), HR_CHANNEL),
        (pressed({**assign, "version": 2}, HR, Scope.CHANNEL), HR_CHANNEL),
        (pressed({**assign, "op": "delete"}, HR, Scope.CHANNEL), HR_CHANNEL),
        (pressed({**assign, "ticket": True}, HR, Scope.CHANNEL), HR_CHANNEL),
        (pressed(hr_data(ticket, HrAction.REOPEN), HR, Scope.CHANNEL), HR_CHANNEL),  # not resolved: refused
    ]
    for message, where in attempts:
        assert "that button is no longer available" in shown(await escalation.handle(message, where))
    assert await store.get(1) == ticket and len(store.queued) == 1


async def test_a_resolved_answer_suggested_as_faq_waits_for_curators(
    escalation: Escalation, store: InMemoryTicketStore
) -> None:
    await registered(escalation)
    await filed(escalation)
    for op, extra in [
        (HrAction.REPLY, {"reply": "Up to ten days."}),
        (HrAction.RESOLVE, {}),
        (HrAction.SUGGEST_FAQ, {}),
    ]:
        current = await store.get(1)
        assert current is not None
        assert await escalation.handle(pressed({**hr_data(current, op), **extra}, HR, Scope.CHANNEL), HR_CHANNEL) == ()
    drafts = shown(await escalation.handle(said("faq drafts", HR, Scope.CHANNEL), HR_CHANNEL))
    assert "HRD-000001: " + QUESTION in drafts and "Up to ten days." in drafts
    assert await escalation.handle(said("faq drafts", HR, Scope.CHANNEL), GENERAL) is None  # only in the HR channel


async def test_only_a_registrar_registers_the_channel_and_configuration_wins(
    store: InMemoryTicketStore, ranker: Ranker
) -> None:
    escalation = Escalation(store, ranker, EscalationSettings(NHSBT, registrars=frozenset({"aad-registrar"})))
    assert "Only the people named" in shown(
        await escalation.handle(said("register this channel", HR, Scope.CHANNEL), HR_CHANNEL)
    )
    assert "in the channel" in shown(await escalation.handle(said("register this channel", REGISTRAR), CHAT))
    assert await escalation.hr_channel() is None
    configured = Escalation(store, ranker, EscalationSettings(NHSBT, hr_channel_id="19:configured@thread"))
    assert await configured.hr_channel() == HrChannel("19:configured@thread", None, None)
    refused = await configured.handle(said("register this channel", REGISTRAR, Scope.CHANNEL), HR_CHANNEL)
    assert "set in the bot's configuration" in shown(refused)


async def test_a_confirmation_its_turn_could_not_deliver_is_queued_once_filed(
    escalation: Escalation, store: InMemoryTicketStore
) -> None:
    await registered(escalation)
    form = await escalation.handle(said("ask hr direct"), CHAT)
    assert form is not None and form[0].card is not None
    submit = pressed({**form[0].card["actions"][0]["data"], "question": QUESTION, "details": "", "identity": "named"})
    assert await escalation.confirm_later(submit) is False  # nothing filed yet: nothing to confirm
    await escalation.handle(submit, CHAT)
    assert await escalation.confirm_later(submit) is True
    assert [(q.ticket_number, q.delivery.kind, dict(q.delivery.payload)) for q in store.queued][-1] == (
        1,
        OutboxKind.NOTIFY_STAFF,
        {"notice": "confirmation"},
    )
    assert await escalation.confirm_later(said("how much annual leave do I get")) is False
