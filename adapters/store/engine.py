"""Database engines for the store: SQLite (embedded default) or PostgreSQL (several instances).

The schema is created and upgraded by Alembic migrations in `migrations/`, applied at start-up
under a lock so several instances starting together do not race.

Every database call has a deadline (`deadline` seconds for connecting, for each statement and for
waiting on a pooled connection; SQLite waits that long for a lock). A call that misses it, a
refused or missing database, and a SQLite file that was removed or replaced while the bot runs
all raise `StoreUnavailable`, which the turn boundary answers with 503 and Retry-After.
"""

from __future__ import annotations

import asyncio
import fcntl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, ExceptionContext
from sqlalchemy.engine.url import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from knowledge.errors import FaqbotError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any constant works: it only has to be the same for every instance of this application.
_MIGRATION_LOCK_ID = 7_406_221_118
# Seconds: commands (report, purge) and migrations may take long; the serving app passes its own.
UNHURRIED_DEADLINE_SECONDS = 30.0


class StoreError(FaqbotError):
    """The store cannot be opened or migrated; the message says why (never a password)."""

    exit_code = 4
    summary = "the store cannot be used"


class StoreUnavailable(FaqbotError):
    """The database cannot be used right now (down, refused, too slow, or its file gone); the
    message names the cause, never a query or a value."""

    exit_code = 4
    summary = "the store cannot be used"


def is_outage(error: BaseException) -> bool:
    """True when `error` means the store is unavailable (worth a 503 and a retry), not a bug."""
    return isinstance(error, (StoreUnavailable, sa_exc.TimeoutError))


def async_url(url: str) -> str:
    """`url` with the async driver this project uses (aiosqlite or asyncpg)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif parsed.get_backend_name() == "postgresql":
        parsed = parsed.set(drivername="postgresql+asyncpg")
    else:
        raise StoreError(f"unsupported database {parsed.get_backend_name()!r}: use sqlite:// or postgresql://")
    return parsed.render_as_string(hide_password=False)


def create_engine(url: str, *, deadline: float = UNHURRIED_DEADLINE_SECONDS) -> AsyncEngine:
    """An engine for `url` whose every call gives up after about `deadline` seconds with
    `StoreUnavailable`; SQLite files are created (with their folder) as needed."""
    parsed = make_url(async_url(url))
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database if parsed.database and parsed.database != ":memory:" else None
        if database:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(parsed, connect_args={"timeout": deadline}, pool_timeout=deadline)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas(deadline))
        if database:
            _watch_sqlite_file(engine, Path(database))
    else:
        engine = create_async_engine(
            parsed,
            pool_size=10,
            max_overflow=10,
            pool_timeout=deadline,
            connect_args={"timeout": deadline, "command_timeout": deadline},
        )
        event.listen(engine.sync_engine, "checkout", _ping)
    event.listen(engine.sync_engine, "do_connect", _connect_or_unavailable)
    event.listen(engine.sync_engine, "handle_error", _unavailable_on_outage)
    return engine


def _connect_or_unavailable(dialect: Any, _record: object, cargs: Any, cparams: Any) -> Any:
    try:
        return dialect.connect(*cargs, **cparams)
    except Exception as exc:  # noqa: BLE001 - refused, timed out, no such database: all mean "not now"
        raise StoreUnavailable(f"cannot connect: {type(exc).__name__}") from exc


def _ping(dbapi_connection: Any, _record: object, _proxy: object) -> None:
    """SQLAlchemy's own pre-ping lets a ping timeout escape as a bare TimeoutError; any failed
    ping here makes the pool replace the connection (a failed reconnect raises from do_connect)."""
    try:
        dbapi_connection.ping()
    except Exception as exc:  # noqa: BLE001 - whatever the cause, this connection is unusable
        raise sa_exc.DisconnectionError(type(exc).__name__) from exc


def _unavailable_on_outage(context: ExceptionContext) -> None:
    original = context.original_exception
    if not isinstance(original, Exception):
        # A cancellation (or KeyboardInterrupt, SystemExit) inside a database call. SQLAlchemy
        # flags it `is_disconnect` so the connection is thrown away, but it is no outage: turned
        # into StoreUnavailable, it would be caught as an ordinary error and the cancelled task
        # would carry on (the retention purge then slept a day and app shutdown waited for it).
        return
    if (
        context.is_disconnect
        or isinstance(original, OSError)
        or isinstance(context.sqlalchemy_exception, (sa_exc.OperationalError, sa_exc.InterfaceError))
    ):
        raise StoreUnavailable(f"database error: {type(original).__name__}") from original


def _watch_sqlite_file(engine: AsyncEngine, path: Path) -> None:
    """Refuse to use the store once its file is removed or replaced.

    Open SQLite connections keep writing to a deleted file, so without this check a ticket would
    be confirmed to staff and lost with the file.
    """
    identity: list[tuple[int, int]] = []

    def check(*_args: object) -> None:
        try:
            status = path.stat()
        except OSError:
            raise StoreUnavailable("the SQLite file is gone") from None
        if not identity:
            identity.append((status.st_dev, status.st_ino))
        elif identity[0] != (status.st_dev, status.st_ino):
            raise StoreUnavailable("the SQLite file was replaced")

    event.listen(engine.sync_engine, "connect", check)
    event.listen(engine.sync_engine, "checkout", check)


def _sqlite_pragmas(deadline: float) -> Any:
    def pragmas(dbapi_connection: Any, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets readers run during a write; FULL makes a confirmed ticket survive power loss.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(deadline * 1000)}")
        cursor.close()

    return pragmas


async def migrate(engine: AsyncEngine) -> None:
    """Bring the schema to the newest revision; safe when several processes start together."""
    try:
        async with _sqlite_file_lock(engine), engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                await connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
            await connection.run_sync(_upgrade)
    except (OSError, StoreUnavailable) as exc:
        raise StoreError(f"database unreachable: {type(exc).__name__}") from None


@asynccontextmanager
async def _sqlite_file_lock(engine: AsyncEngine) -> AsyncIterator[None]:
    """An exclusive lock beside a SQLite file (SQLite has no advisory locks of its own)."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate-lock", "a+b") as lock:
        await asyncio.to_thread(fcntl.flock, lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _upgrade(connection: Connection) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "heads")


@dataclass(frozen=True)
class StoreReachable:
    """Ready when the database answers a trivial query."""

    engine: AsyncEngine
    name: str = "store"

    async def ready(self) -> bool:
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return True
