"""What staff are told about storage is what the store keeps: one list, the store's tables, docs/privacy.md."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from adapters.store import tables
from bot import Organisation
from bot.privacy import RECORDS, Retention, privacy_note

ROOT = Path(__file__).resolve().parent.parent


def test_every_stored_table_is_in_the_privacy_records() -> None:
    assert {record.table for record in RECORDS} == set(tables.metadata.tables)


def test_docs_privacy_lists_exactly_the_stored_tables() -> None:
    documented = re.findall(r"^\| `(\w+)` \|", (ROOT / "docs/privacy.md").read_text(encoding="utf-8"), re.M)
    assert sorted(documented) == sorted(record.table for record in RECORDS)


def test_the_note_names_every_record_kept_about_staff_with_its_retention() -> None:
    note = privacy_note(
        Organisation("Northfield Trust", "Northfield", "People Services"),
        Retention(questions=dt.timedelta(days=30), feedback=dt.timedelta(days=60), tickets=dt.timedelta(days=90)),
    )
    assert "question you ask" in note and "for 30 days" in note
    assert "feedback" in note and "for 60 days" in note
    assert "welcomed you" in note
    assert "send to People Services" in note and "until 90 days after" in note
    assert "365" not in note
