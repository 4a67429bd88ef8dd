"""The curators' report is fed by what staff do over real HTTP: a 👍 on an answer and asking the
helpdesk after it show in `faqbot report` as helpful and escalated-after for that entry."""

from __future__ import annotations

import asyncio
import csv
import io
from typing import Any

from adapters.cli.report_command import run_report
from tests import activities
from tests.fake_connector import FakeConnector, card_of
from tests.support import SHIPPED_CORPUS, creates, outbox_drained, post, register, reply_to, serve, submit_data, until

QUESTION = "Can liking a post on social media be a cause for concern for me?"


async def entry_figures(database_url: str, entry_id: str) -> dict[str, str]:
    """What `faqbot report --format csv` says about `entry_id` (the command runs its own event loop)."""
    out = io.StringIO()
    code = await asyncio.to_thread(
        run_report, database_url=database_url, corpus_dir=SHIPPED_CORPUS, since=None, fmt="csv", output=None, out=out
    )
    assert code == 0
    return {
        row["measure"]: row["value"]
        for row in csv.DictReader(io.StringIO(out.getvalue()))
        if row["section"] == "entry" and row["key"] == entry_id
    }


async def figures_once(database_url: str, entry_id: str, measure: str, value: str) -> dict[str, str]:
    async with asyncio.timeout(8):
        while (figures := await entry_figures(database_url, entry_id)).get(measure) != value:
            await asyncio.sleep(0.1)
    return figures


def vote_up(card: dict[str, Any]) -> dict[str, Any]:
    """The data of 👍 as the Action.Submit fallback sends it (clients without Action.Execute)."""
    for block in card["body"]:
        for action in block.get("actions", []) if block.get("type") == "ActionSet" else []:
            if action.get("type") == "Action.Execute" and action["data"].get("vote") == "up":
                return action["fallback"]["data"]
    raise AssertionError("no 👍 on the answer card")


async def test_a_vote_and_an_escalation_after_an_answer_reach_the_report(
    store_url: str, sdk: str, connector: FakeConnector
) -> None:
    async with serve(store_url, sdk) as client:
        await register(client, connector)
        answer = card_of(await reply_to(client, connector, activities.message(connector.url, QUESTION)))
        await figures_once(store_url, "liking-posts", "answered", "1")

        await post(client, activities.message(connector.url, value=vote_up(answer)))
        ask = next(a for a in answer["actions"] if a["title"] == "Ask HR Direct")
        form = card_of(await reply_to(client, connector, activities.message(connector.url, value=ask["data"])))
        await post(
            client,
            activities.message(
                connector.url, value={**submit_data(form), "question": QUESTION, "details": "", "identity": "named"}
            ),
        )
        await until(lambda: creates(connector))
        await outbox_drained(store_url)

        figures = await figures_once(store_url, "liking-posts", "escalated_after", "1")
        assert figures == {"answered": "1", "helpful": "1", "unhelpful": "0", "escalated_after": "1"}
