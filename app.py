"""Composition root: builds the bot from settings and runs it. Nothing happens at import time.

Usage: `faqbot [COMMAND]`, the commands in adapters/cli/parser.py (default: `run`)."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from aiohttp import web

from adapters.cli.main import Wiring, run_command
from adapters.cli.privacy_commands import pseudonym_key_for
from adapters.cli.serve_command import hosting_limits
from adapters.config.settings import NotServable, Settings
from adapters.config.structured_log import configure_logging
from adapters.corpus.corpus_watch import CORPUS_WATCH, CorpusWatch
from adapters.corpus.meaning import ranker_for
from adapters.store import (
    FeedbackStore,
    Instances,
    QuestionStore,
    RedeliveryLedger,
    StoreReachable,
    WelcomeStore,
    create_engine,
)
from adapters.store.lifecycle import serving_store
from adapters.store.personal_data import PersonalData
from adapters.store.pseudonym import Pseudonymizer
from adapters.store.purge import purge_every
from adapters.store.tickets import SqlTicketStore
from adapters.teams.connector_sender import ConnectorSender, SlidingWindowPacer, app_limits
from adapters.teams.sdk import OutboundCredential, teams_sdk
from adapters.teams.slow_down import SlowDownNotices
from adapters.teams.ticket_courier import OutboxBackoff, TicketCourier
from adapters.web.front_door import open_front_door
from adapters.web.hosting import BoundedRunner
from adapters.web.http import MAX_BODY_BYTES, metrics_middleware
from adapters.web.metrics import Metrics
from adapters.web.metrics_folder import metrics_exposition
from adapters.web.readiness import CorpusLoaded, ReadinessCheck
from bot import Dialogue, texts
from bot.engagement import Engagement
from bot.escalation import Escalation
from bot.ports import KnowledgeSource
from bot.router import Router
from knowledge.reloadable import ReloadableKnowledge

METRICS_KEY = web.AppKey("metrics", Metrics)
SENDER_KEY = web.AppKey("connector_sender", ConnectorSender)


def build_dialogue(settings: Settings, knowledge: KnowledgeSource) -> Dialogue:
    """The dialogue over `knowledge` with the configured thresholds."""
    return Dialogue(knowledge, settings.dialogue_settings)


@dataclass(frozen=True, kw_only=True)
class Components:
    """What a served bot is built from beyond its settings; a test swaps a part with `dataclasses.replace`."""

    dialogue: Callable[[KnowledgeSource], Dialogue]
    credentials: OutboundCredential | None = None  # None: from the settings (secret, certificate or managed identity)
    outbox_backoff: OutboxBackoff = OutboxBackoff()
    readiness: Sequence[ReadinessCheck] = ()  # checks added to /readyz

    @classmethod
    def real(cls, settings: Settings) -> Components:
        return cls(dialogue=partial(build_dialogue, settings))


def create_app(
    settings: Settings, parts: Components | None = None, *, metrics_socket: socket.socket | None = None
) -> web.Application:
    """The aiohttp application serving the bot; raises SettingsError for an unsafe configuration and
    CorpusError for a bad corpus, then reloads the corpus live. Helpdesk deliveries run in a background
    task started once the store is migrated, so they never hold up the acknowledgement of a turn.
    `metrics_socket`: the metrics port, already bound (`faqbot run` binds its ports first)."""
    if settings.serving_problems():
        raise NotServable(settings.serving_problems())
    parts = parts or Components.real(settings)
    metrics = Metrics()
    engine = create_engine(settings.database_url, deadline=settings.database_timeout)
    knowledge = ReloadableKnowledge(settings.corpus_dir, build=ranker_for(settings.embedding_cache))
    tickets = SqlTicketStore(engine, channel_cache_seconds=settings.hr_channel_cache_seconds)
    outbox_wakeup = asyncio.Event()
    questions = QuestionStore(engine)
    escalation = Escalation(
        tickets, knowledge, settings.escalation_settings, queued=outbox_wakeup.set, questions=questions
    )
    pace = settings.outbound_per_second
    sender = ConnectorSender(observer=metrics, app_pacer=SlidingWindowPacer(app_limits(pace)) if pace else None)
    pseudonyms = Pseudonymizer(settings.effective_pseudonym_salt)
    engagement = Engagement(
        parts.dialogue(knowledge), knowledge.corpus, WelcomeStore(engine, pseudonyms), FeedbackStore(engine, pseudonyms)
    )

    card_settings = settings.card_settings
    router = Router(engagement, card_settings, escalation=escalation, on_reply=metrics.replied, questions=questions)
    instances = Instances(engine)
    sdk = teams_sdk(settings, router, RedeliveryLedger(engine, instances), sender, parts.credentials)  # FAQBOT_SDK
    courier = TicketCourier(
        sdk.poster,
        tickets,
        escalation.hr_channel,
        organisation=settings.organisation,
        wakeup=outbox_wakeup,
        policy=parts.outbox_backoff,
        observer=metrics,
    )
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[metrics_middleware(metrics)])
    app[METRICS_KEY] = metrics
    app[SENDER_KEY] = sender
    checks: list[ReadinessCheck] = [CorpusLoaded(len(knowledge.corpus.entries)), StoreReachable(engine)]
    slow_down = SlowDownNotices(sdk.poster, text=texts.SLOW_DOWN)
    open_front_door(app, settings, sdk.turns, metrics, [*checks, *parts.readiness], slow_down)
    personal_data, purge_interval = PersonalData(engine, pseudonym_key_for(settings)), settings.purge_interval
    app.cleanup_ctx.append(serving_store(settings.database_url, engine, instances, courier.run, name="ticket-outbox"))
    app.cleanup_ctx.append(lambda _app: purge_every(personal_data, settings.retention, purge_interval))
    app.on_cleanup.append(lambda _app: sdk.close())  # after the courier (cleanup_ctx) has stopped
    app[CORPUS_WATCH] = CorpusWatch(knowledge, settings.corpus_dir, interval=settings.reload_seconds)
    app.cleanup_ctx.append(app[CORPUS_WATCH].watching)
    app.cleanup_ctx.extend(
        metrics_exposition(metrics, settings.metrics_dir, settings.metrics_port, bound=metrics_socket)
    )
    return app


async def serve() -> web.AppRunner:
    """Runner factory for process managers, e.g.
    `gunicorn app:serve --worker-class aiohttp.GunicornWebWorker --workers 2`. The worker serves this
    runner as it is, so the header deadline and connection cap are ours, not gunicorn's `--keep-alive`."""
    settings = Settings.from_env(os.environ)
    configure_logging(settings.log_level)
    return BoundedRunner(create_app(settings), hosting_limits(settings))


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    return run_command(argv, os.environ, Wiring(dialogue=build_dialogue, create_app=create_app))


if __name__ == "__main__":
    sys.exit(main())
