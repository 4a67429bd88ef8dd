"""The gate in front of every turn: token (401), tenant/channel/serviceUrl policy (403), then the bot.

Nothing reaches the bot, and nothing is sent to the Bot Connector, unless both checks pass.
Rejections are logged and counted by reason code only: never the token, tenant or sender.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from adapters.teams.activity_policy import ActivityPolicy
from adapters.web.channel_auth import ChannelTokenValidator, SigningKeysUnavailable, TokenRejected
from adapters.web.metrics import Metrics
from adapters.web.turn_result import TurnResult

log = logging.getLogger(__name__)

# Activity types the bot acts on; anything else is acknowledged (200) and ignored.
HANDLED_TYPES = frozenset({"message", "invoke", "conversationUpdate", "installationUpdate"})


class TurnRunner(Protocol):
    """Runs one authorised activity; `claims` is None in local mode."""

    async def run(self, body: Mapping[str, Any], claims: Mapping[str, Any] | None) -> TurnResult: ...


@dataclass(frozen=True)
class InboundGuard:
    """Production: `validator` set. Local mode: no validator (no app id to validate against)."""

    runner: TurnRunner
    policy: ActivityPolicy
    validator: ChannelTokenValidator | None
    metrics: Metrics

    async def process(self, body: Mapping[str, Any], authorization: str) -> TurnResult:
        claims: Mapping[str, Any] | None = None
        if self.validator is not None:
            try:
                claims = await self.validator.validate(
                    authorization,
                    channel_id=str(body.get("channelId") or ""),
                    service_url=str(body.get("serviceUrl") or ""),
                )
            except TokenRejected as rejected:
                return self._reject(401, rejected.reason)
            except SigningKeysUnavailable:
                # Transient: the Bot Connector re-delivers on 503, and no turn has run.
                return self._reject(503, "signing-keys-unavailable")
        violation = self.policy.violation(body)
        if violation is not None:
            return self._reject(403, violation)
        if body.get("type") not in HANDLED_TYPES:
            return TurnResult(200)
        return await self.runner.run(body, claims)

    def _reject(self, status: int, reason: str) -> TurnResult:
        log.info("request rejected: status=%d reason=%s", status, reason)
        self.metrics.rejections.inc(reason=reason)
        return TurnResult(
            status,
            {"error": "unauthorized" if status == 401 else "forbidden"}
            if status != 503
            else {"error": "temporarily unavailable"},
        )
