"""The dependency rules of the layout, checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("knowledge", "bot", "insights", "adapters")
# insights reads the question history, whose record types bot/ owns; both are pure, so it may use both.
FORBIDDEN = {
    "knowledge": {"bot", "insights", "adapters", "app"},
    "bot": {"insights", "adapters", "app"},
    "insights": {"adapters", "app"},
    "adapters": {"app"},
}
SDK_ROOTS = {"botbuilder", "botframework", "msrest"}
SDK_FOLDER = "adapters/teams/botbuilder/"
ENVIRONMENT_READERS = {"adapters/config/settings.py", "app.py"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def sources() -> list[Path]:
    return [ROOT / "app.py", *(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_respects_dependency_direction(package: str) -> None:
    for path in (ROOT / package).rglob("*.py"):
        leaked = imported_roots(path) & FORBIDDEN[package]
        assert leaked == set(), f"{path.relative_to(ROOT)} imports {leaked}"


def test_botbuilder_stays_in_its_folder() -> None:
    for path in sources():
        if SDK_ROOTS & imported_roots(path):
            assert path.relative_to(ROOT).as_posix().startswith(SDK_FOLDER), path


def test_the_sdk_folder_is_the_one_that_uses_the_sdk() -> None:
    users = {path for path in sources() if SDK_ROOTS & imported_roots(path)}
    assert users, "no module imports the SDK: the rule above would pass on any layout"


def test_only_settings_reads_the_environment() -> None:
    for path in sources():
        text = path.read_text(encoding="utf-8")
        if "os.environ" in text or "getenv(" in text:
            assert path.relative_to(ROOT).as_posix() in ENVIRONMENT_READERS, path
