"""A fake Bot Connector for benchmarks, in its own process so it does not slow the bot or driver.

`python -m benchmarks.connector_server PORT`; GET /stats returns how many activities arrived.
"""

from __future__ import annotations

import sys
from collections import Counter

from aiohttp import web


def main(port: int) -> None:
    counts: Counter[str] = Counter()

    async def record(request: web.Request) -> web.Response:
        await request.read()
        counts[request.method] += 1
        if request.method == "POST" and request.path == "/v3/conversations":
            return web.json_response({"id": f"19:hr@thread.tacv2;messageid={counts['POST']}",
                                      "activityId": str(counts["POST"])})
        return web.json_response({"id": f"activity-{sum(counts.values())}"})

    async def stats(_request: web.Request) -> web.Response:
        return web.json_response(dict(counts))

    app = web.Application()
    app.router.add_get("/stats", stats)
    app.router.add_route("*", "/{tail:.*}", record)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


if __name__ == "__main__":
    main(int(sys.argv[1]))
