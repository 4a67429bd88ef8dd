"""HR Direct's queue in a private channel (manifest `supportsChannelFeatures`), end to end over real HTTP.

Teams marks a private channel in the activity's channel data (`membershipType: "private"`) and gives it
a thread of its own; the bot must register it, post tickets to it and take the helpdesk's actions there.
"""

from __future__ import annotations

from typing import Any

from tests.fake_connector import FakeConnector, card_of, card_text
from tests.support import (
    REGISTRAR,
    creates,
    file_ticket,
    hr_action,
    hr_card,
    in_hr_channel,
    post,
    serve,
    staff_messages,
    until,
)

PRIVATE_CHANNEL = "19:confidential-hr-queue@thread.skype"
TEAM = "19:people-services@thread.tacv2"


def in_private_channel(
    service_url: str,
    *,
    text: str | None = None,
    value: dict[str, Any] | None = None,
    thread: str = PRIVATE_CHANNEL,
    **sender: str,
) -> dict[str, Any]:
    """A message in the private channel (by an HR agent unless `sender` says otherwise): the HR-channel
    activity with this team and channel."""
    activity = in_hr_channel(service_url, text=text, value=value, thread=thread, **sender)
    activity["channelData"]["team"] = {"id": TEAM, "name": "People Services"}
    activity["channelData"]["channel"] = {"id": PRIVATE_CHANNEL, "name": "HR Direct queue", "membershipType": "private"}
    return activity


async def test_a_private_channel_is_registered_and_works_the_whole_ticket_flow(
    store_url: str, sdk: str, connector: FakeConnector
) -> None:
    async with serve(store_url, sdk) as client:
        await post(
            client,
            in_private_channel(
                connector.url, text="register this channel", user_id="29:lead", aad_object_id=REGISTRAR, name="Lead"
            ),
        )
        registered = (await connector.wait_for(1))[-1]
        assert "now the HR Direct channel" in registered["text"]

        confirmation = await file_ticket(client, connector)
        assert "HRD-000001" in confirmation["text"]

        # The ticket card is posted to the private channel, and only there.
        (create,) = await until(lambda: creates(connector))
        assert create.body["channelData"] == {"channel": {"id": PRIVATE_CHANNEL}}
        card = hr_card(create)
        assert "HRD-000001 · Open" in card_text(card) and "Ada Staff" in card_text(card)

        thread = f"{PRIVATE_CHANNEL};messageid=2"

        async def act(title: str, **typed: str) -> dict[str, Any]:
            nonlocal card
            puts = len([c for c in connector.calls if c.method == "PUT"])
            await post(
                client, in_private_channel(connector.url, value={**hr_action(card, title), **typed}, thread=thread)
            )
            card = card_of((await until(lambda: [c for c in connector.calls if c.method == "PUT"][puts:]))[-1].body)
            return card

        assigned = await act("Assign to me")
        assert "HRD-000001 · Assigned" in card_text(assigned) and "Bea Agent" in card_text(assigned)
        await until(lambda: any("picked up" in (m.get("text") or "") for m in staff_messages(connector)))

        await act("Reply", reply="Yes: book it with the duty manager.")
        answer = await until(
            lambda: [
                m for m in staff_messages(connector) if m.get("attachments") and "answered" in m.get("summary", "")
            ]
        )
        assert "Yes: book it with the duty manager." in card_text(card_of(answer[0]))

        resolved = await act("Resolve")
        assert card_text(resolved).startswith("HRD-000001 · Resolved")


async def test_personal_commands_in_the_private_channel_point_to_the_1to1_chat(
    store_url: str, sdk: str, connector: FakeConnector
) -> None:
    async with serve(store_url, sdk) as client:
        await post(client, in_private_channel(connector.url, text="my requests"))
        reply = (await connector.wait_for(1))[-1]
        assert reply["text"] == "To ask HR Direct, please message me in a 1:1 chat so your question stays private."
        assert reply["conversation"]["id"] == PRIVATE_CHANNEL
