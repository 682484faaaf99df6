"""The crosswalk of the region's countries: ISO3, ISO2, ISO numeric, Gleditsch-Ward, FIPS 10-4, CAMEO, names."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

from prevdip.errors import NotFound


@dataclass(frozen=True)
class Country:
    """One country with the code each source uses for it."""

    iso3: str
    iso2: str
    isonum: int
    gw: int
    fips: str
    cameo: str
    name: str
    aliases: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape used by ``prevdip regions show``."""
        return {
            "iso3": self.iso3,
            "iso2": self.iso2,
            "isonum": self.isonum,
            "gw": self.gw,
            "fips": self.fips,
            "cameo": self.cameo,
            "name": self.name,
        }


def _load() -> tuple[Country, ...]:
    text = files("prevdip.geo").joinpath("countries.csv").read_text(encoding="utf-8")
    return tuple(
        Country(
            iso3=row["iso3"],
            iso2=row["iso2"],
            isonum=int(row["isonum"]),
            gw=int(row["gw"]),
            fips=row["fips"],
            cameo=row["cameo"],
            name=row["name"],
            aliases=tuple(a for a in row["aliases"].split("|") if a),
        )
        for row in csv.DictReader(text.splitlines())
    )


COUNTRIES: tuple[Country, ...] = _load()


def _keys(c: Country) -> list[str]:
    # FIPS and ISO2 clash across countries (FIPS "TI" is Tajikistan, ISO2 "TI" nothing; FIPS "CH" is China,
    # ISO2 "CH" Switzerland): letter codes are indexed by kind, names and ISO3 in the common index.
    return [c.iso3, c.name, c.cameo, *c.aliases]


_BY_NAME: dict[str, Country] = {key.casefold(): c for c in COUNTRIES for key in _keys(c)}
_BY_NUMBER: dict[tuple[str, int], Country] = {
    **{("gw", c.gw): c for c in COUNTRIES},
    **{("isonum", c.isonum): c for c in COUNTRIES},
}
_BY_LETTERS: dict[tuple[str, str], Country] = {
    **{("iso2", c.iso2): c for c in COUNTRIES},
    **{("fips", c.fips): c for c in COUNTRIES},
}


def find_country(code_or_name: str | int, *, kind: str | None = None) -> Country | None:
    """The country for a code or name, or ``None``.

    ``kind`` disambiguates two-letter and numeric codes: ``"iso2"``, ``"fips"``, ``"gw"`` or ``"isonum"``.
    Without it, a two-letter code is read as ISO2 and a number as Gleditsch-Ward, then ISO numeric.
    """
    if isinstance(code_or_name, int) or (isinstance(code_or_name, str) and code_or_name.strip().isdigit()):
        number = int(code_or_name)
        kinds = [kind] if kind else ["gw", "isonum"]
        return next((_BY_NUMBER[(k, number)] for k in kinds if (k, number) in _BY_NUMBER), None)
    text = code_or_name.strip()
    if len(text) == 2:
        return _BY_LETTERS.get((kind or "iso2", text.upper()))
    return _BY_NAME.get(text.casefold())


def country(code_or_name: str | int, *, kind: str | None = None) -> Country:
    """Like :func:`find_country`, but an unknown code is refused with the list of known ones."""
    found = find_country(code_or_name, kind=kind)
    if found is None:
        known = ", ".join(c.iso3 for c in COUNTRIES)
        raise NotFound(
            f"unknown country {code_or_name!r}",
            hint=f"use an ISO3 code, name, GW/ISO number or FIPS code of: {known}",
        )
    return found
