"""Known vulnerabilities accepted for a while (security/audit-exceptions.txt).

One per line: `ID  until YYYY-MM-DD  # reason`. The ID is the advisory's or any of its aliases
(CVE, GHSA, PYSEC). Every entry needs a reason and a date by which it must be looked at again;
after that date it stops being accepted and the audit fails until it is extended or removed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

_LINE = re.compile(r"^(?P<id>\S+)\s+until\s+(?P<until>\d{4}-\d{2}-\d{2})$")


class AcceptanceError(ValueError):
    """A line of the exceptions file is not `ID  until YYYY-MM-DD  # reason`."""


@dataclass(frozen=True)
class Acceptance:
    id: str
    until: dt.date
    reason: str
    line: int

    def expired(self, today: dt.date) -> bool:
        return today > self.until


def load_acceptances(path: Path) -> list[Acceptance]:
    acceptances = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        entry, _, reason = raw.partition("#")
        entry, reason = entry.strip(), reason.strip()
        if not entry:
            continue
        match = _LINE.match(entry)
        if not match:
            raise AcceptanceError(f"{path.name}:{number}: expected 'ID  until YYYY-MM-DD  # reason', got {raw!r}")
        if not reason:
            raise AcceptanceError(f"{path.name}:{number}: {match['id']} has no reason after '#'")
        try:
            until = dt.date.fromisoformat(match["until"])
        except ValueError:
            raise AcceptanceError(f"{path.name}:{number}: {match['until']} is not a date") from None
        acceptances.append(Acceptance(match["id"], until, reason, number))
    return acceptances
