"""Outbound credentials for production-mode tests: a fixed token, no call to login.microsoftonline.com."""

from __future__ import annotations

OUTBOUND_TOKEN = "test-outbound-token"


class FixedToken:
    """An `OutboundCredential` (adapters/teams/sdk.py) that always gives `OUTBOUND_TOKEN`."""

    def token(self) -> str:
        return OUTBOUND_TOKEN
