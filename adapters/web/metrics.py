"""Prometheus-format metrics: counters and one latency histogram, in the text exposition format.

Labels are fixed vocabularies (status codes, outcome names, reason codes), never user data.
Served on a separate loopback listener (see `metrics_routes`), not on the public bot port.
With several worker processes, `snapshot` and `add` let one process sum every worker's figures
(`adapters/web/metrics_folder.py`).
"""

from __future__ import annotations

import bisect
import socket
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from aiohttp import web

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
Labels = tuple[tuple[str, str], ...]


@dataclass
class Counter:
    name: str
    help: str
    values: dict[Labels, float] = field(default_factory=dict)

    def inc(self, amount: float = 1.0, **labels: str) -> None:
        key = tuple(sorted(labels.items()))
        self.values[key] = self.values.get(key, 0.0) + amount

    def value(self, **labels: str) -> float:
        return self.values.get(tuple(sorted(labels.items())), 0.0)

    def render(self) -> Iterable[str]:
        yield f"# HELP {self.name} {self.help}"
        yield f"# TYPE {self.name} counter"
        if not self.values:
            yield f"{self.name} 0"
        for labels, value in sorted(self.values.items()):
            yield f"{self.name}{_labels(labels)} {_number(value)}"


@dataclass
class Gauge:
    """A value now. `summed`: workers' values add up (their own turns in flight); otherwise each
    worker reports the same shared figure (read from the database) and the largest is shown."""

    name: str
    help: str
    value: float = 0.0
    summed: bool = True

    def set(self, value: float) -> None:
        self.value = value

    def render(self) -> Iterable[str]:
        yield f"# HELP {self.name} {self.help}"
        yield f"# TYPE {self.name} gauge"
        yield f"{self.name} {_number(self.value)}"


@dataclass
class Histogram:
    name: str
    help: str
    buckets: tuple[float, ...] = LATENCY_BUCKETS
    counts: list[int] = field(default_factory=list)
    total: float = 0.0
    count: int = 0

    def __post_init__(self) -> None:
        self.counts = [0] * len(self.buckets)

    def observe(self, value: float) -> None:
        index = bisect.bisect_left(self.buckets, value)
        if index < len(self.counts):
            self.counts[index] += 1
        self.total += value
        self.count += 1

    def render(self) -> Iterable[str]:
        yield f"# HELP {self.name} {self.help}"
        yield f"# TYPE {self.name} histogram"
        cumulative = 0
        for bound, count in zip(self.buckets, self.counts, strict=True):
            cumulative += count
            yield f'{self.name}_bucket{{le="{bound}"}} {cumulative}'
        yield f'{self.name}_bucket{{le="+Inf"}} {self.count}'
        yield f"{self.name}_sum {_number(self.total)}"
        yield f"{self.name}_count {self.count}"


class HasOutcome(Protocol):
    """A reply that names its outcome (a fixed vocabulary: answer, clarify, no_answer, ...)."""

    @property
    def outcome(self) -> str: ...


class Metrics:
    """Everything the bot counts. One instance per application."""

    def __init__(self) -> None:
        self.requests = Counter("faqbot_http_requests_total", "HTTP requests to /api/messages by status code.")
        self.latency = Histogram("faqbot_http_request_duration_seconds", "Time to answer a request to /api/messages.")
        self.answers = Counter("faqbot_answers_total", "Replies to staff messages by outcome.")
        self.escalations = Counter("faqbot_escalations_total", "Questions escalated to the HR helpdesk.")
        self.rejections = Counter(
            "faqbot_rejected_requests_total", "Requests refused by authentication or policy, by reason."
        )
        self.outbound_retries = Counter(
            "faqbot_outbound_retries_total", "Bot Connector calls retried, by the status that caused the retry."
        )
        self.shed = Counter(
            "faqbot_shed_requests_total", "Requests answered 503 because FAQBOT_MAX_TURNS_IN_FLIGHT turns were running."
        )
        self.conversation_refusals = Counter(
            "faqbot_conversation_shed_total",
            "Messages acknowledged without a turn: their chat already had FAQBOT_MAX_TURNS_PER_CONVERSATION in flight.",
        )
        self.in_flight = Gauge("faqbot_turns_in_flight", "Turns running in this process now.")
        self.hr_posts_failing = Gauge(
            "faqbot_hr_posts_failing",
            "Tickets whose card has not reached the HR helpdesk because posting it keeps failing (still retried).",
            summed=False,
        )

    def replied(self, reply: HasOutcome) -> None:
        self.answers.inc(outcome=reply.outcome)

    def retried(self, status: int) -> None:
        """`RetryObserver` for outbound delivery."""
        self.outbound_retries.inc(status=str(status))

    def turn_shed(self) -> None:
        """`LoadObserver` for load shedding."""
        self.shed.inc()

    def conversation_shed(self) -> None:
        """`ConversationObserver` for load shedding."""
        self.conversation_refusals.inc()

    def turns_in_flight(self, turns: int) -> None:
        self.in_flight.set(turns)

    def failing_hr_posts(self, count: int) -> None:
        """`DeliveryObserver` for the ticket outbox."""
        self.hr_posts_failing.set(count)

    def _parts(self) -> tuple[Counter | Histogram | Gauge, ...]:
        return (
            self.requests,
            self.latency,
            self.answers,
            self.escalations,
            self.rejections,
            self.outbound_retries,
            self.shed,
            self.conversation_refusals,
            self.in_flight,
            self.hr_posts_failing,
        )

    def render(self) -> str:
        return "\n".join(line for metric in self._parts() for line in metric.render()) + "\n"

    def snapshot(self) -> dict[str, Any]:
        """Every figure as plain JSON, for `add` in another process (adapters/web/metrics_folder.py)."""
        figures: dict[str, Any] = {}
        for metric in self._parts():
            if isinstance(metric, Counter):
                figures[metric.name] = [[list(map(list, labels)), value] for labels, value in metric.values.items()]
            elif isinstance(metric, Histogram):
                figures[metric.name] = {"counts": metric.counts, "total": metric.total, "count": metric.count}
            else:
                figures[metric.name] = metric.value
        return figures

    def add(self, figures: Mapping[str, Any], *, gauges: bool) -> None:
        """Add another worker's `snapshot()`: counters and histograms sum; gauges only when `gauges`
        (the worker is alive), summed or the largest as each gauge says. Unknown or malformed
        figures are skipped."""
        for metric in self._parts():
            value = figures.get(metric.name)
            try:
                if isinstance(metric, Counter) and isinstance(value, list):
                    for labels, amount in value:
                        metric.inc(float(amount), **{str(k): str(v) for k, v in labels})
                elif isinstance(metric, Histogram) and isinstance(value, Mapping):
                    if len(value["counts"]) == len(metric.counts):
                        metric.counts = [a + int(b) for a, b in zip(metric.counts, value["counts"], strict=True)]
                        metric.total += float(value["total"])
                        metric.count += int(value["count"])
                elif isinstance(metric, Gauge) and isinstance(value, (int, float)) and gauges:
                    metric.value = metric.value + value if metric.summed else max(metric.value, float(value))
            except (TypeError, ValueError, KeyError):
                continue


class Exposition(Protocol):
    """Renders the text a scrape receives: one process's `Metrics`, or every worker's summed."""

    def render(self) -> str: ...


def metrics_routes(metrics: Exposition) -> list[web.RouteDef]:
    async def expose(_request: web.Request) -> web.Response:
        return web.Response(
            text=metrics.render(),
            content_type="text/plain",
            charset="utf-8",
            headers={"X-Content-Type-Options": "nosniff"},
        )

    return [web.get("/metrics", expose)]


def _labels(labels: Labels) -> str:
    if not labels:
        return ""
    inner = ",".join(f'{key}="{_escape(value)}"' for key, value in labels)
    return "{" + inner + "}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def metrics_listener(
    metrics: Exposition, port: int, *, bound: socket.socket | None = None, shared: bool = False
) -> Callable[[web.Application], AsyncIterator[None]]:
    """A cleanup context serving /metrics on 127.0.0.1:`port` only, never on the public bot port:
    on `bound` when the port is already bound (`faqbot run`); `shared`: every worker process
    listens on the port (SO_REUSEPORT) and answers for all (adapters/web/metrics_folder.py)."""

    async def context(_app: web.Application) -> AsyncIterator[None]:
        metrics_app = web.Application()
        metrics_app.add_routes(metrics_routes(metrics))
        runner = web.AppRunner(metrics_app, access_log=None)
        await runner.setup()
        site = (
            web.SockSite(runner, bound)
            if bound is not None
            else web.TCPSite(runner, "127.0.0.1", port, reuse_port=shared)
        )
        await site.start()
        yield
        await runner.cleanup()

    return context
