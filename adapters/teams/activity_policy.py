"""Who may talk to the bot, checked on every activity after its token: tenant, channel, serviceUrl.

Bot Framework authentication proves an activity came through the Bot Connector for our app id;
it does not restrict the tenant or channel, and the SDK reads no tenant for Teams payloads. This
policy closes those gaps. A violation is a 403 and no turn runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

TEAMS_CHANNEL = "msteams"
# The Bot Framework Emulator and Web Chat test clients; the Agents Playground says "msteams".
LOCAL_CHANNELS = frozenset({TEAMS_CHANNEL, "emulator", "webchat", "test"})
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
# Activity types a person originates; they must carry the sender's Entra object id in production.
USER_ORIGINATED = frozenset({"message", "invoke"})


@dataclass(frozen=True)
class ActivityPolicy:
    """The allow-lists one deployment enforces.

    `allowed_tenants` empty means no tenant restriction (local mode only; production refuses to
    start without it). A host starting with "." matches that domain's subdomains.
    """

    channels: frozenset[str]
    allowed_tenants: frozenset[str]
    service_url_hosts: tuple[str, ...]
    require_aad_object_id: bool

    @classmethod
    def production(cls, tenants: tuple[str, ...], service_url_hosts: tuple[str, ...]) -> ActivityPolicy:
        return cls(
            frozenset({TEAMS_CHANNEL}),
            frozenset(tenants),
            tuple(h.lower() for h in service_url_hosts),
            require_aad_object_id=True,
        )

    @classmethod
    def local(cls, tenants: tuple[str, ...] = ()) -> ActivityPolicy:
        """Test clients allowed, but replies may only go to this machine (no SSRF from local mode)."""
        return cls(LOCAL_CHANNELS, frozenset(tenants), LOOPBACK_HOSTS, require_aad_object_id=False)

    def violation(self, activity: Mapping[str, Any]) -> str | None:
        """A short reason code when `activity` is not allowed, else None. Codes are safe to log."""
        if activity.get("channelId") not in self.channels:
            return "channel-not-allowed"
        if not self._service_url_allowed(activity.get("serviceUrl")):
            return "service-url-not-allowed"
        tenant = tenant_of(activity)
        if self.allowed_tenants and (tenant is None or tenant not in self.allowed_tenants):
            return "tenant-not-allowed"
        if self.require_aad_object_id and activity.get("type") in USER_ORIGINATED:
            sender = activity.get("from")
            if not isinstance(sender, Mapping) or not _non_empty_str(sender.get("aadObjectId")):
                return "sender-without-aad-object-id"
        return None

    def _service_url_allowed(self, service_url: Any) -> bool:
        if not isinstance(service_url, str):
            return False
        try:
            parts = urlsplit(service_url)
            host = (parts.hostname or "").lower()
        except ValueError:
            return False
        # Plain http only to this machine (a local connector in tests); Teams is always https.
        if parts.scheme != "https" and not (parts.scheme == "http" and host in LOOPBACK_HOSTS):
            return False
        if parts.username or parts.password:
            return False
        return any(
            host == allowed or (allowed.startswith(".") and host.endswith(allowed))
            for allowed in self.service_url_hosts
        )


def tenant_of(activity: Mapping[str, Any]) -> str | None:
    """The activity's Entra tenant: `channelData.tenant.id`, else `conversation.tenantId`.

    When both are present they must agree; a disagreement yields None (not allowed).
    """
    channel_data = activity.get("channelData")
    tenant = channel_data.get("tenant") if isinstance(channel_data, Mapping) else None
    from_channel_data = tenant.get("id") if isinstance(tenant, Mapping) else None
    conversation = activity.get("conversation")
    from_conversation = conversation.get("tenantId") if isinstance(conversation, Mapping) else None
    found = {t for t in (from_channel_data, from_conversation) if t is not None}
    if len(found) != 1:
        return None
    (only,) = found
    return only if _non_empty_str(only) else None


def _non_empty_str(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())
