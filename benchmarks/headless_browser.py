"""Render a local HTML file in headless Chromium: its DOM as the browser built it, or a screenshot.

Chromium is Debian's package (`make browser` installs it when missing).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
)


def chromium() -> str:
    """The Chromium executable; FileNotFoundError naming `make browser` when there is none."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise FileNotFoundError("no headless Chromium found: run `make browser` (installs Debian's chromium)")


def _run(page: Path, *extra: str) -> str:
    with tempfile.TemporaryDirectory(prefix="faqbot-chromium-") as profile:
        result = subprocess.run(
            [chromium(), *_FLAGS, f"--user-data-dir={profile}", *extra, page.resolve().as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    return result.stdout


def dump_dom(page: Path) -> str:
    """The page's DOM after Chromium parsed and laid it out, serialised as HTML."""
    return _run(page, "--dump-dom")


def screenshot(page: Path, png: Path, *, width: int = 1200, height: int = 1600) -> None:
    """A PNG of the page at `width` x `height`."""
    _run(page, f"--screenshot={png.resolve()}", f"--window-size={width},{height}")
    if not png.exists():
        raise RuntimeError(f"chromium wrote no screenshot to {png}")
