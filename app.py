"""Composition root: builds the bot from settings and runs it. Nothing happens at import time.

Usage: `python app.py [run|chat|eval FILE]` (or the `faqbot` console script).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from aiohttp import web

from adapters.bot_framework import BotFrameworkGateway, build_adapter
from adapters.console import chat
from adapters.evaluation_report import run_evaluation
from adapters.http import MAX_BODY_BYTES, create_routes
from adapters.settings import Settings, SettingsError
from adapters.structured_log import configure_logging
from adapters.teams_handler import FaqBot
from bot import CardSettings, Dialogue, DialogueSettings
from bot.evaluation import Targets
from knowledge import CorpusError, Matcher, load_corpus
from knowledge.evaluation import LabelledSetError

log = logging.getLogger("faqbot")


def build_dialogue(settings: Settings) -> Dialogue:
    """The dialogue over the configured corpus; raises CorpusError for a bad corpus."""
    matcher = Matcher(load_corpus(settings.corpus_dir))
    return _dialogue(matcher, settings)


def _dialogue(matcher: Matcher, settings: Settings) -> Dialogue:
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


def create_app(settings: Settings) -> web.Application:
    """The aiohttp application serving the bot; fails fast on a bad corpus."""
    bot = FaqBot(build_dialogue(settings), card_settings(settings))
    gateway = BotFrameworkGateway(build_adapter(settings), bot)
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.add_routes(create_routes(gateway, local_mode=settings.local_mode))
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
    evaluate = commands.add_parser("eval", help="measure matching on a labelled question file")
    evaluate.add_argument("file", type=Path, help="YAML list of {q, expect} (entry id or out-of-scope)")
    evaluate.add_argument("--corpus", type=Path, help="corpus folder (default: FAQBOT_CORPUS_DIR)")
    evaluate.add_argument("--summary-only", action="store_true", help="rates and confusions, no question text")
    evaluate.add_argument("--gate", action="store_true", help="exit 1 when a target below is missed")
    evaluate.add_argument("--min-correct", type=float, default=Targets.min_correct)
    evaluate.add_argument("--max-wrong", type=float, default=Targets.max_wrong)
    evaluate.add_argument("--min-escalated", type=float, default=Targets.min_escalated)
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env(os.environ)
    except SettingsError as exc:
        print(f"faqbot: configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    try:
        if args.command == "eval":
            return _evaluate(args, settings)
        if args.command == "chat":
            asyncio.run(chat(build_dialogue(settings), card_settings(settings), sys.stdin, sys.stdout))
        else:
            _run(settings)
    except CorpusError as exc:
        print(f"faqbot: the corpus cannot be served: {exc}", file=sys.stderr)
        return 3
    return 0


def _evaluate(args: argparse.Namespace, settings: Settings) -> int:
    corpus = load_corpus(args.corpus or settings.corpus_dir)
    targets = Targets(args.min_correct, args.max_wrong, args.min_escalated) if args.gate else None
    try:
        met = asyncio.run(
            run_evaluation(
                _dialogue(Matcher(corpus), settings), corpus, args.file,
                out=sys.stdout, err=sys.stderr, show_failures=not args.summary_only, targets=targets,
            )
        )
    except LabelledSetError as exc:
        print(f"faqbot: the labelled file cannot be used: {exc}", file=sys.stderr)
        return 2
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
