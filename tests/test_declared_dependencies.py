"""Every third-party package our code imports is declared, not borrowed from another package's dependencies."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = {"knowledge", "bot", "adapters", "insights", "app"}
# Imported by PyJWT itself for RS256; our code imports jwt and relies on it verifying Microsoft's RSA keys.
IMPLIED = {"cryptography"}


def _name(requirement: str) -> str:
    return re.split(r"[\s\[=<>~!;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {_name(r) for r in project["dependencies"]}
    for line in (ROOT / "requirements-encoder.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            names.add(_name(line))
    return names


def imported_roots() -> set[str]:
    roots: set[str] = set()
    paths = [ROOT / "app.py", *(p for pkg in sorted(OURS - {"app"}) for p in (ROOT / pkg).rglob("*.py"))]
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                roots.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                roots.add(node.module.split(".")[0])
    return roots - set(sys.stdlib_module_names) - OURS


def test_every_imported_package_is_declared() -> None:
    distributions = packages_distributions()
    names = declared()
    undeclared = {
        root: distributions.get(root, [root])
        for root in imported_roots()
        if not {d.lower().replace("_", "-") for d in distributions.get(root, [root])} & names
    }
    assert undeclared == {}, f"imported but not declared in pyproject.toml: {undeclared}"


def test_packages_our_imports_rely_on_are_declared() -> None:
    assert declared() >= IMPLIED
