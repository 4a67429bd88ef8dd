"""Pseudonymous keys for people: the store never holds an AAD object id or a channel user id.

A key is HMAC-SHA256 of the id with a secret salt (FAQBOT_PSEUDONYM_SALT), so it is stable for
one person (one vote per answer, one welcome) but cannot be turned back into the id without the
salt, and differs between deployments.
"""

from __future__ import annotations

import hashlib
import hmac


class Pseudonymizer:
    """Turns a person's id into an opaque, stable, fixed-length key."""

    def __init__(self, salt: str) -> None:
        if not salt:
            raise ValueError("a pseudonym salt is required")
        self._salt = salt.encode()

    def key(self, person_id: str, *, namespace: str = "person") -> str:
        """64 hex characters for `person_id`; `namespace` keeps keys of different kinds apart."""
        message = f"{namespace}\x1f{person_id}".encode()
        return hmac.new(self._salt, message, hashlib.sha256).hexdigest()
