"""The seam between our Teams code and a Microsoft SDK, and the one place that picks the SDK.

Two implementations: `adapters/teams/botbuilder/` (Bot Framework SDK 4.17, the default) and
`adapters/teams/agents/` (Microsoft 365 Agents SDK), chosen by `Settings.sdk` (FAQBOT_SDK).
Everything that decides anything (token validation, tenant policy, the re-delivery guard, retry
and pacing of outbound calls, the conversation itself) is ours and the same under both; an SDK
only carries activities in and out.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from adapters.config.settings import Settings
from adapters.teams.connector_sender import ConnectorSender
from adapters.teams.conversation import TeamsConversation
from adapters.teams.redelivery import DeliveryClaims, RedeliveryGuard
from adapters.teams.ticket_courier import ChannelPoster
from adapters.web.turn_result import TurnResult
from bot.router import Router


class OutboundCredential(Protocol):
    """A bearer token for calls to the Bot Connector (tests use a fixed one)."""

    def token(self) -> str: ...


class ActivityTurns(Protocol):
    """Runs the turn of one inbound activity (checked JSON) with the claims of its validated token
    (None in local mode): 400 when the SDK cannot read it, else the guard's or the turn's result."""

    async def run(self, activity: Mapping[str, Any], claims: Mapping[str, Any] | None) -> TurnResult: ...


@dataclass(frozen=True)
class TeamsSdk:
    """One SDK's side of the seam: inbound turns, proactive posts, and what to close at shutdown."""

    turns: ActivityTurns
    poster: ChannelPoster
    close: Callable[[], Awaitable[None]]


_IMPLEMENTATIONS = {"botbuilder": "adapters.teams.botbuilder", "agents": "adapters.teams.agents"}


def teams_sdk(
    settings: Settings,
    router: Router,
    claims: DeliveryClaims,
    sender: ConnectorSender,
    credential: OutboundCredential | None = None,
) -> TeamsSdk:
    """The configured SDK carrying `router`'s conversation, each activity's turn run once (`claims`),
    every connector call through `sender`; `credential` replaces the configured outbound one."""
    module = importlib.import_module(_IMPLEMENTATIONS[settings.sdk])
    sdk: TeamsSdk = module.build(settings, TeamsConversation(router), RedeliveryGuard(claims), sender, credential)
    return sdk
