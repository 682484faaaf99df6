"""The bundle's reference tables that sources write their codes in, each read once.

GeoNames' ``countryInfo.txt`` says, for every country, its ISO2, ISO3 and FIPS 10-4 codes and its land neighbours:
GDELT places events by FIPS (``TI`` is Tajikistan), the forecast panels take neighbours from it. The CAMEO codebook
gives each GDELT event code its label and Goldstein score, and ``cameoCountry.txt`` the CAMEO country codes that
are not ISO3. Both are geography of codes — what a source's symbol
means — so they live here, beside the crosswalk of the region's countries, and every domain asks this module.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry

from prevdip.catalogue import BUNDLE
from prevdip.errors import NotFound, RefusedInput
from prevdip.geo._world import world_iso3


@dataclass(frozen=True)
class GeoNamesCountries:
    """What ``countryInfo.txt`` says: FIPS 10-4 → ISO3, and ISO3 → the ISO3 codes of its land neighbours."""

    iso3_by_fips: dict[str, str]
    land_neighbours: dict[str, frozenset[str]]


def read_geonames_countries(path: Path) -> GeoNamesCountries:
    """Parse a GeoNames ``countryInfo.txt`` (comment lines, then a tab-separated table with a header row)."""
    iso2_to_iso3: dict[str, str] = {}
    raw: dict[str, list[str]] = {}
    fips: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as f:
        rows = (line for line in f if not line.startswith("#"))
        for row in csv.DictReader(rows, delimiter="\t"):
            iso2, iso3 = (row.get("ISO") or "").strip(), (row.get("ISO3") or "").strip()
            if not iso2 or not iso3:
                continue
            iso2_to_iso3[iso2] = iso3
            raw[iso3] = [code.strip() for code in (row.get("neighbours") or "").split(",") if code.strip()]
            if (row.get("fips") or "").strip():
                fips[row["fips"].strip()] = iso3
    if not raw:
        raise RefusedInput(f"{path}: no ISO/ISO3/neighbours rows", hint="expected GeoNames countryInfo.txt")
    neighbours = {iso3: frozenset(iso2_to_iso3[c] for c in codes if c in iso2_to_iso3) for iso3, codes in raw.items()}
    return GeoNamesCountries(fips, neighbours)


def _table(bundle: Path | None, relative: str, what: str) -> Path:
    path = (bundle or Path(".")) / relative
    if bundle is None or not path.is_file():
        raise RefusedInput(f"{what} is not available ({path} not found)", hint="set PREVDIP_BUNDLE to the data bundle")
    return path


@cache
def geonames_countries(bundle: Path) -> GeoNamesCountries:
    """The bundle's GeoNames country table, read once per process."""
    return read_geonames_countries(_table(bundle, BUNDLE.geonames_countries, "the GeoNames country table"))


def land_neighbours(bundle: Path) -> dict[str, frozenset[str]]:
    """ISO3 → the ISO3 codes of its land neighbours (GeoNames)."""
    return geonames_countries(bundle).land_neighbours


@dataclass(frozen=True)
class CameoTables:
    """What the bundle's CAMEO files say: code → (label, Goldstein), FIPS 10-4 → ISO3, CAMEO country → ISO3."""

    labels: dict[str, str]
    goldstein: dict[str, float]
    fips: dict[str, str]
    countries: dict[str, str]


@cache
def cameo_tables(bundle: Path) -> CameoTables:
    """The CAMEO codebook with Goldstein scores, and GeoNames' FIPS codes, as GDELT's rows need them."""
    codes = _table(bundle, BUNDLE.cameo_codes, "GDELT's CAMEO codebook")
    labels: dict[str, str] = {}
    goldstein: dict[str, float] = {}
    with codes.open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            code = row["cameoCode"].strip()
            labels[code] = row["Description"].strip().capitalize()
            goldstein[code] = float(row["GoldsteinScale"])
    fips = geonames_countries(bundle).iso3_by_fips
    return CameoTables(labels, goldstein, fips, _cameo_countries(bundle / BUNDLE.cameo_countries))


def _cameo_countries(path: Path) -> dict[str, str]:
    """CAMEO country codes that are not ISO3 (``ROM`` Romania, ``TMP`` East Timor ...), by their label."""
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f][1:]
    found = {row[0]: _iso3_or_none(row[1]) for row in rows if len(row) == 2 and _not_iso3(row[0])}
    return {code: iso3 for code, iso3 in found.items() if iso3}


def _not_iso3(code: str) -> bool:
    return pycountry.countries.get(alpha_3=code) is None


def _iso3_or_none(name: str) -> str | None:
    try:
        return world_iso3(name)
    except NotFound:
        return None
