"""The public routes of a served bot: /api/messages behind the guard and load shedding, /healthz, /readyz."""

from __future__ import annotations

from collections.abc import Sequence

from aiohttp import web

from adapters.config.settings import Settings
from adapters.teams.activity_policy import ActivityPolicy
from adapters.web.channel_auth import ChannelTokenValidator, KeySource, SigningKeys, prewarm
from adapters.web.http import create_routes
from adapters.web.inbound_guard import InboundGuard, TurnRunner
from adapters.web.load_shedding import ConversationLimit, SlowDownNotifier, TurnLimit
from adapters.web.metrics import Metrics
from adapters.web.readiness import ReadinessCheck


def open_front_door(
    app: web.Application,
    settings: Settings,
    turns: TurnRunner,
    metrics: Metrics,
    readiness: Sequence[ReadinessCheck],
    slow_down: SlowDownNotifier,
) -> None:
    """Add the routes to `app`. Local mode checks the activity policy only; production also checks the
    Bot Connector's token, with its signing keys fetched in the background at start-up. One chat may
    hold at most FAQBOT_MAX_TURNS_PER_CONVERSATION turns (`slow_down` tells it when it is over),
    the process FAQBOT_MAX_TURNS_IN_FLIGHT."""
    policy, validator = ActivityPolicy.local(settings.allowed_tenants), None
    if not settings.local_mode:
        policy = ActivityPolicy.production(settings.allowed_tenants, settings.service_url_hosts)
        keys = SigningKeys(KeySource(settings.openid_metadata_url, fetch_timeout=settings.key_fetch_timeout))
        validator = ChannelTokenValidator(settings.app_id, keys)
        app.cleanup_ctx.append(prewarm(keys))
    limited = TurnLimit(
        turns, limit=settings.max_turns_in_flight, retry_after=settings.busy_retry_after, observer=metrics
    )
    per_conversation = ConversationLimit(
        limited, limit=settings.max_turns_per_conversation, notifier=slow_down, observer=metrics
    )
    guard = InboundGuard(per_conversation, policy, validator, metrics)
    routes = create_routes(
        guard, local_mode=settings.local_mode, readiness=readiness, body_timeout=settings.body_timeout
    )
    app.add_routes(routes)
