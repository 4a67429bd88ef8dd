"""Composition root: builds the bot from settings and runs it. Nothing happens at import time.

Usage: `python app.py [run|chat|import|lint|reload|report|suggestions]` (or the `faqbot` console script).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import os
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

from aiohttp import web

from adapters.analytics.report_command import FORMATS as REPORT_FORMATS
from adapters.analytics.report_command import run_report
from adapters.analytics.suggestions_command import run_suggestions
from adapters.bot_framework import BotFrameworkGateway, build_adapter
from adapters.console import chat
from adapters.corpus_watch import CORPUS_WATCH, CorpusWatch, ReloadRequestError, request_reload, serve_reload_signal
from adapters.http import MAX_BODY_BYTES, create_routes
from adapters.import_command import run_import
from adapters.lint_command import run_lint
from adapters.settings import Settings, SettingsError
from adapters.store import DeliveryLedger, QuestionStore, StoreError, create_engine, migrate
from adapters.structured_log import configure_logging
from adapters.teams_handler import FaqBot
from bot import CardSettings, Dialogue, DialogueSettings
from bot.ports import KnowledgeSource
from knowledge import CorpusError, Matcher, load_corpus
from knowledge.lint import LintSettings
from knowledge.reloadable import ReloadableKnowledge

log = logging.getLogger("faqbot")


def build_dialogue(settings: Settings, knowledge: KnowledgeSource | None = None) -> Dialogue:
    """The dialogue over `knowledge` (default: the configured corpus); raises CorpusError for a bad corpus."""
    return Dialogue(
        knowledge or Matcher(load_corpus(settings.corpus_dir)),
        DialogueSettings(
            answer_at=settings.answer_threshold,
            suggest_at=settings.suggest_threshold,
            ambiguity_gap=settings.ambiguity_gap,
        ),
    )


def card_settings(settings: Settings) -> CardSettings:
    return CardSettings(hr_direct_url=settings.hr_direct_url)


def create_app(settings: Settings) -> web.Application:
    """The aiohttp application serving the bot; fails fast on a bad corpus, then reloads it live."""
    engine = create_engine(settings.database_url)
    knowledge = ReloadableKnowledge(settings.corpus_dir)
    bot = FaqBot(build_dialogue(settings, knowledge), card_settings(settings), QuestionStore(engine))
    gateway = BotFrameworkGateway(build_adapter(settings), bot, DeliveryLedger(engine))
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.add_routes(create_routes(gateway, local_mode=settings.local_mode))

    async def store(_app: web.Application) -> AsyncIterator[None]:
        await migrate(engine)
        yield
        await engine.dispose()

    app.cleanup_ctx.append(store)
    app[CORPUS_WATCH] = CorpusWatch(knowledge, settings.corpus_dir, interval=settings.reload_seconds)
    app.cleanup_ctx.append(app[CORPUS_WATCH].watching)
    return app


async def serve() -> web.Application:
    """Application factory for process managers, e.g.
    `gunicorn app:serve --worker-class aiohttp.GunicornWebWorker --workers 2`."""
    settings = Settings.from_env(os.environ)
    configure_logging(settings.log_level)
    return create_app(settings)


def _run(settings: Settings) -> None:
    if settings.local_mode:
        log.warning(
            "LOCAL MODE: no MicrosoftAppId set, so requests are NOT authenticated. "
            "Listening on %s only. Never expose this to a network.",
            settings.bind_host,
        )
    app = create_app(settings)
    serve_reload_signal(app, settings.pid_path)
    log.info("listening on http://%s:%d/api/messages", settings.bind_host, settings.port)
    web.run_app(app, host=settings.bind_host, port=settings.port, print=None, access_log=None)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="faqbot", description="HR policy FAQ bot for Microsoft Teams")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="serve the bot on /api/messages (default)")
    commands.add_parser("chat", help="chat with the bot in this terminal")
    _add_curation_commands(commands)
    _add_analytics_commands(commands)
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env(os.environ)
    except SettingsError as exc:
        print(f"faqbot: configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    if args.command in {"import", "lint", "reload"}:
        return _curate(args, settings)
    if args.command in {"report", "suggestions"}:
        return _analytics(args, settings)
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


def _add_curation_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imports = commands.add_parser("import", help="import a policy Q&A document into the corpus")
    imports.add_argument("document", type=Path, help="the document, e.g. social-media-qa-2024-06.txt")
    imports.add_argument("--corpus", type=Path, help="corpus folder (default: FAQBOT_CORPUS_DIR)")
    imports.add_argument("--output", type=Path, help="the *.faq.yaml to merge into (default: found by document)")
    imports.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    lint = commands.add_parser("lint", help="check the corpus; non-zero exit on errors")
    lint.add_argument("--corpus", type=Path, help="corpus folder (default: FAQBOT_CORPUS_DIR)")
    lint.add_argument("--strict", action="store_true", help="warnings (e.g. overdue reviews) fail too")
    lint.add_argument("--review-months", type=int, help="review interval (default: FAQBOT_REVIEW_MONTHS)")
    commands.add_parser("reload", help="make the running bot reload its corpus now (validated first)")


def _add_analytics_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = commands.add_parser("report", help="what staff ask: answered, escalated, top entries, gaps")
    report.add_argument("--since", type=_day, help="first day, e.g. 2026-10-01 (default: all)")
    report.add_argument("--format", choices=REPORT_FORMATS, default="text", help="text (default), csv or html")
    report.add_argument("--output", type=Path, help="write to this file (default: print)")
    report.add_argument("--corpus", type=Path, help="corpus folder for entry titles (default: FAQBOT_CORPUS_DIR)")
    suggestions = commands.add_parser("suggestions", help="alternates suggested by how staff asked")
    suggestions.add_argument("action", nargs="?", choices=("accept", "dismiss"), help="accept or dismiss one")
    suggestions.add_argument("which", nargs="?", help="its number in the list (or its exact wording)")
    suggestions.add_argument("--corpus", type=Path, help="corpus folder (default: FAQBOT_CORPUS_DIR)")


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: use YYYY-MM-DD, e.g. 2026-10-01") from None


def _analytics(args: argparse.Namespace, settings: Settings) -> int:
    """The curators' view of what staff ask: report and suggested alternates."""
    corpus_dir: Path = args.corpus or settings.corpus_dir
    try:
        if args.command == "report":
            return run_report(database_url=settings.database_url, corpus_dir=corpus_dir, since=args.since,
                              fmt=args.format, output=args.output, out=sys.stdout)
        if args.action is not None and args.which is None:
            print(f"faqbot suggestions {args.action}: say which, e.g. `faqbot suggestions {args.action} 1`",
                  file=sys.stderr)
            return 2
        return run_suggestions(database_url=settings.database_url, corpus_dir=corpus_dir, action=args.action,
                               which=args.which, out=sys.stdout, err=sys.stderr)
    except StoreError as exc:
        print(f"faqbot {args.command}: the store cannot be used: {exc}", file=sys.stderr)
        return 4


def _curate(args: argparse.Namespace, settings: Settings) -> int:
    """The curators' commands: import, lint, reload."""
    corpus_dir: Path = getattr(args, "corpus", None) or settings.corpus_dir
    if args.command == "import":
        return run_import(args.document, corpus_dir=corpus_dir, output=args.output, dry_run=args.dry_run,
                          out=sys.stdout)
    if args.command == "lint":
        months = args.review_months or settings.review_months
        return run_lint(corpus_dir, settings=LintSettings(review_interval_months=months), strict=args.strict,
                        today=dt.date.today(), out=sys.stdout)
    try:
        load_corpus(corpus_dir)  # the bot would refuse it too: say so here, where the curator is
        pid = request_reload(settings.pid_path)
    except CorpusError as exc:
        print(f"faqbot reload: not reloading, the corpus cannot be served: {exc}", file=sys.stderr)
        return 3
    except ReloadRequestError as exc:
        print(f"faqbot reload: {exc}", file=sys.stderr)
        return 1
    print(f"asked the bot (process {pid}) to reload {corpus_dir}; its log says corpus_reloaded when done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
