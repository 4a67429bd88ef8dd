"""The `faqbot` command line: every command and its options (parsing only; main.py runs them)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from adapters.cli.report_command import FORMATS as REPORT_FORMATS
from bot.evaluation import Targets

_CORPUS_HELP = "corpus folder (default: FAQBOT_CORPUS_DIR)"


def build_parser() -> argparse.ArgumentParser:
    """The parser for all fourteen commands; no command means `run`."""
    parser = argparse.ArgumentParser(prog="faqbot", description="HR policy FAQ bot for Microsoft Teams")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="serve the bot on /api/messages (default)")
    commands.add_parser("chat", help="chat with the bot in this terminal")
    _add_curation_commands(commands)
    _add_privacy_commands(commands)
    evaluate = commands.add_parser("eval", help="measure matching on a labelled question file")
    evaluate.add_argument("file", type=Path, help="YAML list of {q, expect} (entry id or out-of-scope)")
    evaluate.add_argument("--corpus", type=Path, help=_CORPUS_HELP)
    evaluate.add_argument("--summary-only", action="store_true", help="rates and confusions, no question text")
    evaluate.add_argument("--gate", action="store_true", help="exit 1 when a target below is missed")
    evaluate.add_argument("--min-correct", type=float, default=Targets.min_correct)
    evaluate.add_argument("--max-wrong", type=float, default=Targets.max_wrong)
    evaluate.add_argument("--min-escalated", type=float, default=Targets.min_escalated)
    package = commands.add_parser("package", help="build and validate the Teams app package (zip to upload)")
    package.add_argument("--out", type=Path, default=Path("build/hr-faq-bot-teams-app.zip"))
    package.add_argument("--skip-official-check", action="store_true", help="skip the Node schema validation")
    commands.add_parser("link", help="print the Teams link that opens a chat with the bot (for managers)")
    _add_analytics_commands(commands)
    return parser


def _add_curation_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imports = commands.add_parser("import", help="import a policy Q&A document into the corpus")
    imports.add_argument("document", type=Path, help="the document, e.g. social-media-qa-2024-06.txt")
    imports.add_argument("--corpus", type=Path, help=_CORPUS_HELP)
    imports.add_argument("--output", type=Path, help="the *.faq.yaml to merge into (default: found by document)")
    imports.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    imports.add_argument("--title", help="the document's title when it has none")
    imports.add_argument("--owner", help="the owning team when the document names none")
    imports.add_argument("--reviewed", help="the review date when the document gives none, e.g. 'March 2025'")
    imports.add_argument(
        "--add-topics",
        action="store_true",
        help="declare the document's categories that are no topic yet in vocabulary.yaml and file their entries",
    )
    lint = commands.add_parser("lint", help="check the corpus; non-zero exit on errors")
    lint.add_argument("--corpus", type=Path, help=_CORPUS_HELP)
    lint.add_argument("--strict", action="store_true", help="warnings (e.g. overdue reviews) fail too")
    lint.add_argument("--review-months", type=int, help="review interval (default: FAQBOT_REVIEW_MONTHS)")
    commands.add_parser("reload", help="make the running bot reload its corpus now (validated first)")
    adopt = commands.add_parser("adopt", help="add a labelled set's questions to the corpus as alternates")
    adopt.add_argument("file", type=Path, help="labelled YAML (q, expect), e.g. eval/tuning.yaml; never heldout.yaml")
    adopt.add_argument("--corpus", type=Path, help=_CORPUS_HELP)
    adopt.add_argument("--write", action="store_true", help="write them (default: only say what would change)")


def _add_privacy_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    commands.add_parser("purge", help="delete stored data past its retention period now")
    export = commands.add_parser("export-user", help="export everything stored about one person (JSON)")
    export.add_argument("aad_object_id", help="the person's Entra (AAD) object id")
    export.add_argument("--output", type=Path, help="file to write (default: standard output)")
    erase = commands.add_parser("erase-user", help="erase one person's stored data")
    erase.add_argument("aad_object_id", help="the person's Entra (AAD) object id")
    erase.add_argument("--yes", action="store_true", help="confirm: erasure cannot be undone")


def _add_analytics_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = commands.add_parser("report", help="what staff ask: answered, escalated, top entries, gaps")
    report.add_argument("--since", type=_day, help="first day, e.g. 2026-10-01 (default: all)")
    report.add_argument("--format", choices=REPORT_FORMATS, default="text", help="text (default), csv or html")
    report.add_argument("--output", type=Path, help="write to this file (default: print)")
    report.add_argument("--corpus", type=Path, help="corpus folder for entry titles (default: FAQBOT_CORPUS_DIR)")
    suggestions = commands.add_parser("suggestions", help="alternates suggested by how staff asked")
    suggestions.add_argument("action", nargs="?", choices=("accept", "dismiss"), help="accept or dismiss one")
    suggestions.add_argument("which", nargs="?", help="its number in the list (or its exact wording)")
    suggestions.add_argument("--corpus", type=Path, help=_CORPUS_HELP)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: use YYYY-MM-DD, e.g. 2026-10-01") from None
