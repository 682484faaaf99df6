"""What to fetch: countries (or a named region) and a date range, checked before any request is sent.

Every refusal names the option and what to type instead, so a bad ``--since`` or an unknown country costs no
request against the source's daily quota.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from prevdip.errors import RefusedInput
from prevdip.geo import HOME_REGION, Country, find_country, region

DEFAULT_REGION = HOME_REGION
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Scope:
    """The countries and the days a fetch asks for; ``region`` names the region when one was chosen."""

    countries: tuple[Country, ...]
    since: date | None = None
    until: date | None = None
    region: str | None = None

    @property
    def iso3s(self) -> list[str]:
        return [c.iso3 for c in self.countries]

    def as_dict(self) -> dict[str, Any]:
        return {
            "countries": self.iso3s,
            "region": self.region,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }


def parse_day(value: str | None, option: str, today: date) -> date | None:
    """A YYYY-MM-DD day, not in the future; ``None`` stays ``None``."""
    if value is None:
        return None
    text = value.strip()
    try:
        if not _DATE.match(text):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        raise RefusedInput(f"bad date {value!r} for {option}", hint="use YYYY-MM-DD, e.g. 2025-01-01") from None
    if day > today:
        raise RefusedInput(f"{option} {text} is in the future", hint=f"use a day up to {today.isoformat()}")
    return day


def _countries(codes: Sequence[str]) -> tuple[Country, ...]:
    found: list[Country] = []
    for item in codes:
        for code in filter(None, (part.strip() for part in item.split(","))):
            country = find_country(code)
            if country is None:
                raise RefusedInput(
                    f"unknown country {code!r} for --country",
                    hint="use ISO3 codes such as KGZ or TJK (see `prevdip regions show neighbours`)",
                )
            if country not in found:
                found.append(country)
    return tuple(found)


def scope(
    countries: Sequence[str] | None = None,
    region_name: str | None = None,
    since: str | None = None,
    until: str | None = None,
    *,
    today: date | None = None,
) -> Scope:
    """The checked scope; neither countries nor region means the centre's home region."""
    today = today or date.today()
    if countries and region_name:
        raise RefusedInput("--country and --region both given", hint="give one of them")
    first, last = parse_day(since, "--since", today), parse_day(until, "--until", today)
    if first and last and last < first:
        raise RefusedInput(f"--until {last} is before --since {first}", hint="swap them")
    if countries:
        chosen = _countries(countries)
        if not chosen:
            raise RefusedInput("--country is empty", hint="name at least one ISO3 code, e.g. --country KGZ")
        return Scope(chosen, first, last)
    named = region(region_name or DEFAULT_REGION)
    return Scope(tuple(named.countries), first, last, named.name)
