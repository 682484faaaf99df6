"""ACLED CSV export in its real column layout (``event_id_cnty, event_date, ..., timestamp``).

The ACLED ``timestamp`` (last change, Unix seconds) is the event's ``source_version``: a re-coded event arrives as a
new version that supersedes the old one in queries. Countries come from the numeric ISO code (``iso``), the ``iso3``
column of newer exports, or the country name, in that order of trust.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pyarrow as pa
import pyarrow.compute as pc
import pycountry

from prevdip.events.categories import acled_types
from prevdip.events.connectors.base import Connector, RawBatch
from prevdip.events.connectors.columns import Reasons, canonical, dates, lookup, numbers, quoted, text, translate
from prevdip.events.connectors.tabular import read_quoted
from prevdip.events.connectors.ucdp_ged import safe_iso3
from prevdip.events.schema import Category

REQUIRED = ("event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "country", "latitude",
            "longitude", "fatalities")  # fmt: skip
_INTER = {"1": "state forces", "2": "rebel group", "3": "political militia", "4": "identity militia",
          "5": "rioters", "6": "protesters", "7": "civilians", "8": "external/other forces"}  # fmt: skip
_PRECISION = {"1": "day", "2": "week", "3": "month"}


def iso_numeric(code: str) -> str | None:
    found = pycountry.countries.get(numeric=code.zfill(3)) if code.isdigit() else None
    return None if found is None else str(found.alpha_3)


def _column(r: pa.Table, name: str) -> pa.ChunkedArray | pa.Array:
    return text(r[name]) if name in r.column_names else pa.nulls(r.num_rows, pa.string())


def _category(table: dict[tuple[str, str], Category], pair: str) -> str | None:
    kind, _, sub = pair.partition("|")
    found = table.get((kind, sub))
    return None if found is None else found.value


class Acled(Connector):
    name: ClassVar[str] = "acled"

    def detect(self, path: Path, head: str) -> bool:
        return set(REQUIRED) <= set(next(csv.reader(head.splitlines()[:1]), []))

    def read(self, path: Path) -> Iterator[RawBatch]:
        yield from read_quoted(path, required=REQUIRED, what="ACLED export")

    def normalise(self, raw: RawBatch) -> tuple[pa.Table, Reasons]:
        r = raw.records
        reasons = Reasons(r.num_rows)
        day, bad = dates(r["event_date"], ["%Y-%m-%d", "%d %B %Y", "%d-%m-%Y", "%d/%m/%Y"])
        reasons.add(bad, "bad date: event_date ", quoted(r["event_date"]))
        name = text(r["country"])
        country = pc.coalesce(translate(_column(r, "iso"), iso_numeric), _column(r, "iso3"), translate(name, safe_iso3))
        reasons.add(pc.is_null(country), "unknown country: ", quoted(name))
        fatalities, bad = numbers(r["fatalities"], pa.int32())
        reasons.add(pc.or_(bad, pc.less(fatalities, 0)), "bad number: fatalities ", quoted(r["fatalities"]))
        latitude, bad_lat = numbers(r["latitude"], pa.float64())
        longitude, bad_lon = numbers(r["longitude"], pa.float64())
        reasons.add(pc.or_(bad_lat, bad_lon), "coordinates out of range: not numbers ", quoted(r["latitude"]))
        kind, sub = text(r["event_type"]), text(r["sub_event_type"])
        pair = pc.binary_join_element_wise(pc.utf8_lower(kind), pc.utf8_lower(sub), "|")
        table = acled_types()
        category = translate(pair, lambda p: _category(table, p))
        reasons.add(pc.is_null(category), "unknown type: ", quoted(pair))
        columns = {
            "source": self.name,
            "source_event_id": text(r["event_id_cnty"]),
            "source_version": pc.fill_null(_column(r, "timestamp"), ""),
            "date_start": day,
            "date_end": day,
            "date_precision": pc.fill_null(lookup(_column(r, "time_precision"), _PRECISION), "day"),
            "country_iso3": country,
            "admin1": _column(r, "admin1"),
            "admin2": _column(r, "admin2"),
            "location": _column(r, "location"),
            "latitude": latitude,
            "longitude": longitude,
            "geo_precision": numbers(_column(r, "geo_precision"), pa.int8())[0],
            "actor1": text(r["actor1"]),
            "actor1_type": lookup(_column(r, "inter1"), _INTER),
            "actor2": _column(r, "actor2"),
            "actor2_type": lookup(_column(r, "inter2"), _INTER),
            "source_event_type": kind,
            "source_sub_event_type": sub,
            "category": category,
            "fatalities_best": fatalities,
            "description": _column(r, "notes"),
            "source_reference": _column(r, "source"),
        }
        return canonical(r.num_rows, columns), reasons
