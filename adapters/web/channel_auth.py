"""Validates the Bot Connector's JWT on each inbound request, without blocking the event loop.

botframework-connector 4.17.1 fetches signing keys with a blocking `requests.get` (no timeout)
inside the event loop and lets several token faults escape as 500s. This module replaces that
path: keys come from the OpenID metadata over aiohttp with a timeout, are cached, and every
token fault is a `TokenRejected` (→ 401). Checks follow Microsoft's connector-to-bot contract:
Bearer scheme, RS256 only, a known `kid`, issuer, audience = our app id, expiry with 5 minutes
of leeway, the key endorsing the activity's channel, and the `serviceurl` claim equal to the
activity's serviceUrl. Emulator tokens are not accepted in production.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import jwt

from knowledge.errors import FaqbotError

log = logging.getLogger(__name__)

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
CLOCK_LEEWAY_SECONDS = 300


class TokenRejected(FaqbotError):
    """The request's token cannot be trusted; `reason` is a short code safe to log."""

    exit_code = 1
    summary = "the token was rejected"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SigningKeysUnavailable(FaqbotError):
    """The signing keys could not be fetched and none are cached: a transient failure."""

    exit_code = 1
    summary = "the signing keys are unavailable"


@dataclass(frozen=True)
class SigningKey:
    key: Any
    endorsements: frozenset[str]


@dataclass(frozen=True)
class KeySource:
    """Where and how often to fetch the channel's signing keys."""

    metadata_url: str
    fetch_timeout: float = 5.0
    max_age: float = 3600.0  # refresh hourly so a key rollover is seen within the hour
    unknown_kid_cooldown: float = 300.0  # an unknown kid triggers at most one refresh per cooldown


@dataclass
class SigningKeys:
    """The channel's signing keys by `kid`, fetched with aiohttp and cached.

    A failed refresh keeps serving the keys already cached. Concurrent refreshes are coalesced.
    """

    source: KeySource
    clock: Callable[[], float] = time.monotonic
    _keys: dict[str, SigningKey] = field(default_factory=dict)
    _fetched_at: float | None = None
    _last_attempt: float | None = None
    _completed_at: float | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def get(self, kid: str) -> SigningKey | None:
        """The key `kid`, refreshing when the cache is stale or (rate-limited) when `kid` is unknown."""
        now = self.clock()
        stale = self._fetched_at is None or now - self._fetched_at > self.source.max_age
        unknown = kid not in self._keys
        cooled = self._last_attempt is None or now - self._last_attempt > self.source.unknown_kid_cooldown
        if stale or (unknown and cooled):
            await self.refresh()
        return self._keys.get(kid)

    async def refresh(self) -> None:
        """Fetch the metadata and key set; keep the old keys when that fails.

        Callers that queue behind a fetch in flight share its outcome instead of fetching again.
        """
        waiting_since = self.clock()
        async with self._lock:
            if self._completed_at is not None and self._completed_at >= waiting_since:
                if not self._keys:
                    raise SigningKeysUnavailable
                return
            self._last_attempt = self.clock()
            try:
                keys = await self._fetch()
            except (aiohttp.ClientError, TimeoutError, ValueError, KeyError, TypeError, jwt.PyJWTError) as exc:
                log.warning("signing key refresh failed: %s", type(exc).__name__)
                if not self._keys:
                    raise SigningKeysUnavailable from None
                return
            finally:
                self._completed_at = self.clock()
            self._keys = keys
            self._fetched_at = self.clock()

    async def _fetch(self) -> dict[str, SigningKey]:
        timeout = aiohttp.ClientTimeout(total=self.source.fetch_timeout)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            async with session.get(self.source.metadata_url) as response:
                response.raise_for_status()
                metadata = await response.json(content_type=None)
            async with session.get(metadata["jwks_uri"]) as response:
                response.raise_for_status()
                jwks = await response.json(content_type=None)
        keys: dict[str, SigningKey] = {}
        for jwk in jwks["keys"]:
            if not isinstance(jwk, dict) or not isinstance(jwk.get("kid"), str):
                continue
            if jwk.get("kty") != "RSA":
                continue
            endorsements = jwk.get("endorsements") or []
            keys[jwk["kid"]] = SigningKey(
                key=jwt.PyJWK(jwk, algorithm="RS256").key,
                endorsements=frozenset(e for e in endorsements if isinstance(e, str)),
            )
        return keys


@dataclass(frozen=True)
class ChannelTokenValidator:
    """Checks one request's `Authorization` header against the activity it carries."""

    app_id: str
    keys: SigningKeys
    issuer: str = BOT_FRAMEWORK_ISSUER
    leeway: float = CLOCK_LEEWAY_SECONDS

    async def validate(self, authorization: str, *, channel_id: str, service_url: str) -> Mapping[str, Any]:
        """The token's claims; raises TokenRejected or SigningKeysUnavailable."""
        scheme, _, token = authorization.partition(" ")
        if scheme != "Bearer" or not token.strip():
            raise TokenRejected("no-bearer-token")
        token = token.strip()
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise TokenRejected("malformed-token") from None
        if header.get("alg") != "RS256":
            raise TokenRejected("algorithm-not-allowed")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise TokenRejected("no-key-id")
        signing_key = await self.keys.get(kid)
        if signing_key is None:
            raise TokenRejected("unknown-key-id")
        try:
            claims = jwt.decode(
                token,
                signing_key.key,
                algorithms=["RS256"],
                audience=self.app_id,
                issuer=self.issuer,
                leeway=self.leeway,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise TokenRejected("expired") from None
        except jwt.InvalidAudienceError:
            raise TokenRejected("wrong-audience") from None
        except jwt.InvalidIssuerError:
            raise TokenRejected("wrong-issuer") from None
        except jwt.InvalidSignatureError:
            raise TokenRejected("bad-signature") from None
        except jwt.PyJWTError:
            raise TokenRejected("invalid-token") from None
        if not channel_id or channel_id not in signing_key.endorsements:
            raise TokenRejected("channel-not-endorsed")
        if claims.get("serviceurl") != service_url:
            raise TokenRejected("serviceurl-mismatch")
        return claims


def prewarm(keys: SigningKeys) -> Callable[[Any], AsyncIterator[None]]:
    """A cleanup context fetching the signing keys in the background at start-up, so the first
    request does not wait."""

    async def context(_app: Any) -> AsyncIterator[None]:
        async def fetch() -> None:
            try:
                await keys.refresh()
            except SigningKeysUnavailable:
                log.warning("signing keys not available at start-up; will retry on the first request")

        task = asyncio.create_task(fetch())
        yield
        task.cancel()

    return context
