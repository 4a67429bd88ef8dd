"""A fake Bot Connector for benchmarks, in its own process so it does not slow the bot or driver.

`python -m benchmarks.connector_server PORT`. It never throttles (no 429s, whatever the rate).
GET /stats returns what arrived: `replies` (posts to a conversation), `created` (new
conversations, i.e. ticket posts to the HR channel), `hr_posts` (how many posts named each ticket
reference, e.g. {"HRD-000001": 1}) and `other` (updates and anything else).
"""

from __future__ import annotations

import re
import sys
from collections import Counter

from aiohttp import web

_TICKET_REFERENCE = re.compile(rb"HRD-\d+")


def main(port: int) -> None:
    counts: Counter[str] = Counter()
    hr_posts: Counter[str] = Counter()

    async def record(request: web.Request) -> web.Response:
        body = await request.read()
        if request.method == "POST" and request.path == "/v3/conversations":
            counts["created"] += 1
            found = _TICKET_REFERENCE.search(body)
            hr_posts[found.group().decode() if found else "unknown"] += 1
            return web.json_response(
                {"id": f"19:hr@thread.tacv2;messageid={counts['created']}", "activityId": str(counts["created"])}
            )
        counts["replies" if request.method == "POST" else "other"] += 1
        return web.json_response({"id": f"activity-{sum(counts.values())}"})

    async def stats(_request: web.Request) -> web.Response:
        return web.json_response({**counts, "hr_posts": dict(hr_posts)})

    app = web.Application()
    app.router.add_get("/stats", stats)
    app.router.add_route("*", "/{tail:.*}", record)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


if __name__ == "__main__":
    main(int(sys.argv[1]))
