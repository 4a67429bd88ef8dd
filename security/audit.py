"""Dependency audit for CI: fail on a known vulnerability in what is installed.

    python -m security.audit check   --python .venv/bin/python --npm-lock tools/package-lock.json
    python -m security.audit refresh --python .venv/bin/python --npm-lock tools/package-lock.json

`check` (offline) matches the exact installed set, `pip freeze` of the project's virtual environment
without the project itself plus every package of the Node tools' lockfile, against the committed
OSV snapshot (security/advisories.json). It exits 1 on a vulnerable package that is not accepted
in security/audit-exceptions.txt and on an accepted one whose date has passed; 2 when an input
cannot be read. A snapshot older than its `max_age_days` is a loud warning, because a machine
that cannot reach an OSV API cannot refresh it; with `--fail-when-stale` (for a CI that can) it
fails too. `refresh` rewrites the snapshot from an
OSV API (default api.osv.dev) and exits 2, changing nothing, when that API cannot be reached.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from security.acceptances import AcceptanceError, load_acceptances
from security.inventory import InventoryError, Package, npm_packages, parse_freeze, python_packages
from security.osv import OsvUnreachable, SnapshotError, fetch_snapshot, findings, load_snapshot

HERE = Path(__file__).resolve().parent
SNAPSHOT = HERE / "advisories.json"
EXCEPTIONS = HERE / "audit-exceptions.txt"
OSV_API = "https://api.osv.dev"
EXPIRY_WARNING_DAYS = 14  # say so this long before the snapshot or an exception runs out


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    today = args.today or dt.date.today()
    try:
        packages = _inventory(args)
        if args.command == "refresh":
            return _refresh(args, packages, today)
        return _check(args, packages, today)
    except (InventoryError, SnapshotError, AcceptanceError) as exc:
        print(f"audit: ERROR {exc}")
        return 2


def _check(args: argparse.Namespace, packages: list[Package], today: dt.date) -> int:
    snapshot = load_snapshot(args.snapshot)
    acceptances = load_acceptances(args.exceptions)
    failures = 0
    age = snapshot.age_days(today)
    python_count = sum(p.ecosystem == "PyPI" for p in packages)
    print(
        f"audit: {python_count} Python and {len(packages) - python_count} npm packages checked against "
        f"{len(snapshot.records)} advisories of {snapshot.as_of} ({age} days old; {snapshot.source})"
    )
    if age > snapshot.max_age_days:
        failures += args.fail_when_stale
        print(
            f"audit: {'STALE' if args.fail_when_stale else 'WARNING STALE'} the advisory snapshot is {age} days "
            f"old, more than its max_age_days ({snapshot.max_age_days}): advisories published since "
            f"{snapshot.as_of} are not checked; refresh it (see README, 'Dependency audit')"
        )
    elif age > snapshot.max_age_days - EXPIRY_WARNING_DAYS:
        print(f"audit: WARNING the advisory snapshot expires in {snapshot.max_age_days - age} days: refresh it")

    used = set()
    for finding in findings(snapshot, packages):
        accepted = next((a for a in acceptances if a.id in finding.ids), None)
        what = (
            f"{finding.package.name} {finding.package.version} ({finding.package.ecosystem}): "
            f"{' / '.join([finding.id, *finding.aliases])}; fixed in {', '.join(finding.fixed) or 'no release'}"
            f" - {finding.summary}"
        )
        if accepted is None:
            failures += 1
            print(f"audit: VULNERABLE {what}")
        else:
            used.add(accepted.id)
            print(
                f"audit: ACCEPTED until {accepted.until} ({args.exceptions.name}:{accepted.line}, "
                f"{accepted.reason}) {what}"
            )
    for acceptance in acceptances:
        if acceptance.expired(today):
            failures += 1
            print(
                f"audit: EXPIRED exception {acceptance.id} ({args.exceptions.name}:{acceptance.line}) ran out on "
                f"{acceptance.until}: look at it again, then extend its date or remove it"
            )
        elif acceptance.id not in used:
            print(f"audit: UNUSED exception {acceptance.id}: no installed package is affected; remove it")
        elif (acceptance.until - today).days < EXPIRY_WARNING_DAYS:
            print(f"audit: WARNING exception {acceptance.id} runs out on {acceptance.until}")
    print(f"audit: {'FAILED' if failures else 'passed'} ({failures} problem{'' if failures == 1 else 's'})")
    return 1 if failures else 0


def _refresh(args: argparse.Namespace, packages: list[Package], today: dt.date) -> int:
    max_age = load_snapshot(args.snapshot).max_age_days if args.snapshot.exists() else 90
    try:
        data = fetch_snapshot(packages, args.osv_url.rstrip("/"), args.timeout, today, max_age)
    except OsvUnreachable as exc:
        print(f"audit: ERROR cannot reach the OSV API: {exc}; {args.snapshot} was not changed")
        return 2
    args.snapshot.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"audit: wrote {len(data['vulnerabilities'])} advisories for {len(packages)} packages to {args.snapshot}")
    return 0


def _inventory(args: argparse.Namespace) -> list[Package]:
    packages = parse_freeze(args.freeze.read_text(encoding="utf-8")) if args.freeze else python_packages(args.python)
    if args.npm_lock:
        packages += npm_packages(args.npm_lock)
    return packages


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m security.audit", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("check", "refresh"))
    installed = parser.add_mutually_exclusive_group(required=True)
    installed.add_argument("--python", help="the project's virtual environment's python (its `pip freeze` is audited)")
    installed.add_argument("--freeze", type=Path, help="a `pip freeze` listing to audit instead")
    parser.add_argument("--npm-lock", type=Path, help="package-lock.json of the Node tools")
    parser.add_argument("--snapshot", type=Path, default=SNAPSHOT, help="OSV snapshot (default: %(default)s)")
    parser.add_argument("--exceptions", type=Path, default=EXCEPTIONS, help="accepted findings (default: %(default)s)")
    parser.add_argument(
        "--fail-when-stale",
        action="store_true",
        help="fail, rather than warn, when the snapshot is older than its max_age_days",
    )
    parser.add_argument("--today", type=dt.date.fromisoformat, help="the date to judge ages and expiry by")
    parser.add_argument("--osv-url", default=OSV_API, help="OSV API for refresh (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per OSV request (default: %(default)s)")
    return parser


if __name__ == "__main__":
    sys.exit(main())
