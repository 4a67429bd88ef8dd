"""The baseline: a bare botbuilder echo bot on the same CloudAdapter, no corpus, no store.

`python -m benchmarks.echo_bot PORT` serves it on 127.0.0.1:PORT in local mode. With `--msrest-fix`
it first applies the process-wide msrest speed-ups this bot makes (`adapters/teams/botbuilder/bot_framework.py`:
the retry policy rebuilt cheaply, plain JSON serialised by the json module), to show what the
bot's own work costs beyond them.
"""

from __future__ import annotations

import sys

from aiohttp import web
from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication


class _NoAuth:
    APP_ID = ""
    APP_PASSWORD = ""
    APP_TYPE = "MultiTenant"
    APP_TENANTID = ""


class EchoBot(ActivityHandler):
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(f"Echo: {turn_context.activity.text}")


def main(port: int, msrest_fix: bool) -> None:
    if msrest_fix:
        from adapters.teams.botbuilder.bot_framework import (
            speed_up_msrest_object_serialization,
            speed_up_msrest_retry_policy,
        )

        speed_up_msrest_retry_policy()
        speed_up_msrest_object_serialization()
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(_NoAuth()))
    bot = EchoBot()

    async def messages(request: web.Request) -> web.Response:
        return await adapter.process(request, bot)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", lambda _r: web.json_response({"status": "ok"}))
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


if __name__ == "__main__":
    main(int(sys.argv[1]), "--msrest-fix" in sys.argv[2:])
