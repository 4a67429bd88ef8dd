"""Readiness: whether this instance can serve now. Each dependency plugs in a small check."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

CHECK_TIMEOUT_SECONDS = 2.0


class ReadinessCheck(Protocol):
    """One dependency's readiness (the corpus, a store). `ready` must not raise for 'not ready'."""

    @property
    def name(self) -> str: ...

    async def ready(self) -> bool: ...


@dataclass(frozen=True)
class CorpusLoaded:
    """Ready when the corpus holds at least one entry."""

    entry_count: int
    name: str = "corpus"

    async def ready(self) -> bool:
        return self.entry_count > 0


async def run_checks(checks: Sequence[ReadinessCheck]) -> dict[str, bool]:
    """Each check's result; a check that raises or takes longer than the timeout is not ready."""

    async def one(check: ReadinessCheck) -> bool:
        try:
            async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
                return bool(await check.ready())
        except Exception:  # noqa: BLE001 - any failure means "not ready"; the probe reports it
            return False

    results = await asyncio.gather(*(one(check) for check in checks))
    return {check.name: result for check, result in zip(checks, results, strict=True)}
