"""Composition root: builds the bot from settings and runs it. Nothing happens at import time.

Usage: `python app.py [run|chat]` (or the `faqbot` console script).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import AsyncIterator, Sequence

from aiohttp import web

from adapters.bot_framework import BotFrameworkGateway, build_adapter
from adapters.console import chat
from adapters.http import MAX_BODY_BYTES, create_routes
from adapters.settings import Settings, SettingsError
from adapters.store import DeliveryLedger, StoreError, create_engine, migrate
from adapters.structured_log import configure_logging
from adapters.store.tickets import SqlTicketStore
from adapters.teams_handler import FaqBot
from adapters.ticket_delivery import RetryPolicy, TicketCourier
from bot import CardSettings, Dialogue, DialogueSettings
from bot.escalation import Escalation, EscalationSettings
from knowledge import CorpusError, Matcher, load_corpus

log = logging.getLogger("faqbot")


def build_dialogue(settings: Settings, matcher: Matcher | None = None) -> Dialogue:
    """The dialogue over the configured corpus; raises CorpusError for a bad corpus."""
    matcher = matcher or Matcher(load_corpus(settings.corpus_dir))
    return Dialogue(
        matcher,
        DialogueSettings(
            answer_at=settings.answer_threshold,
            suggest_at=settings.suggest_threshold,
            ambiguity_gap=settings.ambiguity_gap,
        ),
    )


def card_settings(settings: Settings) -> CardSettings:
    return CardSettings(hr_direct_url=settings.hr_direct_url)


def create_app(settings: Settings, *, outbox_policy: RetryPolicy | None = None) -> web.Application:
    """The aiohttp application serving the bot; fails fast on a bad corpus.

    HR Direct deliveries (ticket cards, staff notices) run in a background task started after the
    store is migrated, so they never hold up the HTTP acknowledgement of a turn.
    """
    engine = create_engine(settings.database_url)
    matcher = Matcher(load_corpus(settings.corpus_dir))
    tickets = SqlTicketStore(engine)
    escalation = Escalation(
        tickets,
        matcher,
        EscalationSettings(hr_channel_id=settings.hr_channel_id, registrars=settings.hr_registrar_ids),
    )
    bot = FaqBot(build_dialogue(settings, matcher), card_settings(settings), escalation)
    adapter = build_adapter(settings)
    courier = TicketCourier(adapter, tickets, escalation.hr_channel, app_id=settings.app_id, policy=outbox_policy)
    escalation.on_queued(courier.nudge)
    gateway = BotFrameworkGateway(adapter, bot, DeliveryLedger(engine))
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.add_routes(create_routes(gateway, local_mode=settings.local_mode))

    async def store(_app: web.Application) -> AsyncIterator[None]:
        await migrate(engine)
        worker = asyncio.create_task(courier.run(), name="ticket-outbox")
        yield
        worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await worker
        await engine.dispose()

    app.cleanup_ctx.append(store)
    return app


def _run(settings: Settings) -> None:
    if settings.local_mode:
        log.warning(
            "LOCAL MODE: no MicrosoftAppId set, so requests are NOT authenticated. "
            "Listening on %s only. Never expose this to a network.",
            settings.bind_host,
        )
    app = create_app(settings)
    log.info("listening on http://%s:%d/api/messages", settings.bind_host, settings.port)
    web.run_app(app, host=settings.bind_host, port=settings.port, print=None, access_log=None)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="faqbot", description="HR policy FAQ bot for Microsoft Teams")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="serve the bot on /api/messages (default)")
    commands.add_parser("chat", help="chat with the bot in this terminal")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env(os.environ)
    except SettingsError as exc:
        print(f"faqbot: configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    try:
        if args.command == "chat":
            asyncio.run(chat(build_dialogue(settings), card_settings(settings), sys.stdin, sys.stdout))
        else:
            _run(settings)
    except CorpusError as exc:
        print(f"faqbot: the corpus cannot be served: {exc}", file=sys.stderr)
        return 3
    except StoreError as exc:
        print(f"faqbot: the store cannot be used: {exc}", file=sys.stderr)
        return 4
    return 0


if __name__ == "__main__":
    sys.exit(main())
