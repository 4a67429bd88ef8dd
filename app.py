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
from pathlib import Path

from aiohttp import web

from adapters.bot_framework import BotFrameworkGateway, build_adapter
from adapters.console import chat
from adapters.http import MAX_BODY_BYTES, create_routes
from adapters.pseudonym import Pseudonymizer
from adapters.settings import Settings, SettingsError
from adapters.store import DeliveryLedger, FeedbackStore, StoreError, WelcomeStore, create_engine, migrate
from adapters.structured_log import configure_logging
from adapters.teams_handler import FaqBot
from adapters.teams_package import PackageError, build_package, chat_link, official_validation
from bot import CardSettings, Dialogue, DialogueSettings
from bot.engagement import Engagement
from knowledge import Corpus, CorpusError, Matcher, load_corpus

log = logging.getLogger("faqbot")


def build_dialogue(settings: Settings) -> Dialogue:
    """The dialogue over the configured corpus; raises CorpusError for a bad corpus."""
    matcher = Matcher(load_corpus(settings.corpus_dir))
    return Dialogue(
        matcher,
        DialogueSettings(
            answer_at=settings.answer_threshold,
            suggest_at=settings.suggest_threshold,
            ambiguity_gap=settings.ambiguity_gap,
        ),
    )


def dialogue_corpus(settings: Settings) -> Corpus:
    return load_corpus(settings.corpus_dir)


def card_settings(settings: Settings) -> CardSettings:
    return CardSettings(hr_direct_url=settings.hr_direct_url)


def create_app(settings: Settings) -> web.Application:
    """The aiohttp application serving the bot; fails fast on a bad corpus."""
    engine = create_engine(settings.database_url)
    dialogue = build_dialogue(settings)
    pseudonyms = Pseudonymizer(settings.effective_pseudonym_salt)
    engagement = Engagement(
        dialogue, dialogue_corpus(settings), WelcomeStore(engine, pseudonyms), FeedbackStore(engine, pseudonyms)
    )
    bot = FaqBot(engagement, card_settings(settings))
    gateway = BotFrameworkGateway(build_adapter(settings), bot, DeliveryLedger(engine))
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.add_routes(create_routes(gateway, local_mode=settings.local_mode))

    async def store(_app: web.Application) -> AsyncIterator[None]:
        await migrate(engine)
        yield
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
    if not settings.pseudonym_salt:
        log.warning("FAQBOT_PSEUDONYM_SALT is not set: using the fixed development salt (local mode only)")
    app = create_app(settings)
    log.info("listening on http://%s:%d/api/messages", settings.bind_host, settings.port)
    web.run_app(app, host=settings.bind_host, port=settings.port, print=None, access_log=None)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="faqbot", description="HR policy FAQ bot for Microsoft Teams")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="serve the bot on /api/messages (default)")
    commands.add_parser("chat", help="chat with the bot in this terminal")
    package = commands.add_parser("package", help="build and validate the Teams app package (zip to upload)")
    package.add_argument("--out", type=Path, default=Path("build/hr-faq-bot-teams-app.zip"))
    package.add_argument("--skip-official-check", action="store_true", help="skip the Node schema validation")
    commands.add_parser("link", help="print the Teams link that opens a chat with the bot (for managers)")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env(os.environ)
    except SettingsError as exc:
        print(f"faqbot: configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    if args.command in {"package", "link"}:
        return _teams_app(args, settings)
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


def _teams_app(args: argparse.Namespace, settings: Settings) -> int:
    try:
        if args.command == "link":
            print(chat_link(settings))
            return 0
        zip_path = build_package(settings, args.out)
        if not args.skip_official_check:
            passed, report = official_validation(zip_path)
            print(report)
            if not passed:
                print(f"faqbot: {zip_path} does not validate against the official schema", file=sys.stderr)
                return 5
        print(f"wrote {zip_path}: upload it in Teams (Apps > Manage your apps > Upload an app)")
    except PackageError as exc:
        print(f"faqbot: cannot build the Teams package: {exc}", file=sys.stderr)
        return 5
    return 0


if __name__ == "__main__":
    sys.exit(main())
