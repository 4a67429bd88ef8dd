"""Composition root: builds the bot from settings and runs it. Nothing happens at import time.

Usage: `python app.py [run|chat]` (or the `faqbot` console script).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import AsyncIterator, Sequence
from typing import Any

from aiohttp import web

from adapters.activity_policy import ActivityPolicy
from adapters.bot_framework import BotFrameworkGateway, build_adapter
from adapters.channel_auth import ChannelTokenValidator, KeySource, SigningKeys, SigningKeysUnavailable
from adapters.console import chat
from adapters.http import MAX_BODY_BYTES, create_routes, metrics_middleware
from adapters.inbound_guard import InboundGuard
from adapters.metrics import Metrics, metrics_routes
from adapters.outbound_delivery import OutboundDelivery
from adapters.readiness import CorpusLoaded, ReadinessCheck
from adapters.settings import Settings, SettingsError
from adapters.structured_log import configure_logging
from adapters.teams_handler import FaqBot, Responder
from bot import CardSettings, Dialogue, DialogueSettings, Reply
from knowledge import CorpusError, Matcher, load_corpus

log = logging.getLogger("faqbot")


def build_dialogue(settings: Settings) -> Dialogue:
    """The dialogue over the configured corpus; raises CorpusError for a bad corpus."""
    return _dialogue_over(Matcher(load_corpus(settings.corpus_dir)), settings)


def _dialogue_over(matcher: Matcher, settings: Settings) -> Dialogue:
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


METRICS_KEY = web.AppKey("metrics", Metrics)
DELIVERY_KEY = web.AppKey("delivery", OutboundDelivery)
_OUTCOMES = {"Answer": "answer", "Clarify": "clarify", "NoAnswer": "no_answer", "SmallTalk": "small_talk",
             "Notice": "notice"}


def create_app(
    settings: Settings,
    *,
    dialogue: Responder | None = None,
    credentials_factory: Any = None,
    readiness: Sequence[ReadinessCheck] = (),
) -> web.Application:
    """The aiohttp application serving the bot; fails fast on a bad corpus or an unsafe configuration.

    `dialogue` and `credentials_factory` replace the real ones (tests); `readiness` adds checks
    (e.g. the store) to the corpus check of `/readyz`.
    """
    problems = settings.serving_problems()
    if problems:
        raise SettingsError("; ".join(problems))
    metrics = Metrics()
    checks: list[ReadinessCheck] = list(readiness)
    if dialogue is None:
        matcher = Matcher(load_corpus(settings.corpus_dir))
        dialogue = _dialogue_over(matcher, settings)
        checks.insert(0, CorpusLoaded(len(matcher.corpus.entries)))

    def count(reply: Reply) -> None:
        metrics.answers.inc(outcome=_OUTCOMES.get(type(reply).__name__, "other"))

    delivery = OutboundDelivery(observer=metrics)
    bot = FaqBot(dialogue, card_settings(settings), on_reply=count)
    gateway = BotFrameworkGateway(build_adapter(settings, delivery, credentials_factory), bot)
    validator = None
    if settings.local_mode:
        policy = ActivityPolicy.local(settings.allowed_tenants)
    else:
        policy = ActivityPolicy.production(settings.allowed_tenants, settings.service_url_hosts)
        validator = ChannelTokenValidator(settings.app_id, SigningKeys(
            KeySource(settings.openid_metadata_url, fetch_timeout=settings.key_fetch_timeout)))
    guard = InboundGuard(gateway, policy, validator, metrics)
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[metrics_middleware(metrics)])
    app[METRICS_KEY] = metrics
    app[DELIVERY_KEY] = delivery
    app.add_routes(create_routes(guard, local_mode=settings.local_mode, readiness=checks,
                                 body_timeout=settings.body_timeout))
    if validator is not None:
        app.cleanup_ctx.append(_prewarm(validator.keys))
    if settings.metrics_port:
        app.cleanup_ctx.append(_metrics_listener(metrics, settings.metrics_port))
    return app


def _prewarm(keys: SigningKeys) -> Any:
    """Fetch the signing keys in the background at start-up, so the first request does not wait."""

    async def context(_app: web.Application) -> AsyncIterator[None]:
        async def fetch() -> None:
            try:
                await keys.refresh()
            except SigningKeysUnavailable:
                log.warning("signing keys not available at start-up; will retry on the first request")

        task = asyncio.create_task(fetch())
        yield
        task.cancel()

    return context


def _metrics_listener(metrics: Metrics, port: int) -> Any:
    """Serve /metrics on 127.0.0.1:`port` only, never on the public bot port."""

    async def context(_app: web.Application) -> AsyncIterator[None]:
        metrics_app = web.Application()
        metrics_app.add_routes(metrics_routes(metrics))
        runner = web.AppRunner(metrics_app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        yield
        await runner.cleanup()

    return context


def _run(settings: Settings) -> None:
    if settings.local_mode:
        log.warning(
            "LOCAL MODE (FAQBOT_LOCAL_MODE): requests are NOT authenticated. "
            "Listening on %s and accepting this machine only. Never expose this to a network.",
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
    if args.command != "chat" and settings.serving_problems():
        for problem in settings.serving_problems():
            print(f"faqbot: configuration error: {problem}", file=sys.stderr)
        print("faqbot: refusing to start: see the Configuration section of README.md", file=sys.stderr)
        return 2
    try:
        if args.command == "chat":
            asyncio.run(chat(build_dialogue(settings), card_settings(settings), sys.stdin, sys.stdout))
        else:
            _run(settings)
    except CorpusError as exc:
        print(f"faqbot: the corpus cannot be served: {exc}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
