"""Real databases for tests: a SQLite file, or a fresh PostgreSQL database on the local server.

Each PostgreSQL test gets its own database (created and dropped here), because other test runs
may share the server. Set FAQBOT_TEST_POSTGRES_URL to use another server than 127.0.0.1:5432.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
from sqlalchemy.engine.url import make_url

POSTGRES_ADMIN_URL = os.environ.get("FAQBOT_TEST_POSTGRES_URL", "postgresql://127.0.0.1:5432/test")
KINDS = ("sqlite", "postgresql")


@asynccontextmanager
async def database_url(kind: str, folder: Path) -> AsyncIterator[str]:
    """A URL of an empty database of `kind` that exists for the duration of the block."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'faqbot.sqlite3'}"
        return
    name = f"faqbot_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


def temporary_sqlite_url() -> str:
    """A SQLite file in a fresh temporary folder, for apps a test builds outside the fixtures."""
    import tempfile

    return f"sqlite:///{tempfile.mkdtemp(prefix='faqbot-test-')}/bot.sqlite3"
