"""The centre's roles and what each may read.

=========== ============== ==========================================================================
role        audience       who
=========== ============== ==========================================================================
admin       centre         an officer who also manages accounts, settings and the audit log
officer     centre         political officers and analysts: everything the centre sees
government  governments    a liaison officer of one or more of the five governments
partner     partners       a partner organisation: the public tier and what the centre shares with partners
monitor     public         a field monitor: files field reports and reads their own (/field-reports)
=========== ============== ==========================================================================

A visitor who has not signed in reads as the public, or not at all (the ``public_access`` setting). The audience is
decided here from the role, never from the request: a request may only narrow it (:func:`~prevdip.events.sharing.
narrows`).
"""

from __future__ import annotations

from enum import StrEnum

from prevdip.errors import RefusedInput
from prevdip.events.sharing import Audience
from prevdip.geo import country, region

#: The five governments a liaison officer can speak for.
GOVERNMENTS = region("central-asia").iso3s


class Role(StrEnum):
    """What an account is for."""

    admin = "admin"
    officer = "officer"
    government = "government"
    partner = "partner"
    monitor = "monitor"


AUDIENCE: dict[Role, Audience] = {
    Role.admin: Audience.centre,
    Role.officer: Audience.centre,
    Role.government: Audience.governments,
    Role.partner: Audience.partners,
    Role.monitor: Audience.public,
}

#: Roles that work inside the centre: the response ledger, uploads, the centre's own view.
CENTRE_STAFF = frozenset({Role.admin, Role.officer})
#: Roles that file field reports: the monitors, and the centre's staff (who also verify them).
FIELD_REPORTERS = frozenset({Role.monitor, *CENTRE_STAFF})


def role(text: str | Role) -> Role:
    """A role by name; anything else is refused naming the roles."""
    try:
        return Role(text.strip().lower() if isinstance(text, str) else text)
    except ValueError:
        raise RefusedInput(f"unknown role {text!r}", hint=f"use one of: {', '.join(r.value for r in Role)}") from None


def liaison_countries(chosen: Role, codes: list[str]) -> list[str]:
    """The ISO3 codes of the governments a liaison speaks for: one or more of the five, and only for that role."""
    if chosen is not Role.government:
        if codes:
            raise RefusedInput(
                f"--country is for government liaisons, not for the role {chosen.value!r}", hint="leave it out"
            )
        return []
    if not codes:
        raise RefusedInput(
            "a government liaison needs --country", hint=f"name the government(s): {', '.join(GOVERNMENTS)}"
        )
    found = []
    for code in codes:
        iso3 = country(code).iso3
        if iso3 not in GOVERNMENTS:
            raise RefusedInput(
                f"{iso3} is not one of the five governments of the centre", hint=f"use {', '.join(GOVERNMENTS)}"
            )
        found.append(iso3)
    return sorted(set(found))
