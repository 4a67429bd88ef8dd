"""HR Direct end to end over real HTTP, with the fake Bot Connector, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import pytest
import sqlalchemy as sa

from adapters.store import create_engine
from adapters.store.tables import ticket_outbox
from adapters.store.tickets import SqlTicketStore
from adapters.teams.ticket_courier import OutboxBackoff
from tests import activities
from tests.fake_connector import FakeConnector, card_of, card_text
from tests.support import (
    CREATE,
    HR_CHANNEL,
    QUESTION,
    REGISTRAR,
    creates,
    file_ticket,
    hr_action,
    hr_card,
    in_hr_channel,
    outbox_drained,
    post,
    register,
    reply_to,
    serve,
    staff_messages,
    submit_data,
    until,
)


async def test_full_loop_staff_ticket_hr_assign_reply_staff_gets_answer(
    store_url: str, sdk: str, connector: FakeConnector
) -> None:
    async with serve(store_url, sdk) as client:
        await register(client, connector)
        confirmation = await file_ticket(client, connector)
        assert "HRD-000001" in confirmation["text"]

        (create,) = await until(lambda: creates(connector))
        assert create.body["channelData"] == {"channel": {"id": HR_CHANNEL}}
        card = hr_card(create)
        shown = card_text(card)
        assert QUESTION in shown and "I work nights." in shown and "Ada Staff" in shown
        assert "HRD-000001 · Open" in shown and "Bot's best guess" in shown
        assert create.size < 28_000

        thread = "19:hr-direct@thread.tacv2;messageid=2"
        await post(client, in_hr_channel(connector.url, value=hr_action(card, "Assign to me"), thread=thread))
        updates = await until(lambda: [c for c in connector.calls if c.method == "PUT"])
        # The card is updated in place: PUT on the thread the post created, with the post's id.
        assert re.fullmatch(r"/v3/conversations/19:hr@thread\.tacv2;messageid=(\d+)/activities/\1", updates[0].path)
        assigned = card_of(updates[0].body)
        assert "HRD-000001 · Assigned" in card_text(assigned) and "Bea Agent" in card_text(assigned)
        await until(lambda: any("picked up" in (m.get("text") or "") for m in staff_messages(connector)))

        reply = {**hr_action(assigned, "Reply"), "reply": "Yes: **book** it with the duty manager."}
        await post(client, in_hr_channel(connector.url, value=reply, thread=thread))
        answer = await until(
            lambda: [
                m for m in staff_messages(connector) if m.get("attachments") and "answered" in m.get("summary", "")
            ]
        )
        shown = card_text(card_of(answer[0]))
        assert "HRD-000001" in shown and "Yes: **book** it with the duty manager." in shown
        runs = [b for b in card_of(answer[0])["body"] if b["type"] == "RichTextBlock"]
        assert any(i["text"] == "Yes: **book** it with the duty manager." for b in runs for i in b["inlines"])

        mine = await reply_to(client, connector, activities.message(connector.url, "my requests"))
        assert "HRD-000001 (Assigned" in mine["text"]


async def test_resolve_reopen_and_suggest_as_faq(store_url: str, sdk: str, connector: FakeConnector) -> None:
    async with serve(store_url, sdk) as client:
        await register(client, connector)
        await file_ticket(client, connector)
        (create,) = await until(lambda: creates(connector))
        thread = "19:hr-direct@thread.tacv2;messageid=2"
        card = hr_card(create)

        async def act(title: str, **typed: str) -> dict[str, Any]:
            nonlocal card
            puts = len([c for c in connector.calls if c.method == "PUT"])
            await post(client, in_hr_channel(connector.url, value={**hr_action(card, title), **typed}, thread=thread))
            card = card_of((await until(lambda: [c for c in connector.calls if c.method == "PUT"][puts:]))[-1].body)
            return card

        await act("Reply", reply="Ask your line manager's deputy.")
        assert "Resolved" in card_text(await act("Resolve"))
        assert "Open" not in card_text(card).split("\n")[0]
        await act("Reopen")
        assert "HRD-000001 · Assigned" in card_text(card)
        await act("Resolve")
        await act("Suggest as FAQ")
        assert "Suggested as an FAQ" in card_text(card)
        await until(lambda: any("reopened" in (m.get("text") or "") for m in staff_messages(connector)))

        before = len(connector.activities())
        await post(client, in_hr_channel(connector.url, text="faq drafts"))
        drafts = (await connector.wait_for(before + 1))[-1]["text"]
        assert "HRD-000001" in drafts and "Ask your line manager's deputy." in drafts


async def test_anonymous_ticket_shows_no_identity_to_hr(store_url: str, sdk: str, connector: FakeConnector) -> None:
    async with serve(store_url, sdk) as client:
        await register(client, connector)
        await file_ticket(client, connector, identity="anonymous")
        (create,) = await until(lambda: creates(connector))
        raw = json.dumps(create.body["activity"])
        for identity in ("Ada Staff", "aad-staff-1", "29:staff-member", "staff-conversation"):
            assert identity not in raw
        assert "Requester: \nAnonymous" in card_text(hr_card(create))


async def test_resubmitting_the_same_form_makes_one_ticket(store_url: str, sdk: str, connector: FakeConnector) -> None:
    async with serve(store_url, sdk) as client:
        await register(client, connector)
        no_answer = await reply_to(client, connector, activities.message(connector.url, QUESTION))
        ask = next(a for a in card_of(no_answer)["actions"] if a["title"] == "Ask HR Direct")
        form = card_of(await reply_to(client, connector, activities.message(connector.url, value=ask["data"])))
        submitted = {**submit_data(form), "question": QUESTION, "identity": "named"}
        first = activities.message(connector.url, value=submitted)
        assert "HRD-000001" in (await reply_to(client, connector, first))["text"]
        await post(client, first)  # the same activity re-delivered
        again = await reply_to(client, connector, activities.message(connector.url, value=submitted))  # new id
        assert "already sent" in again["text"] and "HRD-000001" in again["text"]
        await outbox_drained(store_url)
        assert len(creates(connector)) == 1
    engine = create_engine(store_url)
    try:
        store = SqlTicketStore(engine)
        assert [t.reference for t in await store.for_requester("29:staff-member")] == ["HRD-000001"]
    finally:
        await engine.dispose()


async def test_throttled_post_is_retried_after_retry_after_and_delivered_once(
    store_url: str, sdk: str, connector: FakeConnector
) -> None:
    connector.scripted_paths[CREATE] = [(429, {"Retry-After": "1"}), (502, {})]
    async with serve(store_url, sdk) as client:
        await register(client, connector)
        await file_ticket(client, connector)
        started = asyncio.get_running_loop().time()
        await until(lambda: len(creates(connector)) == 3)
        assert asyncio.get_running_loop().time() - started >= 0.9  # Retry-After: 1 was honoured
        await outbox_drained(store_url)
        assert len(creates(connector)) == 3  # two refusals, then exactly one delivery


async def test_undelivered_ticket_is_delivered_after_a_restart(
    store_url: str, sdk: str, connector: FakeConnector
) -> None:
    connector.scripted_paths[CREATE] = [(503, {})]
    async with serve(store_url, sdk, OutboxBackoff(base_seconds=0.5, jitter=0.0, poll_seconds=0.1)) as client:
        await register(client, connector)
        await file_ticket(client, connector)
        await until(lambda: refusal_recorded(store_url))
    assert len(creates(connector)) == 1  # refused, and the bot stopped before retrying
    async with serve(store_url, sdk):
        await until(lambda: len(creates(connector)) == 2)
        assert "HRD-000001" in card_text(hr_card(creates(connector)[-1]))


async def refusal_recorded(database_url: str) -> bool:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            errors = (await connection.execute(sa.select(ticket_outbox.c.last_error))).scalars().all()
    finally:
        await engine.dispose()
    return "http:503" in errors


async def test_forged_and_stale_hr_actions_change_nothing(store_url: str, sdk: str, connector: FakeConnector) -> None:
    async with serve(store_url, sdk) as client:
        await register(client, connector)
        await file_ticket(client, connector)
        (create,) = await until(lambda: creates(connector))
        assign = hr_action(hr_card(create), "Assign to me")
        thread = "19:hr-direct@thread.tacv2;messageid=2"
        attempts = [
            activities.message(connector.url, value=assign),  # the staff member's own chat
            in_hr_channel(connector.url, value={**assign, "token": "guessed-token-0000000000"}, thread=thread),
            in_hr_channel(connector.url, value={**assign, "version": assign["version"] + 1}, thread=thread),
            in_hr_channel(connector.url, value={**assign, "op": "delete"}, thread=thread),
            # JSON true is not ticket 1; a number no database column holds is no ticket at all.
            in_hr_channel(connector.url, value={**assign, "ticket": True}, thread=thread),
            in_hr_channel(connector.url, value={**assign, "ticket": 10**30}, thread=thread),
            in_hr_channel(connector.url, value={**assign, "version": True}, thread=thread),
        ]
        other_channel = in_hr_channel(connector.url, value=assign, thread="19:general@thread.tacv2")
        other_channel["channelData"]["channel"]["id"] = "19:general@thread.tacv2"
        attempts.append(other_channel)
        for attempt in attempts:
            reply = await reply_to(client, connector, attempt)
            assert reply["text"] == "Sorry, that button is no longer available."
        await outbox_drained(store_url)  # an accepted action would have queued a card update
        assert [c for c in connector.calls if c.method == "PUT"] == []
    engine = create_engine(store_url)
    try:
        ticket = await SqlTicketStore(engine).get(1)
        assert ticket is not None and ticket.version == 1 and ticket.assignee is None
    finally:
        await engine.dispose()


async def test_only_registrars_can_register_and_without_a_channel_the_url_or_note_remains(
    store_url: str, sdk: str, connector: FakeConnector
) -> None:
    async with serve(store_url, sdk) as client:
        no_answer = await reply_to(client, connector, activities.message(connector.url, QUESTION))
        assert all(a["type"] != "Action.Submit" for a in card_of(no_answer)["actions"])
        refused = await reply_to(client, connector, in_hr_channel(connector.url, text="register this channel"))
        assert "FAQBOT_HR_REGISTRARS" in refused["text"]
        asked = await reply_to(client, connector, activities.message(connector.url, "ask hr direct"))
        assert "isn't set up" in asked["text"]


@pytest.mark.parametrize("text", ["my requests", "ask hr direct"])
async def test_ticket_commands_in_a_channel_point_to_the_private_chat(
    store_url: str, sdk: str, connector: FakeConnector, text: str
) -> None:
    async with serve(store_url, sdk) as client:
        await register(client, connector)
        reply = await reply_to(client, connector, in_hr_channel(connector.url, text=text))
        assert "1:1 chat" in reply["text"]


async def test_configured_channel_wins_and_receives_tickets(store_url: str, sdk: str, connector: FakeConnector) -> None:
    async with serve(store_url, sdk, hr_channel_id=HR_CHANNEL) as client:
        refused = await reply_to(
            client,
            connector,
            in_hr_channel(
                connector.url, text="register this channel", aad_object_id=REGISTRAR, user_id="29:lead", name="Lead"
            ),
        )
        assert "FAQBOT_HR_CHANNEL_ID" in refused["text"]
        assert "HRD-000001" in (await file_ticket(client, connector))["text"]
        (create,) = await until(lambda: creates(connector))
        assert create.body["channelData"] == {"channel": {"id": HR_CHANNEL}}


async def test_a_failed_confirmation_is_delivered_later_and_never_says_try_again(
    store_url: str, sdk: str, connector: FakeConnector
) -> None:
    async with serve(store_url, sdk) as client:
        await register(client, connector)
        no_answer = await reply_to(client, connector, activities.message(connector.url, QUESTION))
        ask = next(a for a in card_of(no_answer)["actions"] if a["title"] == "Ask HR Direct")
        form = card_of(await reply_to(client, connector, activities.message(connector.url, value=ask["data"])))
        submit = activities.message(
            connector.url, value={**submit_data(form), "question": QUESTION, "details": "", "identity": "named"}
        )
        # The connector fails the reply carrying the confirmation, once.
        connector.scripted_paths[f"/v3/conversations/a:staff-conversation/activities/{submit['id']}"] = [(500, {})]
        response = await client.post("/api/messages", json=submit)
        assert response.status in {200, 201}

        await until(lambda: creates(connector))  # the ticket was filed and posted to HR Direct
        confirmations = await until(
            lambda: [
                m for m in staff_messages(connector) if "your question is with HR Direct" in (m.get("text") or "")
            ][1:]
        )
        assert "Your reference is HRD-000001" in confirmations[0]["text"]  # the re-delivery, from the outbox
        assert not [m for m in staff_messages(connector) if "went wrong" in (m.get("text") or "")]
        await outbox_drained(store_url)
        assert (
            len([m for m in staff_messages(connector) if "your question is with HR Direct" in (m.get("text") or "")])
            == 2
        )
