"""The bot's outbound credential on the Agents SDK: MSAL, configured from our settings.

Differences from botbuilder: a certificate is given as one PFX file (certificate and private key,
`MicrosoftAppCertificatePfxFile`), not as a thumbprint plus a PEM key; MSAL runs in a worker thread
rather than on the event loop.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from microsoft_agents.authentication.msal import MsalAuth
from microsoft_agents.hosting.core import AgentAuthConfiguration
from microsoft_agents.hosting.core.authorization import AuthTypes

from adapters.config.settings import Settings
from adapters.teams.sdk import OutboundCredential

BOT_CONNECTOR_RESOURCE = "https://api.botframework.com"
BOT_CONNECTOR_SCOPE = "https://api.botframework.com/.default"
# The Bot Framework's own tenant issues tokens for multi-tenant bots.
MULTI_TENANT_AUTHORITY_TENANT = "botframework.com"


def auth_configuration(settings: Settings) -> AgentAuthConfiguration:
    """MSAL's configuration for the Entra app in `settings` (production mode only)."""
    tenant = settings.app_tenant_id or MULTI_TENANT_AUTHORITY_TENANT
    if settings.managed_identity:
        return AgentAuthConfiguration(AuthTypes.user_managed_identity, settings.app_id, tenant)
    if settings.app_certificate_pfx_file is not None:
        return AgentAuthConfiguration(
            AuthTypes.certificate, settings.app_id, tenant, cert_pfx_file=str(settings.app_certificate_pfx_file)
        )
    return AgentAuthConfiguration(AuthTypes.client_secret, settings.app_id, tenant, settings.app_password)


def token_source(settings: Settings, credential: OutboundCredential | None) -> Callable[[], Awaitable[str]] | None:
    """How the connector gets its bearer token: `credential` (tests), MSAL (production), or none
    (local mode: no Entra app, no Authorization header)."""
    if credential is not None:
        fixed = credential

        async def from_credential() -> str:
            return fixed.token()

        return from_credential
    if not settings.app_id:
        return None
    msal = MsalAuth(auth_configuration(settings))

    async def from_msal() -> str:
        token: str = await msal.get_access_token(BOT_CONNECTOR_RESOURCE, [BOT_CONNECTOR_SCOPE])
        return token

    return from_msal


__all__ = ["auth_configuration", "token_source"]
