"""GDELT event exports: 2.0 (61 tab-separated fields, no header, plain or zipped) and 1.0 (57 or 58 fields).

CAMEO event codes become prevdip categories through the mapping table (``categories/cameo.csv``); the Goldstein
score and the event label come from the CAMEO table of the reference bundle (``gdelt/cameo/cameoCodeTable_goldstein
.tsv``, read at run time), falling back to the row's own GoldsteinScale for a code the table lacks. The country of
an event is where it happened (ActionGeo, FIPS 10-4: ``TI`` is Tajikistan, ``TX`` Turkmenistan) mapped to ISO3
through the bundle's GeoNames table. Both tables are read by :mod:`prevdip.geo`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pyarrow as pa
import pyarrow.compute as pc
import pycountry

from prevdip.errors import RefusedInput
from prevdip.events.categories import cameo_category
from prevdip.events.connectors.base import Connector, RawBatch
from prevdip.events.connectors.columns import (
    Reasons,
    canonical,
    checked_date,
    lookup,
    numbers,
    one_day,
    quoted,
    text,
    translate,
)
from prevdip.events.connectors.tabular import read_lines
from prevdip.geo import cameo_tables

_ACTOR = (
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
)
_EVENT = (
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
)


def _geo(prefix: str, adm2: bool) -> list[str]:
    parts = ["Type", "FullName", "CountryCode", "ADM1Code", *(["ADM2Code"] if adm2 else []), "Lat", "Long", "FeatureID"]
    return [f"{prefix}Geo_{p}" for p in parts]


def _columns(version: int) -> tuple[str, ...]:
    adm2 = version == 2
    return (
        "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
        *(f"Actor1{a}" for a in _ACTOR), *(f"Actor2{a}" for a in _ACTOR), *_EVENT,
        *_geo("Actor1", adm2), *_geo("Actor2", adm2), *_geo("Action", adm2), "DATEADDED", "SOURCEURL",
    )  # fmt: skip


GDELT2 = _columns(2)  # 61 fields
GDELT1 = _columns(1)  # 58 fields; the oldest files have 57 (no SOURCEURL)


def actor_country(code: str) -> str | None:
    """CAMEO actor country codes are ISO3 for states; regions (``AFR``, ``EUR``) have no country."""
    return code if pycountry.countries.get(alpha_3=code) is not None else None


def _bundle() -> Path:
    from prevdip.settings import get_settings

    bundle = get_settings().bundle
    if bundle is None:
        raise RefusedInput("GDELT needs the CAMEO tables of the reference bundle", hint="set PREVDIP_BUNDLE")
    return bundle


class Gdelt(Connector):
    name: ClassVar[str] = "gdelt"

    def detect(self, path: Path, head: str) -> bool:
        first = head.splitlines()[:1]
        return bool(first) and first[0].count("\t") + 1 in (57, 58, 61) and first[0].split("\t")[0].isdigit()

    def read(self, path: Path) -> Iterator[RawBatch]:
        from prevdip.events.connectors.tabular import head_text

        first = head_text(path, 65536).splitlines()[:1]
        count = first[0].count("\t") + 1 if first else 0
        if count in (57, 58):
            yield from read_lines(path, GDELT1, pad={57: 58}, what="GDELT 1.0 event export")
        else:
            yield from read_lines(path, GDELT2, what="GDELT 2.0 event export (61 tab-separated fields)")

    def normalise(self, raw: RawBatch) -> tuple[pa.Table, Reasons]:
        r = raw.records
        tables = cameo_tables(_bundle())
        reasons = Reasons(r.num_rows)
        day = checked_date(r, "SQLDATE", ["%Y%m%d"], reasons)
        place = text(r["ActionGeo_CountryCode"])
        country = lookup(place, tables.fips)
        reasons.add(pc.and_(pc.is_valid(place), pc.is_null(country)), "unknown country: FIPS ", quoted(place))
        latitude, bad_lat = numbers(r["ActionGeo_Lat"], pa.float64())
        longitude, bad_lon = numbers(r["ActionGeo_Long"], pa.float64())
        reasons.add(pc.or_(bad_lat, bad_lon), "coordinates out of range: not numbers ", quoted(r["ActionGeo_Lat"]))
        quad, bad_quad = numbers(r["QuadClass"], pa.int8())
        reasons.add(
            pc.or_(bad_quad, pc.invert(pc.fill_null(pc.is_in(quad, pa.array([1, 2, 3, 4], pa.int8())), True))),
            "bad code: QuadClass ",
            quoted(r["QuadClass"]),
        )
        code = text(r["EventCode"])
        own_score, _ = numbers(r["GoldsteinScale"], pa.float32())
        actors = {}
        for n in ("1", "2"):
            actors[f"actor{n}"] = pc.coalesce(text(r[f"Actor{n}Name"]), text(r[f"Actor{n}Code"]))
            actors[f"actor{n}_type"] = text(r[f"Actor{n}Type1Code"])
            actors[f"actor{n}_country"] = translate(text(r[f"Actor{n}CountryCode"]), actor_country)
        columns = {
            "source": self.name,
            "source_event_id": text(r["GLOBALEVENTID"]),
            "source_version": "",
            **one_day(day),
            "country_iso3": country,
            "admin1": text(r["ActionGeo_ADM1Code"]),
            "admin2": text(r["ActionGeo_ADM2Code"]) if "ActionGeo_ADM2Code" in r.column_names else None,
            "location": text(r["ActionGeo_FullName"]),
            "latitude": latitude,
            "longitude": longitude,
            "geo_precision": numbers(r["ActionGeo_Type"], pa.int8())[0],
            **actors,
            "source_event_type": text(r["EventRootCode"]),
            "source_sub_event_type": code,
            "category": translate(code, lambda c: cameo_category(c).value),
            "goldstein": pc.coalesce(lookup(code, tables.goldstein, pa.float32()), own_score),
            "quad_class": quad,
            "num_sources": numbers(r["NumSources"], pa.int32())[0],
            "description": lookup(code, tables.labels),
            "source_reference": text(r["SOURCEURL"]),
        }
        return canonical(r.num_rows, columns), reasons
