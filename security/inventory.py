"""What is installed and must be audited: the Python packages of a virtual environment, exactly as
`pip freeze` lists them (without the project itself), and the Node tools pinned in a
package-lock.json (what `npm ci` installs)."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

PYPI = "PyPI"
NPM = "npm"
PROJECT = "hr-faq-bot"


class InventoryError(ValueError):
    """The installed set cannot be read, or holds a package that cannot be audited by version."""


@dataclass(frozen=True, order=True)
class Package:
    ecosystem: str
    name: str
    version: str

    @property
    def key(self) -> tuple[str, str]:
        return self.ecosystem, canonical_name(self.ecosystem, self.name)


def canonical_name(ecosystem: str, name: str) -> str:
    """PyPI names compare case-insensitively with runs of `-_.` equal (PEP 503); npm names exactly."""
    return re.sub(r"[-_.]+", "-", name).lower() if ecosystem == PYPI else name


def python_packages(venv_python: str) -> list[Package]:
    freeze = subprocess.run(  # noqa: S603 - the venv's own python, no shell
        [venv_python, "-m", "pip", "freeze", "--exclude-editable"], capture_output=True, text=True, check=True
    )
    return parse_freeze(freeze.stdout)


def parse_freeze(text: str) -> list[Package]:
    """`name==version` lines; the project itself is left out, anything not pinned to a version is an error."""
    packages = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, separator, version = line.partition("==")
        if not separator or not version.strip():
            raise InventoryError(f"{line!r} is not pinned to a released version and cannot be audited")
        if canonical_name(PYPI, name) != PROJECT:
            packages.append(Package(PYPI, name.strip(), version.strip()))
    return packages


def npm_packages(lock_path: Path) -> list[Package]:
    """Every package of a lockfile (version 2 or 3), nested copies included."""
    try:
        lock = json.loads(lock_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InventoryError(f"{lock_path}: {exc}") from None
    entries = lock.get("packages")
    if not isinstance(entries, dict):
        raise InventoryError(f"{lock_path}: no 'packages' (lockfileVersion 2 or later is needed)")
    packages = set()
    for path, entry in entries.items():
        if not path or entry.get("link"):
            continue  # the root project, or a symlink to a folder that is listed itself
        name = entry.get("name") or path.rsplit("node_modules/", 1)[-1]
        if not entry.get("version"):
            raise InventoryError(f"{lock_path}: {path} has no version")
        packages.add(Package(NPM, name, entry["version"]))
    return sorted(packages)
