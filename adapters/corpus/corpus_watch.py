"""Reload the corpus while the bot runs: when its files change, and when `faqbot reload` asks.

File changes are found by polling the modification times and sizes of the corpus files every
`interval` seconds (no extra dependency, works on network and container filesystems). The
reload command reaches the running process with SIGHUP, found through a pid file that only
`faqbot run` writes. Either way the corpus is validated before it replaces the old one
(`knowledge.reloadable`); a rejected edit is logged with the file, entry and field at fault.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import web

from knowledge.corpus import CORPUS_FILES, FAQ_SUFFIX
from knowledge.errors import FaqbotError
from knowledge.reloadable import ReloadableKnowledge

log = logging.getLogger(__name__)

Fingerprint = tuple[tuple[str, int, int], ...]


def fingerprint(folder: Path) -> Fingerprint:
    """Name, modification time and size of every file the corpus is read from."""
    found = []
    for path in sorted([*folder.glob(f"*{FAQ_SUFFIX}"), *(folder / name for name in CORPUS_FILES)]):
        with contextlib.suppress(OSError):
            stat = path.stat()
            found.append((path.name, stat.st_mtime_ns, stat.st_size))
    return tuple(found)


class CorpusWatch:
    """Reloads `knowledge` from `folder` on change (every `interval` seconds; 0 = never) or on request."""

    def __init__(self, knowledge: ReloadableKnowledge, folder: Path, *, interval: float) -> None:
        self._knowledge = knowledge
        self._folder = folder
        self._interval = interval
        self._seen = fingerprint(folder)
        self._lock = asyncio.Lock()

    async def reload(self, reason: str) -> bool:
        """Reload now; True when the new corpus replaced the old one."""
        async with self._lock:
            # Taken before reading: an edit landing during the load is seen by the next poll.
            self._seen = await asyncio.to_thread(fingerprint, self._folder)
            outcome = await asyncio.to_thread(self._knowledge.reload)
        if outcome.applied:
            log.info("corpus_reloaded reason=%s generation=%d entries=%d", reason, outcome.generation, outcome.entries)
        else:
            # The error names file, entry and field of the curated corpus; it holds no staff text.
            log.error(
                "corpus_reload_rejected reason=%s kept_generation=%d error=%s",
                reason,
                outcome.generation,
                outcome.error,
            )
        return outcome.applied

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                current = await asyncio.to_thread(fingerprint, self._folder)
                if current != self._seen:
                    await self.reload("file-change")
            except Exception:  # the watcher must outlive any one bad reload
                log.exception("corpus_watch_failed")

    async def watching(self, _app: web.Application) -> AsyncIterator[None]:
        """aiohttp cleanup context: poll while the application runs."""
        task = asyncio.create_task(self._poll()) if self._interval > 0 else None
        yield
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


CORPUS_WATCH = web.AppKey("corpus_watch", CorpusWatch)


def serve_reload_signal(app: web.Application, pid_path: Path) -> None:
    """Make SIGHUP reload the corpus of `app` and advertise this process in `pid_path` while it runs."""
    watch = app[CORPUS_WATCH]

    async def context(_app: web.Application) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        pending: set[asyncio.Task[bool]] = set()

        def on_signal() -> None:
            task = asyncio.create_task(watch.reload("signal"))
            pending.add(task)
            task.add_done_callback(pending.discard)

        loop.add_signal_handler(signal.SIGHUP, on_signal)
        write_pid_file(pid_path)
        log.info("reload_signal_ready pid_file=%s", pid_path)
        try:
            yield
        finally:
            loop.remove_signal_handler(signal.SIGHUP)
            with contextlib.suppress(FileNotFoundError):
                if pid_path.read_text(encoding="ascii").strip() == str(os.getpid()):
                    pid_path.unlink()

    app.cleanup_ctx.append(context)


def write_pid_file(path: Path) -> None:
    """Write this process id to `path`, readable by its owner only."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(f"{os.getpid()}\n")
    os.replace(partial, path)


class ReloadRequestError(FaqbotError):
    """No running bot could be asked to reload; the message says why."""

    exit_code = 1
    summary = "cannot ask the bot to reload"


def request_reload(pid_path: Path) -> int:
    """Send SIGHUP to the bot advertised in `pid_path`; return its pid."""
    try:
        stat = pid_path.stat()
        pid = int(pid_path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        raise ReloadRequestError(
            f"no running bot: {pid_path} does not exist (is `faqbot run` running with the same PORT / FAQBOT_PID_FILE?)"
        ) from None
    except (OSError, ValueError) as exc:
        raise ReloadRequestError(f"{pid_path}: not a pid file ({exc})") from None
    if stat.st_uid != os.getuid():
        # A pid file planted by another user must not make us signal one of our own processes.
        raise ReloadRequestError(f"{pid_path} belongs to another user; not signalling")
    if not _looks_like_the_bot(pid):
        raise ReloadRequestError(f"process {pid} from {pid_path} is not the bot (stale pid file)")
    try:
        os.kill(pid, signal.SIGHUP)
    except ProcessLookupError:
        raise ReloadRequestError(f"process {pid} from {pid_path} is not running (stale pid file)") from None
    except PermissionError:
        raise ReloadRequestError(f"not allowed to signal process {pid}") from None
    return pid


def _looks_like_the_bot(pid: int) -> bool:
    """Guard against a reused pid where /proc tells (Linux); elsewhere trust the pid file."""
    proc = Path("/proc")
    if not proc.is_dir():
        return True
    try:
        command = (proc / str(pid) / "cmdline").read_bytes()
    except OSError:
        return False
    return b"faqbot" in command or b"app.py" in command
