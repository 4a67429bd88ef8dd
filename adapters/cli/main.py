"""Runs a `faqbot` command: reads the settings, dispatches, and turns any FaqbotError into its exit code.

This is the one place errors become exit codes; commands raise and never print their own failure.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from adapters.cli.adopt_command import run_adopt
from adapters.cli.console import ChatMemory, chat
from adapters.cli.evaluation_report import run_evaluation
from adapters.cli.import_command import DocumentDefaults, run_import
from adapters.cli.lint_command import run_lint
from adapters.cli.parser import build_parser
from adapters.cli.privacy_commands import pseudonym_key_for, run_erase, run_export, run_purge
from adapters.cli.reload_command import run_reload
from adapters.cli.report_command import run_report
from adapters.cli.serve_command import AppFactory, run_server
from adapters.cli.suggestions_command import run_suggestions
from adapters.cli.teams_app_command import run_link, run_package
from adapters.config.settings import NotServable, Settings
from adapters.config.structured_log import configure_logging
from adapters.corpus.meaning import ranker_for
from bot import Dialogue
from bot.engagement import Engagement
from bot.evaluation import Targets
from bot.ports import KnowledgeSource
from knowledge import load_corpus
from knowledge.errors import FaqbotError
from knowledge.importing import parse_month
from knowledge.lint import LintSettings

# Commands that work offline, on the corpus alone: only the others need the serving credentials.
_OFFLINE = {"chat", "eval"}


@dataclass(frozen=True)
class Wiring:
    """What only the composition root builds, for the commands that need it."""

    dialogue: Callable[[Settings, KnowledgeSource], Dialogue]
    create_app: AppFactory


def run_command(argv: Sequence[str] | None, environ: Mapping[str, str], wiring: Wiring) -> int:
    """Run the command in `argv` (default `run`) configured by `environ`; returns the process exit code."""
    args = build_parser().parse_args(argv)
    command: str = args.command or "run"
    try:
        settings = Settings.from_env(environ)
        configure_logging(settings.log_level)
        return _dispatch(command, args, settings, wiring)
    except FaqbotError as exc:
        sys.stderr.write(f"faqbot {command}: {exc.summary}: {exc}\n")
        return exc.exit_code


def _dispatch(command: str, args: argparse.Namespace, settings: Settings, wiring: Wiring) -> int:
    corpus_dir: Path = getattr(args, "corpus", None) or settings.corpus_dir
    out, err = sys.stdout, sys.stderr
    match command:
        case "adopt":
            return run_adopt(corpus_dir, args.file, write=args.write, out=out, err=err)
        case "import":
            return _import(args, settings, corpus_dir)
        case "lint":
            months = args.review_months or settings.review_months
            lint_settings = LintSettings(review_interval_months=months, answer_at=settings.answer_threshold)
            return run_lint(
                corpus_dir,
                settings=lint_settings,
                strict=args.strict,
                today=dt.date.today(),
                out=out,
                meaning=ranker_for(settings.embedding_cache),
            )
        case "reload":
            return run_reload(corpus_dir, settings.pid_path, out)
        case "package":
            return run_package(settings, args.out, official_check=not args.skip_official_check, out=out, err=err)
        case "link":
            return run_link(settings, out)
        case "report":
            return run_report(
                database_url=settings.database_url,
                corpus_dir=corpus_dir,
                since=args.since,
                fmt=args.format,
                output=args.output,
                out=out,
            )
        case "suggestions":
            if args.action is not None and args.which is None:
                err.write(f"faqbot suggestions {args.action}: say which, e.g. `faqbot suggestions {args.action} 1`\n")
                return 2
            return run_suggestions(
                database_url=settings.database_url,
                corpus_dir=corpus_dir,
                action=args.action,
                which=args.which,
                out=out,
                err=err,
            )
        case "purge":
            return run_purge(settings.database_url, pseudonym_key_for(settings), settings.retention, out)
        case "export-user":
            return run_export(settings.database_url, pseudonym_key_for(settings), args.aad_object_id, args.output, out)
        case "erase-user":
            return run_erase(
                settings.database_url,
                pseudonym_key_for(settings),
                args.aad_object_id,
                confirmed=args.yes,
                keep_open_tickets=settings.erase_keeps_open_tickets,
                out=out,
            )
    if command not in _OFFLINE and settings.serving_problems():
        raise NotServable(settings.serving_problems())
    if command == "eval":
        return _evaluate(args, settings, wiring)
    if command == "chat":
        ranker = ranker_for(settings.embedding_cache)(load_corpus(settings.corpus_dir))
        memory = ChatMemory()  # a terminal chat stores nothing: no database is needed
        engagement = Engagement(wiring.dialogue(settings, ranker), ranker.corpus, memory, memory)
        asyncio.run(chat(engagement, settings.card_settings, sys.stdin, out))
        return 0
    return run_server(settings, wiring.create_app)


def _import(args: argparse.Namespace, settings: Settings, corpus_dir: Path) -> int:
    reviewed = parse_month(args.reviewed) if args.reviewed else None
    if args.reviewed and reviewed is None:
        sys.stderr.write(f"faqbot import: --reviewed '{args.reviewed}' is not a month, e.g. 'March 2025' or 2025-03\n")
        return 1
    defaults = DocumentDefaults(title=args.title, owner=args.owner, last_reviewed=reviewed)
    return run_import(
        args.document,
        corpus_dir=corpus_dir,
        output=args.output,
        dry_run=args.dry_run,
        out=sys.stdout,
        defaults=defaults,
        meaning=ranker_for(settings.embedding_cache),
        answer_at=settings.answer_threshold,
        add_topics=args.add_topics,
    )


def _evaluate(args: argparse.Namespace, settings: Settings, wiring: Wiring) -> int:
    corpus = load_corpus(args.corpus or settings.corpus_dir)
    targets = Targets(args.min_correct, args.max_wrong, args.min_escalated) if args.gate else None
    dialogue = wiring.dialogue(settings, ranker_for(settings.embedding_cache)(corpus))
    met = asyncio.run(
        run_evaluation(
            dialogue,
            corpus,
            args.file,
            out=sys.stdout,
            err=sys.stderr,
            show_failures=not args.summary_only,
            targets=targets,
        )
    )
    return 0 if met else 1
