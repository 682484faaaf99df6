"""UCDP Georeferenced Event Dataset: the official 49-column CSV (GED and Candidate releases) and the 14-column
reduced layout of the teaching extracts.

The GED version is not a column; it is read from the file name (``ged231…`` → ``23.1``, ``GEDEvent_v24_0_3`` →
``24.0.3``, ``ucdp-ged-25.1…``) and becomes the event's ``source_version``, so a newer release of the same event id
supersedes the older one in queries. With ``retract_missing`` (``prevdip ingest ucdp-ged FILE --retract-missing``,
for a *complete* release only) the events of older releases that this one no longer holds are retracted: see
:mod:`prevdip.events.retraction`.

Actor countries come from UCDP's own names and codes: ``Government of Tajikistan`` and, for the region's states,
the Gleditsch-Ward numbers ``gwnoa``/``gwnob`` of the official layout. Every number (deaths, ``where_prec``,
``date_prec``, ``event_clarity``, ids) goes through the checked reader; the fields an analyst of UCDP filters on that
have no canonical column (``dyad_new_id``, the sides' ids, ``event_clarity``, deaths by side …) are kept in
``attributes``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pyarrow as pa
import pyarrow.compute as pc

from prevdip.errors import NotFound
from prevdip.events.categories import ucdp_violence
from prevdip.events.connectors.base import Connector, RawBatch
from prevdip.events.connectors.columns import (
    Column,
    Reasons,
    attribute_map,
    canonical,
    checked_coordinates,
    checked_number,
    dates,
    lookup,
    optional_text,
    starts_with,
    text,
    translate,
)
from prevdip.events.connectors.tabular import head_text, read_quoted
from prevdip.events.terms import UCDP
from prevdip.geo import find_country, world_iso3

OFFICIAL = (
    "id",
    "type_of_violence",
    "side_a",
    "side_b",
    "country",
    "latitude",
    "longitude",
    "date_start",
    "date_end",
    "best",
    "low",
    "high",
)
REDUCED = (
    "id",
    "year",
    "month",
    "day",
    "country",
    "type_of_violence",
    "side_a",
    "side_b",
    "latitude",
    "longitude",
    "low_death",
    "best_death",
    "high_death",
)
# UCDP date_prec: 1 exact day, 2 within 2-6 days, 3 within a week, 4 within a month, 5 more than a month.
_PRECISION = {"1": "day", "2": "week", "3": "week", "4": "month", "5": "year"}
# Counts and ids of the official layout kept in ``attributes`` (read by the checked reader: whole, not negative).
NUMBER_ATTRIBUTES = ("conflict_new_id", "dyad_new_id", "side_a_new_id", "side_b_new_id", "priogrid_gid", "deaths_a",
                     "deaths_b", "deaths_civilians", "deaths_unknown")  # fmt: skip
TEXT_ATTRIBUTES = ("relid", "active_year", "code_status", "dyad_name", "region")  # active_year: 1 or True (API)
_VERSION = (
    re.compile(r"ged[-_]?(\d{2})(\d)(?!\d)", re.I),  # ged231 -> 23.1
    re.compile(r"v(\d+)_(\d+)(?:_(\d+))?(?:_(\d+))?", re.I),  # GEDEvent_v24_0_3, GEDEvent_v24_01_24_09
    re.compile(r"ged[-_](\d{2})\.(\d+)(?:\.(\d+))?(?:\.(\d+))?", re.I),  # ucdp-ged-25.0.9 (Candidate)
)


def ged_version(path: Path) -> str:
    """The GED release a file holds, from its name (empty when the name does not say)."""
    for pattern in _VERSION:
        found = pattern.search(path.name)
        if found:
            return ".".join(part for part in found.groups() if part)
    return ""


def safe_iso3(name: str) -> str | None:
    try:
        return world_iso3(name)
    except NotFound:
        return None


def government_iso3(side: str) -> str | None:
    """``Government of Tajikistan`` → TJK; other actors have no country."""
    return safe_iso3(side.removeprefix("Government of ").strip()) if side.startswith("Government of ") else None


def gw_iso3(code: str) -> str | None:
    """A Gleditsch-Ward number (UCDP's ``gwnoa``) as ISO3, for the states of the region's crosswalk."""
    found = find_country(int(code), kind="gw") if code.isdigit() else None
    return None if found is None else found.iso3


_GW_LIST = r"^\d+(\s*,\s*\d+)*$"


def gw_country(records: pa.Table, name: str, reasons: Reasons) -> Column:
    """A side's Gleditsch-Ward number as ISO3 (UCDP writes a list, ``651, 645``, for a coalition: the first is the
    primary state); anything but whole numbers quarantines the row."""
    value = optional_text(records, name)
    ok = pc.fill_null(pc.match_substring_regex(value, _GW_LIST), False)
    reasons.add(pc.and_(pc.is_valid(value), pc.invert(ok)), f"bad number: {name} ", quote=value)
    return translate(value, lambda codes: gw_iso3(codes.split(",")[0].strip()))


def side_country(records: pa.Table, side: str, gwno: str, reasons: Reasons) -> Column:
    """A side's state: its government name, else its Gleditsch-Ward number."""
    return pc.coalesce(translate(text(records[side]), government_iso3), gw_country(records, gwno, reasons))


def _header(path: Path) -> list[str]:
    first = head_text(path, 16384).splitlines()[:1]
    return next(csv.reader(first), []) if first else []


class UcdpGed(Connector):
    name: ClassVar[str] = "ucdp-ged"
    licence = UCDP

    def detect(self, path: Path, head: str) -> bool:
        header = set(next(csv.reader(head.splitlines()[:1]), []))
        return set(OFFICIAL) <= header or set(REDUCED) <= header

    def read(self, path: Path) -> Iterator[RawBatch]:
        layout = REDUCED if "best_death" in _header(path) else OFFICIAL
        hint = "expected the official GED CSV (id, ..., date_start, date_end, best, high, low) or the reduced layout"
        yield from read_quoted(path, required=layout, what="UCDP GED", hint=hint)

    def normalise(self, raw: RawBatch) -> tuple[pa.Table, Reasons]:
        r = raw.records
        reasons = Reasons(r.num_rows)
        official = "date_start" in r.column_names
        if official:
            start, bad_start = dates(pc.utf8_slice_codeunits(r["date_start"], 0, 10), ["%Y-%m-%d"])
            end, bad_end = dates(pc.utf8_slice_codeunits(r["date_end"], 0, 10), ["%Y-%m-%d"])
            reasons.add(bad_start, "bad date: date_start ", quote=r["date_start"])
            reasons.add(bad_end, "bad date: date_end ", quote=r["date_end"])
            code = checked_number(r, "date_prec", pa.int8(), reasons, minimum=1, maximum=5, kind="bad code")
            precision: Column | str = pc.fill_null(lookup(pc.cast(code, pa.string()), _PRECISION), "day")
            deaths = {"best": "best", "low": "low", "high": "high"}
        else:
            ymd = pc.binary_join_element_wise(
                text(r["year"]), pc.utf8_lpad(text(r["month"]), 2, "0"), pc.utf8_lpad(text(r["day"]), 2, "0"), "-"
            )
            start, bad_start = dates(ymd, ["%Y-%m-%d"])
            end, precision = start, "day"
            reasons.add(bad_start, "bad date: year-month-day ", quote=ymd)
            deaths = {"best": "best_death", "low": "low_death", "high": "high_death"}
        fatalities = {}
        for key, column in deaths.items():
            fatalities[key] = checked_number(r, column, pa.int32(), reasons, minimum=0)
        country_name = text(r["country"])
        country = translate(country_name, safe_iso3)
        reasons.add(pc.and_(pc.is_valid(country_name), pc.is_null(country)), "unknown country: ", quote=country_name)
        latitude, longitude = checked_coordinates(r, ("latitude", "longitude"), reasons)
        violence = text(r["type_of_violence"])
        table = ucdp_violence()
        label = translate(pc.utf8_lower(violence), lambda v: table[v][0] if v in table else None)
        category = translate(pc.utf8_lower(violence), lambda v: table[v][1].value if v in table else "other")
        side_a, side_b = text(r["side_a"]), text(r["side_b"])
        columns = {
            "source": self.name,
            "source_event_id": text(r["id"]),
            "source_version": ged_version(Path(raw.file)),
            "date_start": start,
            "date_end": end,
            "date_precision": precision,
            "country_iso3": country,
            "latitude": latitude,
            "longitude": longitude,
            "actor1": side_a,
            "actor1_type": pc.if_else(starts_with(side_a, "Government of"), "state", "non-state"),
            "actor1_country": side_country(r, "side_a", "gwnoa", reasons),
            "actor2": side_b,
            "actor2_type": pc.if_else(
                pc.equal(pc.fill_null(side_b, ""), "Civilians"),
                "civilians",
                pc.if_else(starts_with(side_b, "Government of"), "state", "non-state"),
            ),
            "actor2_country": side_country(r, "side_b", "gwnob", reasons),
            "source_event_type": label,
            "source_sub_event_type": optional_text(r, "conflict_name"),
            "category": category,
            "fatalities_best": fatalities["best"],
            "fatalities_low": fatalities["low"],
            "fatalities_high": fatalities["high"],
        }
        if official:
            columns |= self._official(r, reasons)
        return canonical(r.num_rows, columns), reasons

    def _official(self, r: pa.Table, reasons: Reasons) -> dict[str, Column]:
        """The columns only the official layout has: places, precision, sources and the attributes."""
        # number_of_sources is -1 where UCDP does not know it: that is "not given", not a bad number.
        sources = checked_number(r, "number_of_sources", pa.int32(), reasons, minimum=-1)
        where = checked_number(r, "where_prec", pa.int8(), reasons, minimum=1, maximum=7, kind="bad code")
        clarity = checked_number(r, "event_clarity", pa.int8(), reasons, minimum=1, maximum=2, kind="bad code")
        kept: dict[str, Column] = {
            name: pc.cast(checked_number(r, name, pa.int64(), reasons, minimum=0), pa.string())
            for name in NUMBER_ATTRIBUTES
        }
        kept |= {name: optional_text(r, name) for name in TEXT_ATTRIBUTES}
        kept |= {"where_prec": pc.cast(where, pa.string()), "event_clarity": pc.cast(clarity, pa.string())}
        return {
            "admin1": optional_text(r, "adm_1"),
            "admin2": optional_text(r, "adm_2"),
            "location": optional_text(r, "where_coordinates"),
            "geo_precision": where,
            "num_sources": pc.if_else(pc.less(sources, 0), pa.scalar(None, pa.int32()), sources),
            "description": optional_text(r, "where_description"),
            "source_reference": optional_text(r, "source_office"),
            "attributes": attribute_map(r.num_rows, kept),
        }
