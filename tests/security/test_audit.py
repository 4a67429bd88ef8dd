"""The dependency audit (`make audit`), run as CI runs it: exit codes and what it prints."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from security.inventory import InventoryError, Package, parse_freeze
from security.osv import Snapshot, findings

ROOT = Path(__file__).resolve().parent.parent.parent
SNAPSHOT = ROOT / "security" / "advisories.json"
AS_OF = dt.date.fromisoformat(json.loads(SNAPSHOT.read_text(encoding="utf-8"))["as_of"])
NO_EXCEPTIONS = "# none\n"


def audit(
    tmp_path: Path, *args: str, freeze: str | None = None, exceptions: str = NO_EXCEPTIONS, today: dt.date = AS_OF
) -> subprocess.CompletedProcess[str]:
    (tmp_path / "exceptions.txt").write_text(exceptions, encoding="utf-8")
    installed = ["--python", sys.executable]
    if freeze is not None:
        (tmp_path / "freeze.txt").write_text(freeze, encoding="utf-8")
        installed = ["--freeze", str(tmp_path / "freeze.txt")]
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "security.audit",
            *args,
            *installed,
            "--exceptions",
            str(tmp_path / "exceptions.txt"),
            "--today",
            today.isoformat(),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- Against the committed snapshot -------------------------------------------------------------


def test_an_old_aiohttp_is_flagged_and_fails_the_audit(tmp_path: Path) -> None:
    result = audit(tmp_path, "check", freeze="aiohttp==3.10.8\nhr-faq-bot==0.1.0\n")
    assert result.returncode == 1, result.stdout
    assert "VULNERABLE aiohttp 3.10.8 (PyPI): PYSEC-2026-1096 / CVE-2024-52303" in result.stdout
    assert "VULNERABLE aiohttp 3.10.8 (PyPI): PYSEC-2026-3545 / CVE-2026-69244" in result.stdout
    assert "hr-faq-bot" not in result.stdout  # the project itself is not audited


def test_the_pinned_versions_of_the_same_packages_pass(tmp_path: Path) -> None:
    result = audit(tmp_path, "check", freeze="aiohttp==3.14.5\nPyJWT==2.15.1\ncryptography==50.0.2\n")
    assert result.returncode == 0, result.stdout
    assert "VULNERABLE" not in result.stdout


def test_a_documented_exception_accepts_the_finding_it_names_by_any_alias(tmp_path: Path) -> None:
    until = AS_OF + dt.timedelta(days=30)
    result = audit(
        tmp_path,
        "check",
        freeze="PyJWT==2.12.1\n",
        exceptions=f"GHSA-xgmm-8j9v-c9wx  until {until}  # we allow RS256 only, never HMAC\n",
    )
    assert result.returncode == 0, result.stdout
    assert f"ACCEPTED until {until}" in result.stdout
    assert "we allow RS256 only" in result.stdout and "CVE-2026-48526" in result.stdout


def test_an_exception_does_not_cover_other_findings(tmp_path: Path) -> None:
    until = AS_OF + dt.timedelta(days=30)
    result = audit(
        tmp_path, "check", freeze="PyJWT==2.10.0\n", exceptions=f"CVE-2026-48526  until {until}  # reviewed\n"
    )
    assert result.returncode == 1
    assert "VULNERABLE PyJWT 2.10.0 (PyPI): PYSEC-2026-1814" in result.stdout


def test_an_expired_exception_fails(tmp_path: Path) -> None:
    until = AS_OF - dt.timedelta(days=1)
    result = audit(
        tmp_path,
        "check",
        freeze="PyJWT==2.12.1\n",
        exceptions=f"GHSA-xgmm-8j9v-c9wx  until {until}  # reviewed last quarter\n",
    )
    assert result.returncode == 1
    assert f"EXPIRED exception GHSA-xgmm-8j9v-c9wx (exceptions.txt:1) ran out on {until}" in result.stdout


@pytest.mark.parametrize(
    "line",
    [
        "GHSA-xgmm-8j9v-c9wx  # no date",
        "GHSA-xgmm-8j9v-c9wx  until 2027-01-01",
        "GHSA-xgmm-8j9v-c9wx  until 2027-02-30  # not a date",
    ],
)
def test_an_exception_without_a_reason_or_a_valid_date_is_an_error(tmp_path: Path, line: str) -> None:
    result = audit(tmp_path, "check", freeze="PyJWT==2.12.1\n", exceptions=line + "\n")
    assert result.returncode == 2
    assert "audit: ERROR exceptions.txt:1:" in result.stdout


def test_a_snapshot_older_than_its_max_age_warns_and_fails_only_when_asked(tmp_path: Path) -> None:
    max_age = json.loads(SNAPSHOT.read_text(encoding="utf-8"))["max_age_days"]
    fresh = audit(tmp_path, "check", freeze="aiohttp==3.14.5\n", today=AS_OF + dt.timedelta(days=max_age))
    late = AS_OF + dt.timedelta(days=max_age + 1)
    stale = audit(tmp_path, "check", freeze="aiohttp==3.14.5\n", today=late)
    strict = audit(tmp_path, "check", "--fail-when-stale", freeze="aiohttp==3.14.5\n", today=late)
    assert fresh.returncode == 0 and "WARNING the advisory snapshot expires in 0 days" in fresh.stdout
    assert stale.returncode == 0
    assert f"WARNING STALE the advisory snapshot is {max_age + 1} days old" in stale.stdout
    assert f"published since {AS_OF} are not checked" in stale.stdout
    assert strict.returncode == 1
    assert f"audit: STALE the advisory snapshot is {max_age + 1} days old" in strict.stdout


def test_the_node_tools_lockfile_is_audited_including_nested_copies(tmp_path: Path) -> None:
    lock = {
        "lockfileVersion": 3,
        "packages": {
            "": {"name": "tools"},
            "node_modules/ws": {"version": "8.17.1"},
            "node_modules/playwright-core/node_modules/ws": {"version": "8.16.0"},
            "node_modules/node-fetch": {"version": "3.3.2"},
        },
    }
    (tmp_path / "package-lock.json").write_text(json.dumps(lock), encoding="utf-8")
    result = audit(tmp_path, "check", "--npm-lock", str(tmp_path / "package-lock.json"), freeze="")
    assert result.returncode == 1
    assert "VULNERABLE ws 8.16.0 (npm): GHSA-3h5v-q93c-6h6q / CVE-2024-37890" in result.stdout
    assert "ws 8.17.1" not in result.stdout and "node-fetch" not in result.stdout


def test_the_project_environment_is_read_with_pip_freeze(tmp_path: Path) -> None:
    """The real venv: a made-up advisory against an installed package is found, the project is left out."""
    snapshot = {
        "as_of": AS_OF.isoformat(),
        "max_age_days": 90,
        "source": "test",
        "vulnerabilities": [
            {
                "id": "TEST-1",
                "aliases": [],
                "summary": "made up",
                "affected": [
                    {
                        "package": {"ecosystem": "PyPI", "name": "iniconfig"},
                        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "999"}]}],
                    }
                ],
            }
        ],
    }
    (tmp_path / "snapshot.json").write_text(json.dumps(snapshot), encoding="utf-8")
    result = audit(tmp_path, "check", "--snapshot", str(tmp_path / "snapshot.json"))
    assert result.returncode == 1
    assert "VULNERABLE iniconfig" in result.stdout and "TEST-1" in result.stdout
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--exclude-editable"], capture_output=True, text=True, check=True
    ).stdout
    assert f"audit: {len(parse_freeze(installed))} Python and 0 npm packages" in result.stdout


# --- Matching and reading ---------------------------------------------------------------------------


def snapshot_of(*records: dict[str, Any]) -> Snapshot:
    return Snapshot(as_of=AS_OF, max_age_days=90, source="test", records=records)


def record(ecosystem: str, name: str, *events: dict[str, str], kind: str = "ECOSYSTEM") -> dict[str, Any]:
    return {
        "id": "X",
        "affected": [
            {"package": {"ecosystem": ecosystem, "name": name}, "ranges": [{"type": kind, "events": list(events)}]}
        ],
    }


@pytest.mark.parametrize(
    ("version", "affected"),
    [
        ("1.9", False),
        ("2.0", True),
        ("2.4.9", True),
        ("2.5.0", False),
        ("3.0rc1", True),
        ("3.1", True),
        ("3.2", False),
    ],
)
def test_osv_ranges_open_at_introduced_and_close_at_fixed_or_after_last_affected(version: str, affected: bool) -> None:
    rec = record(
        "PyPI",
        "Some_Package",
        {"introduced": "2.0"},
        {"fixed": "2.5.0"},
        {"introduced": "3.0rc1"},
        {"last_affected": "3.1"},
    )
    found = findings(snapshot_of(rec), [Package("PyPI", "some-package", version)])
    assert bool(found) is affected


@pytest.mark.parametrize(
    ("version", "affected"),
    [
        ("8.0.0-beta.1", False),
        ("8.0.0", True),
        ("8.17.0", True),
        ("8.17.1-rc.1", True),
        ("8.17.1", False),
    ],
)
def test_semver_ranges_order_pre_releases_before_their_release(version: str, affected: bool) -> None:
    rec = record("npm", "ws", {"introduced": "8.0.0"}, {"fixed": "8.17.1"}, kind="SEMVER")
    assert bool(findings(snapshot_of(rec), [Package("npm", "ws", version)])) is affected


def test_withdrawn_records_are_ignored() -> None:
    rec = record("PyPI", "a", {"introduced": "0"}) | {"withdrawn": "2026-01-01T00:00:00Z"}
    assert findings(snapshot_of(rec), [Package("PyPI", "a", "1.0")]) == []


def test_a_freeze_line_not_pinned_to_a_version_cannot_be_audited() -> None:
    assert parse_freeze("a==1.0\nhr_faq_bot==0.1.0\n\n# comment\n") == [Package("PyPI", "a", "1.0")]
    with pytest.raises(InventoryError, match="not pinned"):
        parse_freeze("b @ file:///tmp/b-1.0.tar.gz\n")


# --- Refreshing from an OSV API -------------------------------------------------------------------

OSV_RECORDS = {
    "GHSA-aaaa": {
        "id": "GHSA-aaaa",
        "aliases": ["CVE-2099-1"],
        "summary": "first page",
        "modified": "2099-01-01",
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": "aiohttp"},
                "versions": ["3.14.4"],
                "ranges": [
                    {"type": "GIT", "repo": "x", "events": [{"introduced": "0"}]},
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.14.6"}]},
                ],
            },
            {"package": {"ecosystem": "Debian:12", "name": "python-aiohttp"}, "versions": []},
        ],
        "references": [{"type": "WEB", "url": "w"}, {"type": "ADVISORY", "url": "a"}],
    },
    "GHSA-bbbb": {
        "id": "GHSA-bbbb",
        "summary": "second page",
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": "aiohttp"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "3.0"}, {"fixed": "3.1"}]}],
            }
        ],
    },
    "GHSA-gone": {"id": "GHSA-gone", "withdrawn": "2099-01-02", "affected": []},
}


class FakeOsv(http.server.BaseHTTPRequestHandler):
    """The two OSV endpoints refresh uses; aiohttp's vulnerabilities come in two pages."""

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        queries = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["queries"]
        results = []
        for query in queries:
            if query["package"]["name"] != "aiohttp":
                results.append({})
            elif "page_token" not in query:
                results.append({"vulns": [{"id": "GHSA-aaaa"}, {"id": "GHSA-gone"}], "next_page_token": "p2"})
            else:
                results.append({"vulns": [{"id": "GHSA-bbbb"}]})
        self._answer({"results": results})

    def do_GET(self) -> None:  # noqa: N802
        self._answer(OSV_RECORDS[self.path.rsplit("/", 1)[-1]])

    def _answer(self, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture
def fake_osv() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeOsv)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_refresh_writes_every_record_of_the_installed_packages_and_check_uses_it(tmp_path: Path, fake_osv: str) -> None:
    snapshot = tmp_path / "advisories.json"
    freeze = "aiohttp==3.14.5\nyarl==1.25.1\n"
    refreshed = audit(tmp_path, "refresh", "--snapshot", str(snapshot), "--osv-url", fake_osv, freeze=freeze)
    assert refreshed.returncode == 0, refreshed.stdout
    data = json.loads(snapshot.read_text(encoding="utf-8"))
    assert data["as_of"] == AS_OF.isoformat()
    assert [r["id"] for r in data["vulnerabilities"]] == ["GHSA-aaaa", "GHSA-bbbb"]  # both pages, not the withdrawn
    first = data["vulnerabilities"][0]
    assert first["affected"] == [
        {
            "package": {"ecosystem": "PyPI", "name": "aiohttp"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.14.6"}]}],
        }
    ]
    assert first["references"] == [{"type": "ADVISORY", "url": "a"}]

    checked = audit(tmp_path, "check", "--snapshot", str(snapshot), freeze=freeze)
    assert checked.returncode == 1
    assert "VULNERABLE aiohttp 3.14.5 (PyPI): GHSA-aaaa / CVE-2099-1; fixed in 3.14.6 - first page" in checked.stdout


def test_refresh_fails_loudly_and_keeps_the_snapshot_when_osv_cannot_be_reached(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]  # nothing listens here once the socket is closed
    snapshot = tmp_path / "advisories.json"
    snapshot.write_text(SNAPSHOT.read_text(encoding="utf-8"), encoding="utf-8")
    result = audit(
        tmp_path,
        "refresh",
        "--snapshot",
        str(snapshot),
        "--osv-url",
        f"http://127.0.0.1:{closed_port}",
        "--timeout",
        "5",
        freeze="aiohttp==3.14.5\n",
    )
    assert result.returncode == 2
    assert "ERROR cannot reach the OSV API" in result.stdout and "was not changed" in result.stdout
    assert snapshot.read_text(encoding="utf-8") == SNAPSHOT.read_text(encoding="utf-8")
