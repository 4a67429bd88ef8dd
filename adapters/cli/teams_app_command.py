"""`faqbot package` and `faqbot link`: the Teams app package to upload, and the chat link for managers."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from adapters.config.settings import Settings
from adapters.teams.teams_package import build_package, chat_link, official_validation


def run_link(settings: Settings, out: TextIO) -> int:
    """Print the link that opens a chat with the bot."""
    out.write(f"{chat_link(settings)}\n")
    return 0


def run_package(settings: Settings, zip_path: Path, *, official_check: bool, out: TextIO, err: TextIO) -> int:
    """Build the package at `zip_path` (raises PackageError); 5 when the official schema rejects it."""
    zip_path = build_package(settings, zip_path)
    if official_check:
        passed, report = official_validation(zip_path)
        out.write(f"{report}\n")
        if not passed:
            err.write(f"faqbot: {zip_path} does not validate against the official schema\n")
            return 5
    out.write(f"wrote {zip_path}: upload it in Teams (Apps > Manage your apps > Upload an app)\n")
    return 0
