"""Whose bot this is: the names its texts use, passed in from configuration."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Organisation:
    """The organisation (full and short name) and the name of its HR helpdesk."""

    name: str
    short_name: str
    helpdesk: str

    def fill(self, template: str, **values: object) -> str:
        """`template` with `{organisation}`, `{organisation_short}`, `{helpdesk}` and `values` filled in."""
        return template.format(
            organisation=self.name, organisation_short=self.short_name, helpdesk=self.helpdesk, **values
        )
