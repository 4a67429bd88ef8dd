"""End-to-end load benchmark: the FAQ bot against a bare botbuilder echo bot, same machine, same run.

    python -m benchmarks.load            # full: 30 s saturation each, 5 min at 50/s, 30 s spike at 100/s
    python -m benchmarks.load --quick    # the same phases, shortened (about 2 minutes)
    python -m benchmarks.load --soak     # adds the 30-minute soak at 10/s with memory sampling

Every server runs in its own process on 127.0.0.1 (bot, echo baseline, fake connector); the
driver sends Teams-shaped activities: 90% questions from the corpus's tuning set, 10% out of
scope (each of those gets the HR Direct offer). Results are printed and written as JSON to
benchmarks/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import socket
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import yaml

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


@dataclass
class Phase:
    """What one phase measured."""

    name: str
    target: str
    offered_per_second: float | None
    duration_s: float
    sent: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    errors: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    replies_expected: int = 0
    replies_received: int = 0
    rss_mb: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies_ms)

        def pct(p: float) -> float | None:
            return round(lat[min(len(lat) - 1, int(p * len(lat)))], 1) if lat else None

        return {
            "phase": self.name,
            "target": self.target,
            "offered_per_s": self.offered_per_second,
            "duration_s": round(self.duration_s, 1),
            "sent": self.sent,
            "achieved_per_s": round(sum(self.statuses.values()) / self.duration_s, 1) if self.duration_s else 0,
            "statuses": dict(self.statuses),
            "errors": self.errors,
            "p50_ms": pct(0.50),
            "p99_ms": pct(0.99),
            "max_ms": round(lat[-1], 1) if lat else None,
            "mean_ms": round(statistics.fmean(lat), 1) if lat else None,
            "replies_expected": self.replies_expected,
            "replies_received": self.replies_received,
            "rss_start_mb": self.rss_mb[0] if self.rss_mb else None,
            "rss_end_mb": self.rss_mb[-1] if self.rss_mb else None,
            "rss_growth_mb": round(self.rss_mb[-1] - self.rss_mb[0], 1) if len(self.rss_mb) > 1 else None,
        }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def questions() -> tuple[list[str], list[str]]:
    labelled = yaml.safe_load((ROOT / "eval" / "tuning.yaml").read_text(encoding="utf-8"))
    in_scope = [item["q"] for item in labelled if item["expect"] != "out-of-scope"]
    out_of_scope = [item["q"] for item in labelled if item["expect"] == "out-of-scope"]
    return in_scope, out_of_scope


@asynccontextmanager
async def server(args: list[str], port: int, env: dict[str, str]) -> AsyncIterator[int]:
    """Start a server process and wait for its /healthz; yields its pid."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, *args, cwd=ROOT, env=os.environ | env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(200):
                try:
                    async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.05)
            else:
                raise RuntimeError(f"{args} did not start")
        yield process.pid
    finally:
        if process.returncode is None:
            process.terminate()
            await process.wait()


class Driver:
    """Sends activities to one bot endpoint and records what happened."""

    def __init__(self, session: aiohttp.ClientSession, endpoint: str, connector_url: str) -> None:
        self._session = session
        self._endpoint = endpoint
        self._connector = connector_url
        self._ids = itertools.count(1)
        self._run = uuid.uuid4().hex[:8]  # activity ids must be unique, or the bot drops re-deliveries
        self._in_scope, self._out_of_scope = questions()
        self._random = random.Random(20261124)

    def activity(self) -> dict[str, Any]:
        number = next(self._ids)
        pool = self._out_of_scope if self._random.random() < 0.10 else self._in_scope
        return {
            "type": "message", "id": f"bench-{self._run}-{number}", "channelId": "msteams", "serviceUrl": self._connector,
            "text": self._random.choice(pool),
            "from": {"id": f"29:user-{number % 500}", "aadObjectId": f"aad-{number % 500}", "name": "Bench"},
            "recipient": {"id": "28:bot", "name": "HR Policy FAQ"},
            "conversation": {"id": f"a:conv-{number % 500}", "conversationType": "personal", "tenantId": "t"},
            "channelData": {"tenant": {"id": "t"}}, "locale": "en-GB",
        }

    async def send(self, phase: Phase) -> None:
        phase.sent += 1
        started = time.perf_counter()
        try:
            async with self._session.post(self._endpoint, json=self.activity()) as response:
                await response.read()
                phase.statuses[response.status] += 1
                if response.status < 300:
                    phase.replies_expected += 1
        except (aiohttp.ClientError, asyncio.TimeoutError):
            phase.errors += 1
            return
        phase.latencies_ms.append((time.perf_counter() - started) * 1000)

    async def closed_loop(self, phase: Phase, concurrency: int) -> None:
        deadline = time.perf_counter() + phase.duration_s

        async def worker() -> None:
            while time.perf_counter() < deadline:
                await self.send(phase)

        await asyncio.gather(*(worker() for _ in range(concurrency)))

    async def open_loop(self, phase: Phase, sample: Callable[[], None] | None = None) -> None:
        assert phase.offered_per_second
        total = int(phase.offered_per_second * phase.duration_s)
        start = time.perf_counter()
        tasks = []
        next_sample = start
        for index in range(total):
            due = start + index / phase.offered_per_second
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(self.send(phase)))
            if sample and time.perf_counter() >= next_sample:
                sample()
                next_sample += 10
        await asyncio.gather(*tasks)
        if sample:
            sample()


async def replies(session: aiohttp.ClientSession, connector_port: int) -> int:
    async with session.get(f"http://127.0.0.1:{connector_port}/stats") as response:
        counts = await response.json()
    return int(counts.get("POST", 0))


async def measure(
    session: aiohttp.ClientSession, phase: Phase, port: int, connector_port: int, run: Callable[[Driver], Any]
) -> Phase:
    driver = Driver(session, f"http://127.0.0.1:{port}/api/messages", f"http://127.0.0.1:{connector_port}/")
    before = await replies(session, connector_port)
    started = time.perf_counter()
    await run(driver)
    phase.duration_s = time.perf_counter() - started
    await asyncio.sleep(1.0)  # let the last replies land
    phase.replies_received = await replies(session, connector_port) - before
    return phase


async def main(quick: bool, soak: bool) -> dict[str, Any]:
    saturate_s, sustain_s, spike_s = (10, 30, 10) if quick else (30, 300, 30)
    connector_port, echo_port, bot_port = free_port(), free_port(), free_port()
    results: list[dict[str, Any]] = []
    timeout = aiohttp.ClientTimeout(total=30)
    with tempfile.TemporaryDirectory() as tmp:
        bot_env = {
            "PORT": str(bot_port), "FAQBOT_LOCAL_MODE": "1", "FAQBOT_LOG_LEVEL": "WARNING",
            "FAQBOT_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
        }
        async with (
            server(["-m", "benchmarks.connector_server", str(connector_port)], connector_port, {}),
            aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=500)) as session,
        ):
            echo = Phase("saturation", "echo", None, saturate_s)
            async with server(["-m", "benchmarks.echo_bot", str(echo_port)], echo_port, {}):
                await measure(session, echo, echo_port, connector_port, lambda d: d.closed_loop(echo, 32))
            ours = Phase("saturation", "faqbot", None, saturate_s)
            async with server(["app.py", "run"], bot_port, bot_env) as pid:
                await measure(session, ours, bot_port, connector_port, lambda d: d.closed_loop(ours, 32))
                sustained = Phase("sustained", "faqbot", 50, sustain_s)
                await measure(session, sustained, bot_port, connector_port,
                              lambda d: d.open_loop(sustained, lambda: sustained.rss_mb.append(rss_mb(pid))))
                spike = Phase("spike", "faqbot", 100, spike_s)
                await measure(session, spike, bot_port, connector_port, lambda d: d.open_loop(spike))
                phases = [echo, ours, sustained, spike]
                if soak:
                    soaked = Phase("soak", "faqbot", 10, 1800)
                    await measure(session, soaked, bot_port, connector_port,
                                  lambda d: d.open_loop(soaked, lambda: soaked.rss_mb.append(rss_mb(pid))))
                    phases.append(soaked)
            results = [p.summary() for p in phases]
    echo_rate, our_rate = results[0]["achieved_per_s"], results[1]["achieved_per_s"]
    report = {
        "quick": quick,
        "phases": results,
        "throughput_ratio_vs_echo": round(our_rate / echo_rate, 3) if echo_rate else None,
    }
    return report


def print_report(report: dict[str, Any]) -> None:
    columns = ("phase", "target", "offered_per_s", "achieved_per_s", "statuses", "errors",
               "p50_ms", "p99_ms", "max_ms", "replies_expected", "replies_received", "rss_growth_mb")
    for row in report["phases"]:
        print("  ".join(f"{c}={row[c]}" for c in columns))
    print(f"saturated throughput, faqbot / bare echo bot: {report['throughput_ratio_vs_echo']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="shortened phases (about 2 minutes)")
    parser.add_argument("--soak", action="store_true", help="add the 30-minute soak at 10 messages/s")
    options = parser.parse_args()
    outcome = asyncio.run(main(options.quick, options.soak))
    print_report(outcome)
    RESULTS.mkdir(exist_ok=True)
    name = f"load-{time.strftime('%Y%m%dT%H%M%S')}{'-quick' if options.quick else ''}.json"
    (RESULTS / name).write_text(json.dumps(outcome, indent=2))
    print(f"written to {RESULTS / name}")
