"""`faqbot run` on a port another program holds: one line naming the setting, nothing else done."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT, environment, free_port


@pytest.mark.parametrize("setting", ["PORT", "FAQBOT_METRICS_PORT"])
def test_a_taken_port_stops_the_bot_with_one_line_naming_the_setting(setting: str, tmp_path: Path) -> None:
    pid_file, database = tmp_path / "bot.pid", tmp_path / "bot.sqlite3"
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        ports = {"PORT": str(free_port()), "FAQBOT_METRICS_PORT": str(free_port()), setting: str(taken)}
        result = subprocess.run(
            [sys.executable, "app.py", "run"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env=environment(**ports, FAQBOT_PID_FILE=str(pid_file), FAQBOT_DATABASE_URL=f"sqlite:///{database}"),
        )
    assert result.returncode == 7
    assert result.stdout == ""
    # One line: no traceback, no "listening on", not even the local-mode warning before it.
    assert result.stderr.splitlines() == [
        f"faqbot run: cannot listen: port {taken} on 127.0.0.1 is already in use by another program: "
        f"set {setting} to a free port"
    ]
    assert not pid_file.exists()
    assert not database.exists()
    assert list(tmp_path.iterdir()) == []
