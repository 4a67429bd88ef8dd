"""The staff journey in the Microsoft 365 Agents Playground, against the real app over HTTP.

tools/playground_roundtrip.mjs drives the Playground (npm, installed by `make tools`): install ->
welcome -> example question button -> answer -> related question button -> answer -> thumbs up.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from aiohttp.test_utils import TestServer

from adapters.config.settings import Settings
from app import create_app

SCRIPT = Path(__file__).resolve().parent.parent / "tools" / "playground_roundtrip.mjs"


async def test_welcome_example_answer_related_thumbs_up_in_the_playground(settings: Settings) -> None:
    node = shutil.which("node")
    assert node, "Node 20 is required (see README: make tools)"
    server = TestServer(create_app(settings), host="127.0.0.1")
    await server.start_server()
    try:
        process = await asyncio.create_subprocess_exec(
            node,
            str(SCRIPT),
            str(server.make_url("/api/messages")),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    finally:
        await server.close()
    report = output.decode()
    assert process.returncode == 0, report
    assert report.count("PASS ") == 7, report
