"""Composition root: builds the bot from settings and runs it. Nothing happens at import time.

Usage: `python app.py [run|chat|eval|import|lint|reload|adopt|report|suggestions|purge|export-user|erase-user|package|link]`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import logging
import os
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from aiohttp import web

from adapters.teams.activity_policy import ActivityPolicy
from adapters.cli.report_command import FORMATS as REPORT_FORMATS
from adapters.cli.report_command import run_report
from adapters.cli.suggestions_command import run_suggestions
from adapters.web.channel_auth import ChannelTokenValidator, KeySource, SigningKeys, SigningKeysUnavailable
from adapters.cli.console import ChatMemory, chat
from adapters.cli.evaluation_report import run_evaluation
from adapters.corpus.corpus_watch import CORPUS_WATCH, CorpusWatch, ReloadRequestError, request_reload, serve_reload_signal
from adapters.web.hosting import BoundedRunner, HostingLimits, serve_until_stopped
from adapters.web.http import MAX_BODY_BYTES, create_routes, metrics_middleware
from adapters.cli.import_command import DocumentDefaults, run_import
from adapters.web.inbound_guard import InboundGuard
from adapters.cli.adopt_command import run_adopt
from adapters.cli.lint_command import run_lint
from adapters.web.load_shedding import TurnLimit
from adapters.web.metrics import Metrics, metrics_routes
from adapters.teams.outbound_delivery import OutboundDelivery, SlidingWindowPacer, app_limits
from adapters.cli.privacy_commands import purge_every, run_erase, run_export, run_purge
from adapters.web.readiness import CorpusLoaded, ReadinessCheck
from adapters.config.settings import Settings, SettingsError
from adapters.store.pseudonym import Pseudonymizer
from adapters.store import (
    DeliveryLedger,
    FeedbackStore,
    Instances,
    QuestionStore,
    StoreError,
    StoreReachable,
    WelcomeStore,
    create_engine,
    migrate,
)
from adapters.config.structured_log import configure_logging
from adapters.store.personal_data import PersonalData, PseudonymKey, Retention
from adapters.store.tickets import SqlTicketStore
from adapters.teams.conversation import TeamsConversation
from adapters.teams.redelivery import RedeliveryGuard
from adapters.teams.sdk import OutboundCredential, teams_sdk
from adapters.teams.teams_package import PackageError, build_package, chat_link, official_validation
from adapters.teams.ticket_delivery import RetryPolicy, TicketCourier
from bot import CardSettings, Dialogue, DialogueSettings, Inbound, Reply
from bot.engagement import Engagement
from bot.escalation import Escalation, EscalationSettings
from bot.router import Router
from bot.ports import KnowledgeSource
from adapters.corpus.meaning import ranker_for
from knowledge import Corpus, CorpusError, Ranker, load_corpus
from knowledge.embedding import ModelError
from knowledge.importing import parse_month
from knowledge.lint import LintSettings
from knowledge.reloadable import ReloadableKnowledge
from bot.evaluation import Targets
from knowledge.evaluation import LabelledSetError

log = logging.getLogger("faqbot")


class Responder(Protocol):
    """What the engagement needs from the dialogue (tests give a failing one)."""

    async def respond(self, message: Inbound) -> Reply: ...


def build_dialogue(settings: Settings, knowledge: KnowledgeSource | None = None) -> Dialogue:
    """The dialogue over `knowledge` (default: the configured corpus); raises CorpusError for a bad
    corpus and ModelError when the sentence encoder cannot be loaded."""
    return Dialogue(
        knowledge or ranker_for(settings.embedding_cache)(load_corpus(settings.corpus_dir)),
        DialogueSettings(
            answer_at=settings.answer_threshold,
            new_entry_answer_at=settings.new_entry_answer_threshold,
            suggest_at=settings.suggest_threshold,
            ambiguity_gap=settings.ambiguity_gap,
        ),
    )


def card_settings(settings: Settings) -> CardSettings:
    return CardSettings(settings.organisation, hr_direct_url=settings.hr_direct_url, retention=settings.retention)


METRICS_KEY = web.AppKey("metrics", Metrics)
DELIVERY_KEY = web.AppKey("delivery", OutboundDelivery)
_OUTCOMES = {"Answer": "answer", "Clarify": "clarify", "NoAnswer": "no_answer", "SmallTalk": "small_talk",
             "Notice": "notice"}


def create_app(
    settings: Settings,
    *,
    dialogue: Responder | None = None,
    credential: OutboundCredential | None = None,
    readiness: Sequence[ReadinessCheck] = (),
    outbox_policy: RetryPolicy | None = None,
) -> web.Application:
    """The aiohttp application serving the bot; fails fast on a bad corpus or an unsafe configuration,
    then reloads the corpus live.

    Helpdesk deliveries (ticket cards, staff notices) run in a background task started after the
    store is migrated, so they never hold up the HTTP acknowledgement of a turn. `dialogue` and
    `credential` replace the real ones (tests); `readiness` adds checks to `/readyz`.
    """
    problems = settings.serving_problems()
    if problems:
        raise SettingsError("; ".join(problems))
    metrics = Metrics()
    engine = create_engine(settings.database_url, deadline=settings.database_timeout)
    knowledge = ReloadableKnowledge(settings.corpus_dir, build=ranker_for(settings.embedding_cache))
    checks: list[ReadinessCheck] = [CorpusLoaded(len(knowledge.corpus.entries)), StoreReachable(engine),
                                    *readiness]
    if dialogue is None:
        dialogue = build_dialogue(settings, knowledge)

    def count(reply: Reply) -> None:
        metrics.answers.inc(outcome=_OUTCOMES.get(type(reply).__name__, "other"))

    tickets = SqlTicketStore(engine, channel_cache_seconds=settings.hr_channel_cache_seconds)
    escalation = Escalation(
        tickets,
        knowledge,
        EscalationSettings(
            settings.organisation, hr_channel_id=settings.hr_channel_id, registrars=settings.hr_registrar_ids
        ),
    )
    app_pace = settings.outbound_per_second
    delivery = OutboundDelivery(
        observer=metrics, app_pacer=SlidingWindowPacer(app_limits(app_pace)) if app_pace else None
    )
    pseudonyms = Pseudonymizer(settings.effective_pseudonym_salt)
    engagement = Engagement(
        dialogue, knowledge.corpus, WelcomeStore(engine, pseudonyms), FeedbackStore(engine, pseudonyms)  # type: ignore[arg-type]
    )
    conversation = TeamsConversation(Router(engagement, card_settings(settings), escalation=escalation,
                                            on_reply=count, questions=QuestionStore(engine)))
    instances = Instances(engine)
    sdk = teams_sdk(settings, conversation, RedeliveryGuard(DeliveryLedger(engine, instances)), delivery, credential)
    courier = TicketCourier(
        sdk.poster, tickets, escalation.hr_channel, organisation=settings.organisation,
        policy=outbox_policy,
    )
    escalation.on_queued(courier.nudge)
    validator = None
    if settings.local_mode:
        policy = ActivityPolicy.local(settings.allowed_tenants)
    else:
        policy = ActivityPolicy.production(settings.allowed_tenants, settings.service_url_hosts)
        validator = ChannelTokenValidator(settings.app_id, SigningKeys(
            KeySource(settings.openid_metadata_url, fetch_timeout=settings.key_fetch_timeout)))
    turns = TurnLimit(sdk.turns, limit=settings.max_turns_in_flight, retry_after=settings.busy_retry_after,
                      observer=metrics)
    guard = InboundGuard(turns, policy, validator, metrics)
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[metrics_middleware(metrics)])
    app[METRICS_KEY] = metrics
    app[DELIVERY_KEY] = delivery
    app.add_routes(create_routes(guard, local_mode=settings.local_mode, readiness=checks,
                                 body_timeout=settings.body_timeout))

    async def store(_app: web.Application) -> AsyncIterator[None]:
        migration = create_engine(settings.database_url)  # unhurried: may wait for another instance
        try:
            await migrate(migration)
        finally:
            await migration.dispose()
        # Open the serving pool now: a first connection that shutdown cancels half-way leaves
        # aiosqlite's thread waiting, and the shutdown with it.
        await StoreReachable(engine).ready()
        await instances.hold()
        worker = asyncio.create_task(courier.run(), name="ticket-outbox")
        yield
        worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await worker
        await sdk.close()
        await instances.release()
        await engine.dispose()

    app.cleanup_ctx.append(store)
    app.cleanup_ctx.append(
        lambda _app: purge_every(PersonalData(engine, pseudonym_key(settings)), retention(settings), dt.timedelta(hours=settings.purge_hours))
    )
    app[CORPUS_WATCH] = CorpusWatch(knowledge, settings.corpus_dir, interval=settings.reload_seconds)
    app.cleanup_ctx.append(app[CORPUS_WATCH].watching)
    if validator is not None:
        app.cleanup_ctx.append(_prewarm(validator.keys))
    if settings.metrics_port:
        app.cleanup_ctx.append(_metrics_listener(metrics, settings.metrics_port))
    return app


async def serve() -> web.AppRunner:
    """Runner factory for process managers, e.g.
    `gunicorn app:serve --worker-class aiohttp.GunicornWebWorker --workers 2`. The worker serves this
    runner as it is, so the header deadline and connection cap are ours, not gunicorn's `--keep-alive`."""
    settings = Settings.from_env(os.environ)
    configure_logging(settings.log_level)
    return BoundedRunner(create_app(settings), hosting_limits(settings))


def hosting_limits(settings: Settings) -> HostingLimits:
    return HostingLimits(header_timeout=settings.header_timeout, max_connections=settings.max_connections)


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
    if not settings.pseudonym_salt:
        log.warning("FAQBOT_PSEUDONYM_SALT is not set: using the fixed development salt (local mode only)")
    app = create_app(settings)
    serve_reload_signal(app, settings.pid_path)
    log.info("listening on http://%s:%d/api/messages", settings.bind_host, settings.port)
    asyncio.run(serve_until_stopped(BoundedRunner(app, hosting_limits(settings)), settings.bind_host, settings.port))


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="faqbot", description="HR policy FAQ bot for Microsoft Teams")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="serve the bot on /api/messages (default)")
    commands.add_parser("chat", help="chat with the bot in this terminal")
    _add_curation_commands(commands)
    _add_privacy_commands(commands)
    evaluate = commands.add_parser("eval", help="measure matching on a labelled question file")
    evaluate.add_argument("file", type=Path, help="YAML list of {q, expect} (entry id or out-of-scope)")
    evaluate.add_argument("--corpus", type=Path, help="corpus folder (default: FAQBOT_CORPUS_DIR)")
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
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env(os.environ)
    except SettingsError as exc:
        print(f"faqbot: configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    if args.command in {"import", "lint", "reload", "adopt"}:
        return _curate(args, settings)
    if args.command in {"package", "link"}:
        return _teams_app(args, settings)
    if args.command in {"report", "suggestions"}:
        return _analytics(args, settings)
    try:
        if args.command == "purge":
            return run_purge(settings.database_url, pseudonym_key(settings), retention(settings), sys.stdout)
        if args.command == "export-user":
            return run_export(settings.database_url, pseudonym_key(settings), args.aad_object_id, args.output,
                              sys.stdout)
        if args.command == "erase-user":
            return run_erase(settings.database_url, pseudonym_key(settings), args.aad_object_id, confirmed=args.yes,
                             keep_open_tickets=settings.erase_keeps_open_tickets, out=sys.stdout)
    except StoreError as exc:
        print(f"faqbot: the store cannot be used: {exc}", file=sys.stderr)
        return 4
    # Only serving needs credentials: eval and chat work offline on the corpus alone.
    if args.command not in {"chat", "eval"} and settings.serving_problems():
        for problem in settings.serving_problems():
            print(f"faqbot: configuration error: {problem}", file=sys.stderr)
        print("faqbot: refusing to start: see the Configuration section of README.md", file=sys.stderr)
        return 2
    try:
        if args.command == "eval":
            return _evaluate(args, settings)
        if args.command == "chat":
            ranker = ranker_for(settings.embedding_cache)(load_corpus(settings.corpus_dir))
            memory = ChatMemory()  # a terminal chat stores nothing: no database is needed
            engagement = Engagement(build_dialogue(settings, ranker), ranker.corpus, memory, memory)
            asyncio.run(chat(engagement, card_settings(settings), sys.stdin, sys.stdout))
        else:
            _run(settings)
    except CorpusError as exc:
        print(f"faqbot: the corpus cannot be served: {exc}", file=sys.stderr)
        return 3
    except StoreError as exc:
        print(f"faqbot: the store cannot be used: {exc}", file=sys.stderr)
        return 4
    except ModelError as exc:
        print(f"faqbot: the sentence encoder cannot be loaded: {exc}", file=sys.stderr)
        return 6
    return 0


def _add_curation_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imports = commands.add_parser("import", help="import a policy Q&A document into the corpus")
    imports.add_argument("document", type=Path, help="the document, e.g. social-media-qa-2024-06.txt")
    imports.add_argument("--corpus", type=Path, help="corpus folder (default: FAQBOT_CORPUS_DIR)")
    imports.add_argument("--output", type=Path, help="the *.faq.yaml to merge into (default: found by document)")
    imports.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    imports.add_argument("--title", help="the document's title when it has none")
    imports.add_argument("--owner", help="the owning team when the document names none")
    imports.add_argument("--reviewed", help="the review date when the document gives none, e.g. 'March 2025'")
    lint = commands.add_parser("lint", help="check the corpus; non-zero exit on errors")
    lint.add_argument("--corpus", type=Path, help="corpus folder (default: FAQBOT_CORPUS_DIR)")
    lint.add_argument("--strict", action="store_true", help="warnings (e.g. overdue reviews) fail too")
    lint.add_argument("--review-months", type=int, help="review interval (default: FAQBOT_REVIEW_MONTHS)")
    commands.add_parser("reload", help="make the running bot reload its corpus now (validated first)")
    adopt = commands.add_parser("adopt", help="add a labelled set's questions to the corpus as alternates")
    adopt.add_argument("file", type=Path, help="labelled YAML (q, expect), e.g. eval/tuning.yaml; never heldout.yaml")
    adopt.add_argument("--corpus", type=Path, help="corpus folder (default: FAQBOT_CORPUS_DIR)")
    adopt.add_argument("--write", action="store_true", help="write them (default: only say what would change)")


def _add_privacy_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    commands.add_parser("purge", help="delete stored data past its retention period now")
    export = commands.add_parser("export-user", help="export everything stored about one person (JSON)")
    export.add_argument("aad_object_id", help="the person's Entra (AAD) object id")
    export.add_argument("--output", type=Path, help="file to write (default: standard output)")
    erase = commands.add_parser("erase-user", help="erase one person's stored data")
    erase.add_argument("aad_object_id", help="the person's Entra (AAD) object id")
    erase.add_argument("--yes", action="store_true", help="confirm: erasure cannot be undone")


def retention(settings: Settings) -> Retention:
    return Retention(
        tickets=dt.timedelta(days=settings.retain_tickets_days),
        feedback=dt.timedelta(days=settings.retain_feedback_days),
        questions=dt.timedelta(days=settings.retain_questions_days),
    )


def pseudonym_key(settings: Settings) -> PseudonymKey:
    """How stored pseudonyms are made from a person's id (the same salt as the running bot)."""
    pseudonyms = Pseudonymizer(settings.effective_pseudonym_salt)
    return lambda person, namespace: pseudonyms.key(person, namespace=namespace)


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
    """The curators' commands: import, lint, reload, adopt."""
    corpus_dir: Path = getattr(args, "corpus", None) or settings.corpus_dir
    if args.command == "adopt":
        return run_adopt(corpus_dir, args.file, write=args.write, out=sys.stdout, err=sys.stderr)
    if args.command == "import":
        reviewed = parse_month(args.reviewed) if args.reviewed else None
        if args.reviewed and reviewed is None:
            print(f"faqbot import: --reviewed '{args.reviewed}' is not a month, e.g. 'March 2025' or 2025-03",
                  file=sys.stderr)
            return 1
        defaults = DocumentDefaults(title=args.title, owner=args.owner, last_reviewed=reviewed)
        meaning = _meaning(settings, "import")
        if meaning is None:
            return 6
        return run_import(args.document, corpus_dir=corpus_dir, output=args.output, dry_run=args.dry_run,
                          out=sys.stdout, defaults=defaults, meaning=meaning, answer_at=settings.answer_threshold)
    if args.command == "lint":
        months = args.review_months or settings.review_months
        lint_settings = LintSettings(review_interval_months=months, answer_at=settings.answer_threshold)
        meaning = _meaning(settings, "lint")
        if meaning is None:
            return 6
        return run_lint(corpus_dir, settings=lint_settings, strict=args.strict, today=dt.date.today(),
                        out=sys.stdout, meaning=meaning)
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


def _meaning(settings: Settings, command: str) -> Callable[[Corpus], Ranker] | None:
    """The bot's ranker factory for a curators' command; None (with the reason printed) without the encoder."""
    try:
        return ranker_for(settings.embedding_cache)
    except ModelError as exc:
        print(f"faqbot {command}: the sentence encoder cannot be loaded: {exc}", file=sys.stderr)
        return None


def _evaluate(args: argparse.Namespace, settings: Settings) -> int:
    corpus = load_corpus(args.corpus or settings.corpus_dir)
    targets = Targets(args.min_correct, args.max_wrong, args.min_escalated) if args.gate else None
    try:
        met = asyncio.run(
            run_evaluation(
                build_dialogue(settings, ranker_for(settings.embedding_cache)(corpus)), corpus, args.file,
                out=sys.stdout, err=sys.stderr, show_failures=not args.summary_only, targets=targets,
            )
        )
    except LabelledSetError as exc:
        print(f"faqbot: the labelled file cannot be used: {exc}", file=sys.stderr)
        return 2
    return 0 if met else 1




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
