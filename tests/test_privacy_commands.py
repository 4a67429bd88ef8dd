"""Subject access through the commands an information governance lead runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters.store import create_engine, migrate
from tests.support import ADA, BEN, CommandResult, add_ticket, run_faqbot


def faqbot(*args: str, database: str) -> CommandResult:
    return run_faqbot(*args, FAQBOT_DATABASE_URL=database)


@pytest.fixture
async def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    engine = create_engine(url)
    await migrate(engine)
    await add_ticket(engine, 1, ADA, status="resolved", age_days=2, question="can I claim travel while off sick")
    await add_ticket(engine, 2, BEN, status="resolved", age_days=2, question="ben asks something else")
    await engine.dispose()
    return url


def test_export_then_erase_round_trip(database: str, tmp_path: Path) -> None:
    exported = tmp_path / "ada.json"
    result = faqbot("export-user", ADA, "--output", str(exported), database=database)
    assert result.returncode == 0, result.stderr
    data = json.loads(exported.read_text())
    assert [t["question"] for t in data["tickets_asked"]] == ["can I claim travel while off sick"]
    assert oct(exported.stat().st_mode & 0o777) == "0o600"

    refused = faqbot("erase-user", ADA, database=database)
    assert refused.returncode == 1 and "--yes" in refused.stdout
    erased = faqbot("erase-user", ADA, "--yes", database=database)
    assert erased.returncode == 0, erased.stderr
    assert "removed       1  tickets" in erased.stdout

    after = json.loads(faqbot("export-user", ADA, database=database).stdout)
    assert after["tickets_asked"] == [] and after["ticket_history"] == []
    other = json.loads(faqbot("export-user", BEN, database=database).stdout)
    assert [t["question"] for t in other["tickets_asked"]] == ["ben asks something else"]


def test_purge_command_reports_what_it_removed(database: str) -> None:
    result = faqbot("purge", database=database)
    assert result.returncode == 0, result.stderr
    assert "Retention purge" in result.stdout and "tickets" in result.stdout
