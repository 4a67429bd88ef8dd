"""Which bot processes are alive, as seen by every process sharing the store.

Each process holds a lock named by its random owner id for as long as it runs: a PostgreSQL
session advisory lock, or an exclusive `flock` on a file beside the SQLite database. The kernel
or the database server releases it when the process dies, even by SIGKILL, so a lock nobody
holds means its owner is gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import secrets
from pathlib import Path
from typing import IO

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

# Seconds between checks that this process still holds its PostgreSQL lock (it is lost with the connection).
KEEP_SECONDS = 5.0


def new_owner_id() -> str:
    """A random id for one process: a positive 63-bit number, also usable as an advisory lock key."""
    return str(secrets.randbits(62) + 1)


class Instances:
    """This process's presence (`hold`) and the liveness of others (`alive`)."""

    def __init__(self, engine: AsyncEngine, *, owner: str | None = None) -> None:
        self.owner = owner or new_owner_id()
        self._engine = engine
        self._postgres = engine.dialect.name == "postgresql"
        database = engine.url.database if not self._postgres else None
        self._folder = Path(f"{database}.instances") if database and database != ":memory:" else None
        self._file: IO[bytes] | None = None
        self._connection: AsyncConnection | None = None
        self._keeper: asyncio.Task[None] | None = None

    async def hold(self) -> None:
        """Take this process's lock; held until `release` or the process ends."""
        if self._postgres:
            await self._lock_session()
            self._keeper = asyncio.create_task(self._keep(), name="instance-lock")
        elif self._folder is not None:
            self._folder.mkdir(parents=True, exist_ok=True)
            self._file = open(self._folder / self.owner, "wb")  # noqa: SIM115 - held for the process's life
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    async def release(self) -> None:
        if self._keeper is not None:
            self._keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._keeper
        if self._connection is not None:
            await _end_session(self._connection)
            self._connection = None
        if self._file is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._file.name)
            self._file.close()
            self._file = None

    async def alive(self, owner: str) -> bool:
        """Whether the process `owner` still runs (this one always does)."""
        if owner == self.owner:
            return True
        if self._postgres:
            if not owner.isdigit():
                return False
            async with self._engine.begin() as connection:
                # Succeeds only when no session holds the lock; released again at commit.
                free = await connection.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": int(owner)})
            return not free
        if self._folder is None:
            return False  # an in-memory database has no other process
        return await asyncio.to_thread(_file_locked, self._folder / Path(owner).name)

    async def _lock_session(self) -> None:
        connection = await self._engine.connect()
        try:
            await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": int(self.owner)})
            await connection.commit()  # the session lock outlives the transaction
        except BaseException:
            await _end_session(connection)
            raise
        self._connection = connection

    async def _keep(self) -> None:
        """Re-take the lock after the database dropped the session holding it."""
        while True:
            await asyncio.sleep(KEEP_SECONDS)
            try:
                if self._connection is not None:
                    await self._connection.execute(text("SELECT 1"))
                    await self._connection.commit()
                    continue
            except Exception as exc:  # noqa: BLE001 - reconnect below
                log.warning("instance lock connection lost: %s", type(exc).__name__)
                if self._connection is not None:
                    await _end_session(self._connection)
                self._connection = None
            with contextlib.suppress(Exception):
                await self._lock_session()


async def _end_session(connection: AsyncConnection) -> None:
    """Close the database session itself: returned to the pool, it would keep holding the lock."""
    with contextlib.suppress(Exception):
        await connection.invalidate()
    with contextlib.suppress(Exception):
        await connection.close()


def _file_locked(path: Path) -> bool:
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        return False
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        with contextlib.suppress(OSError):
            path.unlink()  # its owner is gone: tidy up
        return False
