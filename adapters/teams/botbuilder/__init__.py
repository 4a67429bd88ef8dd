"""The Bot Framework SDK (botbuilder 4.17.1) side of the seam in `adapters/teams/sdk.py`; the default.

Our HTTP route, token validation and tenant policy run before it; it is handed only checked
activities.
"""

from __future__ import annotations

from adapters.config.settings import Settings
from adapters.teams.botbuilder.bot_framework import BotbuilderTurns, build_adapter
from adapters.teams.botbuilder.poster import BotbuilderPoster
from adapters.teams.connector_sender import ConnectorSender
from adapters.teams.conversation import TeamsConversation
from adapters.teams.redelivery import RedeliveryGuard
from adapters.teams.sdk import OutboundCredential, TeamsSdk


async def _nothing_to_close() -> None:
    return None


def build(
    settings: Settings,
    conversation: TeamsConversation,
    guard: RedeliveryGuard,
    sender: ConnectorSender,
    credential: OutboundCredential | None,
) -> TeamsSdk:
    adapter = build_adapter(settings, sender, credential)
    return TeamsSdk(
        turns=BotbuilderTurns(adapter, conversation, guard),
        poster=BotbuilderPoster(adapter, settings.app_id),
        close=_nothing_to_close,
    )
