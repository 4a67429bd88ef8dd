"""Vulnerability records in the OSV format (https://ossf.github.io/osv-schema/): the snapshot
committed in security/advisories.json, which installed versions they affect, and how the snapshot
is refreshed from an OSV API where one can be reached.

The snapshot, not a live service, is what CI checks: no vulnerability service answers from the
machines this project builds on (see README, "Dependency audit"), and an audit that silently
passes when its service is away is worse than none. The snapshot says when it was taken and how
long it may be trusted (`max_age_days`); an older one fails the audit.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from security.inventory import NPM, PYPI, Package, canonical_name

ECOSYSTEMS = (PYPI, NPM)
_ORDERED_RANGES = {"ECOSYSTEM", "SEMVER"}


class SnapshotError(ValueError):
    """The snapshot file is missing or malformed."""


class OsvUnreachable(RuntimeError):
    """The OSV API did not answer (name resolution, connection, timeout or HTTP error)."""


@dataclass(frozen=True)
class Snapshot:
    as_of: dt.date
    max_age_days: int
    source: str
    records: tuple[Mapping[str, Any], ...]

    def age_days(self, today: dt.date) -> int:
        return (today - self.as_of).days


@dataclass(frozen=True)
class Finding:
    package: Package
    id: str
    aliases: tuple[str, ...]
    summary: str
    fixed: tuple[str, ...]

    @property
    def ids(self) -> set[str]:
        return {self.id, *self.aliases}


def load_snapshot(path: Path) -> Snapshot:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Snapshot(
            as_of=dt.date.fromisoformat(data["as_of"]),
            max_age_days=int(data["max_age_days"]),
            source=str(data["source"]),
            records=tuple(data["vulnerabilities"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SnapshotError(f"{path}: {exc!r}") from None


def findings(snapshot: Snapshot, packages: Iterable[Package]) -> list[Finding]:
    """Every (package, record) pair where the record's affected ranges contain the installed version."""
    found = []
    for package in packages:
        for record in snapshot.records:
            if record.get("withdrawn"):
                continue
            matching = [a for a in record.get("affected", ()) if _names(a) == package.key]
            if any(_affects(a, package) for a in matching):
                found.append(
                    Finding(
                        package,
                        record["id"],
                        tuple(record.get("aliases", ())),
                        _summary(record),
                        _fixed_versions(matching),
                    )
                )
    return found


def _names(affected: Mapping[str, Any]) -> tuple[str, str]:
    ecosystem, name = affected["package"]["ecosystem"], affected["package"]["name"]
    return ecosystem, canonical_name(ecosystem, name)


def _affects(affected: Mapping[str, Any], package: Package) -> bool:
    if package.version in affected.get("versions", ()):
        return True
    parse = _pep440 if package.ecosystem == PYPI else _semver
    version = parse(package.version)
    return any(
        _in_range(version, r["events"], parse) for r in affected.get("ranges", ()) if r.get("type") in _ORDERED_RANGES
    )


def _in_range(version: Any, events: Sequence[Mapping[str, str]], parse: Any) -> bool:
    """OSV range semantics: sorted events; `introduced` opens, `fixed` closes at, `last_affected` closes after."""

    def bound(event: Mapping[str, str]) -> Any:
        value = next(iter(event.values()))
        return None if value == "0" else parse(value)

    ordered = sorted(events, key=lambda e: (bound(e) is not None, bound(e) or parse("0")))
    affected = False
    for event in ordered:
        kind, at = next(iter(event.items()))[0], bound(event)
        if kind == "introduced" and (at is None or version >= at):
            affected = True
        elif (
            kind == "fixed"
            and at is not None
            and version >= at
            or kind == "last_affected"
            and at is not None
            and version > at
        ):
            affected = False
    return affected


def _pep440(text: str) -> Version:
    try:
        return Version(text)
    except InvalidVersion:
        raise SnapshotError(f"not a PEP 440 version: {text!r}") from None


_SEMVER = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")


def _semver(text: str) -> tuple[Any, ...]:
    """A sort key for SemVer 2.0.0: numbers, then a release above its pre-releases."""
    if text == "0":
        return (0, 0, 0, 1, ())
    match = _SEMVER.match(text)
    if not match:
        raise SnapshotError(f"not a SemVer version: {text!r}")
    major, minor, patch, pre = match.groups()
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")) if pre else ()
    return (int(major), int(minor), int(patch), 0 if pre else 1, parts)


def _summary(record: Mapping[str, Any]) -> str:
    text = record.get("summary") or record.get("details") or ""
    text = " ".join(str(text).split())
    return text if len(text) <= 160 else text[:157] + "..."


def _fixed_versions(affected: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    return tuple(
        sorted({e["fixed"] for a in affected for r in a.get("ranges", ()) for e in r["events"] if "fixed" in e})
    )


# --- Refreshing the snapshot from an OSV API ----------------------------------------------------


def fetch_snapshot(
    packages: Sequence[Package], api_url: str, timeout: float, today: dt.date, max_age_days: int
) -> dict[str, Any]:
    """Every OSV record of every installed package (all versions, so a downgrade is caught too),
    trimmed to what the audit reads. Raises OsvUnreachable when the API does not answer."""
    wanted = {p.key for p in packages}
    names = sorted(wanted)
    ids: set[str] = set()
    for start in range(0, len(names), 100):
        chunk = names[start : start + 100]
        queries = [{"package": {"ecosystem": e, "name": n}} for e, n in chunk]
        while queries:
            results = _post(f"{api_url}/v1/querybatch", {"queries": queries}, timeout)["results"]
            again = []
            for query, result in zip(queries, results, strict=True):
                ids.update(v["id"] for v in result.get("vulns", ()))
                if result.get("next_page_token"):
                    again.append({"package": query["package"], "page_token": result["next_page_token"]})
            queries = again
    records = []
    for vuln_id in sorted(ids):
        record = _get(f"{api_url}/v1/vulns/{vuln_id}", timeout)
        if not record.get("withdrawn"):
            records.append(_trimmed(record, wanted))
    return {
        "as_of": today.isoformat(),
        "max_age_days": max_age_days,
        "source": f"OSV API {api_url}, every record of the packages installed on {today.isoformat()}",
        "vulnerabilities": records,
    }


def _trimmed(record: Mapping[str, Any], wanted: set[tuple[str, str]]) -> dict[str, Any]:
    affected = []
    for entry in record.get("affected", ()):
        if entry["package"]["ecosystem"] not in ECOSYSTEMS or _names(entry) not in wanted:
            continue
        ranges = [
            {"type": r["type"], "events": r["events"]}
            for r in entry.get("ranges", ())
            if r.get("type") in _ORDERED_RANGES
        ]
        kept: dict[str, Any] = {
            "package": {"ecosystem": entry["package"]["ecosystem"], "name": entry["package"]["name"]}
        }
        if ranges:
            kept["ranges"] = ranges
        else:
            kept["versions"] = entry.get("versions", [])
        affected.append(kept)
    advisory = next((r["url"] for r in record.get("references", ()) if r.get("type") == "ADVISORY"), None)
    trimmed = {
        "id": record["id"],
        "aliases": record.get("aliases", []),
        "summary": _summary(record),
        "modified": record.get("modified", ""),
        "affected": affected,
    }
    if advisory:
        trimmed["references"] = [{"type": "ADVISORY", "url": advisory}]
    return trimmed


def _post(url: str, body: Mapping[str, Any], timeout: float) -> Any:
    request = urllib.request.Request(  # noqa: S310 - the OSV https API or a test URL
        url, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    return _fetch(request, timeout)


def _get(url: str, timeout: float) -> Any:
    return _fetch(urllib.request.Request(url), timeout)  # noqa: S310 - the OSV https API or a test URL


def _fetch(request: urllib.request.Request, timeout: float) -> Any:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - https or a test URL
            return json.load(response)
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        raise OsvUnreachable(f"{request.get_method()} {request.full_url}: {exc}") from None
