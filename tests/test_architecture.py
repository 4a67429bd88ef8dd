"""The dependency rules of the layout, checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"knowledge", "bot", "adapters", "app"}
FORBIDDEN = {"knowledge": {"bot", "adapters", "app"}, "bot": {"adapters", "app"}, "adapters": {"app"}}
BOTBUILDER_ALLOWED = {"adapters/bot_framework.py", "adapters/teams_handler.py", "adapters/ticket_delivery.py"}
ENVIRONMENT_READERS = {"adapters/settings.py", "app.py"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def sources() -> list[Path]:
    return [ROOT / "app.py", *(p for pkg in ("knowledge", "bot", "adapters") for p in (ROOT / pkg).rglob("*.py"))]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_respects_dependency_direction(package: str) -> None:
    for path in (ROOT / package).rglob("*.py"):
        leaked = imported_roots(path) & FORBIDDEN[package]
        assert leaked == set(), f"{path.relative_to(ROOT)} imports {leaked}"


def test_botbuilder_stays_at_the_edge() -> None:
    for path in sources():
        roots = imported_roots(path)
        if {"botbuilder", "botframework", "msrest"} & roots:
            assert str(path.relative_to(ROOT)) in BOTBUILDER_ALLOWED, path


def test_only_settings_reads_the_environment() -> None:
    for path in sources():
        text = path.read_text(encoding="utf-8")
        if "os.environ" in text or "getenv(" in text:
            assert str(path.relative_to(ROOT)) in ENVIRONMENT_READERS, path
