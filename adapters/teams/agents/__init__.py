"""The Microsoft 365 Agents SDK side of the seam in `adapters/teams/sdk.py` (FAQBOT_SDK=agents).

Uses the SDK's core, aiohttp hosting, activity and MSAL packages. Our HTTP route, token
validation and tenant policy run before it; it is handed only checked activities.
"""

from __future__ import annotations

from microsoft_agents.hosting.aiohttp import CloudAdapter

from adapters.config.settings import Settings
from adapters.teams.agents.connector import SendingClientFactory
from adapters.teams.agents.credentials import token_source
from adapters.teams.agents.poster import AgentsPoster
from adapters.teams.agents.turns import AgentsTurns, on_turn_error
from adapters.teams.connector_sender import ConnectorSender
from adapters.teams.conversation import TeamsConversation
from adapters.teams.redelivery import RedeliveryGuard
from adapters.teams.sdk import OutboundCredential, TeamsSdk


def build(
    settings: Settings,
    conversation: TeamsConversation,
    guard: RedeliveryGuard,
    sender: ConnectorSender,
    credential: OutboundCredential | None,
) -> TeamsSdk:
    clients = SendingClientFactory(sender, token_source(settings, credential))
    adapter = CloudAdapter(channel_service_client_factory=clients)
    adapter.on_turn_error = on_turn_error
    return TeamsSdk(
        turns=AgentsTurns(adapter, conversation, guard),
        poster=AgentsPoster(adapter, settings.app_id),
        close=clients.close,
    )
