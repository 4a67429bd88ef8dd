"""A local stand-in for the Bot Connector's OpenID metadata and signing keys, plus a token minter.

Serves `/openid` and `/keys` on 127.0.0.1 with a fresh RSA key endorsed for "msteams", and
mints tokens shaped like the Bot Connector's (issuer, audience = app id, serviceurl claim), so
tests exercise the real JWT validation path. Forged tokens are derived by changing one thing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://api.botframework.com"
APP_ID = "00000000-0000-4000-8000-0000000000b0"
KID = "test-key-1"


def new_key() -> RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class KeyServer:
    url: str = ""
    key: RSAPrivateKey = field(default_factory=new_key)
    # Like the real keys, endorsed for several channels: channel policy, not the key, refuses webchat.
    endorsements: list[str] = field(default_factory=lambda: ["msteams", "webchat"])
    fetches: int = 0
    available: bool = True

    @property
    def metadata_url(self) -> str:
        return f"{self.url}openid"

    def jwks(self) -> dict[str, Any]:
        public = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [public | {"kid": KID, "use": "sig", "endorsements": self.endorsements}]}

    def token(
        self,
        service_url: str,
        *,
        key: RSAPrivateKey | None = None,
        kid: str | None = KID,
        algorithm: str = "RS256",
        **claims: Any,
    ) -> str:
        """A Bot Connector-style token; `claims` override or (with None) remove standard claims."""
        now = int(time.time())
        payload: dict[str, Any] = {
            "iss": ISSUER,
            "aud": APP_ID,
            "serviceurl": service_url,
            "nbf": now - 10,
            "iat": now - 10,
            "exp": now + 600,
        }
        for name, value in claims.items():
            if value is None:
                payload.pop(name, None)
            else:
                payload[name] = value
        headers = {"kid": kid} if kid is not None else {}
        if algorithm == "HS256":
            # Key confusion: the RSA public key (as published) used as an HMAC secret.
            secret = RSAAlgorithm.to_jwk(self.key.public_key()).encode()
            return _hs256(payload, headers, secret)
        return jwt.encode(payload, key or self.key, algorithm=algorithm, headers=headers)

    def unsigned_token(self, service_url: str) -> str:
        """An `alg: none` token with otherwise valid claims."""
        now = int(time.time())
        header = {"alg": "none", "typ": "JWT", "kid": KID}
        payload = {"iss": ISSUER, "aud": APP_ID, "serviceurl": service_url, "nbf": now - 10, "exp": now + 600}
        return f"{_segment(header)}.{_segment(payload)}."


def _segment(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _hs256(payload: dict[str, Any], headers: dict[str, Any], secret: bytes) -> str:
    signing_input = f"{_segment({'alg': 'HS256', 'typ': 'JWT', **headers})}.{_segment(payload)}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


@asynccontextmanager
async def key_server() -> AsyncIterator[KeyServer]:
    server_state = KeyServer()

    async def openid(_request: web.Request) -> web.Response:
        server_state.fetches += 1
        if not server_state.available:
            return web.Response(status=503)
        return web.json_response(
            {
                "issuer": ISSUER,
                "jwks_uri": f"{server_state.url}keys",
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        )

    async def keys(_request: web.Request) -> web.Response:
        return web.json_response(server_state.jwks())

    app = web.Application()
    app.add_routes([web.get("/openid", openid), web.get("/keys", keys)])
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    server_state.url = str(server.make_url("/"))
    try:
        yield server_state
    finally:
        await server.close()
