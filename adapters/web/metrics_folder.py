"""Metrics of every worker process, summed: each worker writes its own figures to a shared folder
and whichever worker answers a scrape adds up the folder.

gunicorn runs several worker processes and each counts only what it served; a scrape reaching
one of them would see a fraction. With `FAQBOT_METRICS_DIR` set, every worker writes a snapshot
of its counters to `<folder>/worker-<pid>-<random>.json` every `flush_seconds` (and when it
stops), and every worker listens on the metrics port (SO_REUSEPORT), answering with the sum over
the folder. Counters and histograms of workers that have stopped stay in the sum, so totals
never go backwards when gunicorn replaces a worker; gauges (turns in flight now) count only
workers whose snapshot is fresh. A scrape is at most `flush_seconds` behind the other workers.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
import socket
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from aiohttp import web

from adapters.web.metrics import Exposition, Metrics, metrics_listener

log = logging.getLogger(__name__)

# A snapshot older than this many flush intervals is a stopped worker's: its gauges no longer count.
_FRESH_FLUSHES = 3


class MetricsFolder:
    """Writes `metrics` to `folder` as this worker's snapshot; `render` sums every worker's."""

    def __init__(
        self, folder: Path, metrics: Metrics, *, flush_seconds: float = 1.0, clock: Callable[[], float] = time.time
    ) -> None:
        self._folder = folder
        self._metrics = metrics
        self._flush_seconds = flush_seconds
        self._clock = clock
        self._path = folder / f"worker-{os.getpid()}-{secrets.token_hex(4)}.json"

    def write(self) -> None:
        """Replace this worker's snapshot (atomically: a reader never sees half a file)."""
        self._folder.mkdir(parents=True, exist_ok=True)
        partial = self._path.with_suffix(".partial")
        partial.write_text(
            json.dumps({"written_at": self._clock(), "metrics": self._metrics.snapshot()}), encoding="utf-8"
        )
        os.replace(partial, self._path)

    def render(self) -> str:
        """Every worker's metrics summed, in the Prometheus text format (this worker's up to now)."""
        self.write()
        total = Metrics()
        fresh_after = self._clock() - _FRESH_FLUSHES * self._flush_seconds
        for snapshot in self._snapshots():
            written_at = snapshot.get("written_at")
            figures = snapshot.get("metrics")
            if isinstance(written_at, (int, float)) and isinstance(figures, Mapping):
                total.add(figures, gauges=written_at >= fresh_after)
        return total.render()

    def _snapshots(self) -> Iterator[Mapping[str, Any]]:
        for path in sorted(self._folder.glob("worker-*.json")):
            try:
                yield json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # replaced or removed while reading: the next scrape has it

    async def flushing(self, _app: web.Application) -> AsyncIterator[None]:
        """aiohttp cleanup context: write the snapshot every `flush_seconds` while the worker runs,
        and once more at the end."""

        async def flush() -> None:
            while True:
                await asyncio.sleep(self._flush_seconds)
                try:
                    await asyncio.to_thread(self.write)
                except OSError as exc:
                    log.warning("metrics snapshot not written: %s", type(exc).__name__)

        task = asyncio.create_task(flush(), name="metrics-snapshot")
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            with contextlib.suppress(OSError):
                self.write()


def metrics_exposition(
    metrics: Metrics, folder: Path | None, port: int, *, bound: socket.socket | None = None
) -> list[Callable[[web.Application], AsyncIterator[None]]]:
    """The cleanup contexts that expose `metrics`: with `folder` (FAQBOT_METRICS_DIR) each worker
    writes its figures there and answers for all; with `port` 0 nothing is served."""
    contexts: list[Callable[[web.Application], AsyncIterator[None]]] = []
    exposition: Exposition = metrics
    if folder is not None:
        shared = MetricsFolder(folder, metrics)
        contexts.append(shared.flushing)
        exposition = shared
    if port:
        contexts.append(metrics_listener(exposition, port, bound=bound, shared=folder is not None))
    return contexts
