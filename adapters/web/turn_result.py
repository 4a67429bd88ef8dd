"""The HTTP answer to one inbound activity, whoever decides it: the guard, load shedding or the turn."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TurnResult:
    """Status and JSON body of the answer; `retry_after` (seconds) is sent as Retry-After."""

    status: int
    body: Any = None
    retry_after: int | None = None
