"""The Playground screenshots in docs/cards/playground/ can be re-drawn: tools/playground_screens.mjs
serves the bot in local mode (`faqbot run`), opens the Agents Playground's web UI in headless Chromium
and shoots each card as it appears there.
"""

from __future__ import annotations

import asyncio
import shutil
import struct
import sys
from pathlib import Path

from tests.support import ROOT

SCRIPT = ROOT / "tools" / "playground_screens.mjs"
DOCS = ROOT / "docs" / "cards" / "playground"
SHOTS = {"welcome", "answer", "answer-related", "answer-voted", "did-you-mean"}


def _size(png: Path) -> tuple[int, int]:
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", png
    width, height = struct.unpack(">II", header[16:24])
    return width, height


async def test_every_playground_card_is_shot_and_documented(tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node, "Node 20 is required (see README: make tools)"
    faqbot = Path(sys.executable).parent / "faqbot"
    process = await asyncio.create_subprocess_exec(
        node, str(SCRIPT), str(tmp_path), str(faqbot), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=180)
    assert process.returncode == 0, output.decode()
    shot = {png.stem: _size(png) for png in tmp_path.glob("*.png")}
    assert set(shot) == SHOTS, output.decode()
    assert {png.stem for png in DOCS.glob("*.png")} == SHOTS
    # A whole message is a card with its author line; the related questions are a strip of it.
    for name, (width, height) in shot.items():
        assert width >= 400, (name, width)
        assert height >= (100 if name == "answer-related" else 250), (name, height)
    assert shot["answer-voted"][1] > shot["answer-related"][1]
