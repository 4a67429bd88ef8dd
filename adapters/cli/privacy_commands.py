"""Commands for the organisation's information governance: purge, export and erase personal data."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TextIO

from adapters.config.settings import Settings
from adapters.store import create_engine, migrate
from adapters.store.personal_data import PersonalData, PseudonymKey, Removed, Retention
from adapters.store.pseudonym import Pseudonymizer

log = logging.getLogger(__name__)


def retention_for(settings: Settings) -> Retention:
    """How long each kind of personal data is kept, from the settings."""
    return Retention(
        tickets=dt.timedelta(days=settings.retain_tickets_days),
        feedback=dt.timedelta(days=settings.retain_feedback_days),
        questions=dt.timedelta(days=settings.retain_questions_days),
    )


def pseudonym_key_for(settings: Settings) -> PseudonymKey:
    """How stored pseudonyms are made from a person's id (the same salt as the running bot)."""
    pseudonyms = Pseudonymizer(settings.effective_pseudonym_salt)
    return lambda person, namespace: pseudonyms.key(person, namespace=namespace)


def _print_removed(title: str, removed: Removed, out: TextIO) -> None:
    out.write(f"{title}\n")
    for table, number in removed.counts.items():
        out.write(f"  removed  {number:>6}  {table}\n")
    for what, number in removed.kept.items():
        out.write(f"  kept     {number:>6}  {what}\n")


async def _with_store(database_url: str, pseudonym: PseudonymKey, work: Callable[[PersonalData], object]) -> object:
    engine = create_engine(database_url)
    try:
        await migrate(engine)
        return await work(PersonalData(engine, pseudonym))  # type: ignore[misc]
    finally:
        await engine.dispose()


def run_purge(database_url: str, pseudonym: PseudonymKey, retention: Retention, out: TextIO) -> int:
    """Delete everything past its retention period now; prints what was removed."""
    removed = asyncio.run(
        _with_store(database_url, pseudonym, lambda data: data.purge(retention, now=dt.datetime.now(dt.UTC)))
    )
    assert isinstance(removed, Removed)
    _print_removed("Retention purge", removed, out)
    return 0


def run_export(database_url: str, pseudonym: PseudonymKey, aad_object_id: str, output: Path | None, out: TextIO) -> int:
    """Write everything stored about one person as JSON (to `output`, or standard output)."""
    exported = asyncio.run(_with_store(database_url, pseudonym, lambda data: data.export(aad_object_id)))
    text = json.dumps(exported, indent=2, ensure_ascii=False)
    if output is None:
        out.write(text + "\n")
    else:
        output.write_text(text + "\n", encoding="utf-8")
        output.chmod(0o600)
        out.write(f"written to {output}\n")
    return 0


def run_erase(
    database_url: str,
    pseudonym: PseudonymKey,
    aad_object_id: str,
    *,
    keep_open_tickets: bool,
    confirmed: bool,
    out: TextIO,
) -> int:
    """Erase one person's data; refuses without `confirmed`."""
    if not confirmed:
        out.write("Erasure is permanent. Export first (faqbot export-user), then run again with --yes.\n")
        return 1
    removed = asyncio.run(
        _with_store(
            database_url, pseudonym, lambda data: data.erase(aad_object_id, keep_open_tickets=keep_open_tickets)
        )
    )
    assert isinstance(removed, Removed)
    _print_removed("Erasure", removed, out)
    return 0


async def purge_every(data: PersonalData, retention: Retention, interval: dt.timedelta) -> AsyncIterator[None]:
    """Background purge for the running bot: now, then every `interval` (counts only in the log)."""

    async def loop() -> None:
        while True:
            try:
                removed = await data.purge(retention, now=dt.datetime.now(dt.UTC))
                log.info("retention purge: %s", dict(removed.counts))
            except Exception as exc:  # noqa: BLE001 - a failed purge is retried next time; serving goes on
                log.warning("retention purge failed: %s", type(exc).__name__)
            await asyncio.sleep(interval.total_seconds())

    task = asyncio.create_task(loop(), name="retention-purge")
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
