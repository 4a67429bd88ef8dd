"""One chat flooding beside other people: `python -m benchmarks.flood [--messages 300] [--seconds 10] [--people 20]`.

A real `faqbot run` process (local mode, fresh SQLite file, default limits) and the fake Bot
Connector (`benchmarks/connector_server.py`) in their own processes. One conversation sends
`--messages` messages spread evenly over `--seconds`; meanwhile `--people` other people each ask
one question at an even spacing over the same time. Prints, as JSON: what the other people got
(statuses; how many refused), what the flooding chat got (answered, acknowledged without a turn,
refused), and request times (p50, max, how many over Teams' 15 s).

Target (issue 19): 0 of the other people refused, no request held longer than 15 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp

from benchmarks.load import free_port, server

QUESTION = "Can liking a post on social media be a cause for concern for me?"


def activity(connector: str, number: int, conversation: str, user: str) -> dict[str, Any]:
    return {
        "type": "message",
        "id": f"flood-{number}",
        "channelId": "msteams",
        "serviceUrl": connector,
        "from": {"id": user, "name": "Bench"},
        "recipient": {"id": "28:bot", "name": "HR Policy FAQ"},
        "conversation": {"id": conversation, "conversationType": "personal", "tenantId": "t"},
        "channelData": {"tenant": {"id": "t"}},
        "text": QUESTION,
    }


async def run(messages: int, seconds: float, people: int) -> dict[str, Any]:
    connector_port, bot_port = free_port(), free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "PORT": str(bot_port),
            "FAQBOT_LOCAL_MODE": "1",
            "FAQBOT_LOG_LEVEL": "WARNING",
            "FAQBOT_DATABASE_URL": f"sqlite:///{Path(tmp) / 'bot.sqlite3'}",
            "FAQBOT_METRICS_PORT": "0",
        }
        async with (
            server(["-m", "benchmarks.connector_server", str(connector_port)], connector_port, {}),
            server(["app.py", "run"], bot_port, env),
        ):
            connector = f"http://127.0.0.1:{connector_port}/"
            url = f"http://127.0.0.1:{bot_port}/api/messages"
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:

                async def send(body: dict[str, Any], at: float, started: float) -> tuple[int, float]:
                    await asyncio.sleep(max(0.0, started + at - time.monotonic()))
                    sent = time.monotonic()
                    async with session.post(url, json=body) as response:
                        return response.status, time.monotonic() - sent

                started = time.monotonic() + 0.5
                flood = [
                    send(activity(connector, n, "a:flood", "29:flooder"), n * seconds / messages, started)
                    for n in range(messages)
                ]
                others = [
                    send(
                        activity(connector, messages + n, f"a:person-{n}", f"29:person-{n}"),
                        (n + 0.5) * seconds / people,
                        started,
                    )
                    for n in range(people)
                ]
                results = await asyncio.gather(*flood, *others)
    flooded, asked = results[:messages], results[messages:]
    times = [duration for _, duration in results]
    return {
        "messages": messages,
        "seconds": seconds,
        "people": people,
        "others": {
            "statuses": dict(Counter(status for status, _ in asked)),
            "refused": sum(status != 201 for status, _ in asked),
        },
        "flood": {
            "answered": sum(status == 201 for status, _ in flooded),
            "acknowledged_without_turn": sum(status == 200 for status, _ in flooded),
            "refused": sum(status >= 400 for status, _ in flooded),
        },
        "request_seconds": {
            "p50": round(statistics.median(times), 3),
            "max": round(max(times), 3),
            "over_15s": sum(duration > 15 for duration in times),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--people", type=int, default=20)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.messages, args.seconds, args.people)), indent=2))


if __name__ == "__main__":
    main()
