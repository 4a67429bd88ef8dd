"""The bot's code names no organisation: its names and its helpdesk's come from configuration."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Only the settings module may name the default organisation, as its defaults.
DEFAULTS = ROOT / "adapters" / "config" / "settings.py"
NAMES = re.compile(r"NHSBT|NHS[\s#]+Blood[\s#]+and[\s#]+Transplant|HR[\s#]+Direct", re.IGNORECASE)  # also across comment lines


def named_lines(paths: list[Path]) -> list[str]:
    """`file:line: name` for every organisation name written in `paths`."""
    found = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        found += [f"{path.name}:{text.count(chr(10), 0, m.start()) + 1}: {m.group()!r}" for m in NAMES.finditer(text)]
    return found


@pytest.mark.parametrize("folder", ["bot", "adapters"])
def test_code_does_not_name_the_organisation(folder: str) -> None:
    paths = [path for path in sorted((ROOT / folder).rglob("*.py")) if path != DEFAULTS]
    assert paths
    assert named_lines(paths) == []


def test_app_does_not_name_the_organisation() -> None:
    assert named_lines([ROOT / "app.py"]) == []


def test_names_are_found_in_any_case_and_across_lines(tmp_path: Path) -> None:
    module = tmp_path / "texts.py"
    module.write_text('WELCOME = "Ask HR\\n"  # HR\n# Direct\nINTRO = "about nhsbt policies"\n', encoding="utf-8")
    assert named_lines([module]) == ["texts.py:1: 'HR\\n# Direct'", "texts.py:3: 'nhsbt'"]
