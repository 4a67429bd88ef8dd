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
# Each Microsoft SDK (its import roots) is confined to its own folder; see adapters/teams/sdk.py.
SDK_FOLDERS = {
    "adapters/teams/botbuilder/": {"botbuilder", "botframework", "msrest"},
    "adapters/teams/agents/": {"microsoft_agents"},
}
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


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(paths: list[Path] | None = None, root: Path = ROOT) -> dict[str, set[str]]:
    """Our modules and the modules of ours each imports anywhere in its source: at the top, inside
    functions, under TYPE_CHECKING. `from package import name` counts as importing the submodule
    when `name` is one, else the package; a parent package's implicit import is not counted."""
    modules = {module_name(path, root): path for path in (sources() if paths is None else paths)}

    def ours(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str | None] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(ours(alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([node.module] if node.module else [])])
                targets.update(ours(f"{base}.{alias.name}") for alias in node.names)
        graph[name] = {target for target in targets if target is not None and target != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(graph[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_respects_dependency_direction(package: str) -> None:
    for path in (ROOT / package).rglob("*.py"):
        leaked = imported_roots(path) & FORBIDDEN[package]
        assert leaked == set(), f"{path.relative_to(ROOT)} imports {leaked}"


def test_no_import_cycles_even_through_imports_inside_functions() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_check_sees_imports_inside_functions_and_type_checking(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "cards.py").write_text("from pkg import engagement_cards\n")
    (package / "engagement_cards.py").write_text("def render():\n    from pkg.cards import render\n")
    (package / "ports.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import questions\n"
    )
    (package / "questions.py").write_text("import pkg.ports\n")
    graph = import_graph(sorted(package.rglob("*.py")), root=tmp_path)
    assert sorted(cycles(graph)) == [["pkg.cards", "pkg.engagement_cards"], ["pkg.ports", "pkg.questions"]]


def test_test_modules_share_helpers_through_tests_support_only() -> None:
    for path in (ROOT / "tests").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names.append(node.module)
            for name in names:
                last = name.rsplit(".", 1)[-1]
                is_test_module = name.startswith("tests.") and (last.startswith("test_") or last == "conftest")
                assert not is_test_module, (
                    f"{path.relative_to(ROOT)} imports {name}: move the helper to tests/support.py"
                )


@pytest.mark.parametrize("folder", sorted(SDK_FOLDERS))
def test_each_sdk_stays_in_its_folder(folder: str) -> None:
    roots_of_sdk = SDK_FOLDERS[folder]
    users = {path.relative_to(ROOT).as_posix() for path in sources() if imported_roots(path) & roots_of_sdk}
    assert users, f"no module imports {roots_of_sdk}: the rule would pass on any layout"
    assert {user for user in users if not user.startswith(folder)} == set()


def test_only_settings_reads_the_environment() -> None:
    for path in sources():
        text = path.read_text(encoding="utf-8")
        if "os.environ" in text or "getenv(" in text:
            assert path.relative_to(ROOT).as_posix() in ENVIRONMENT_READERS, path
