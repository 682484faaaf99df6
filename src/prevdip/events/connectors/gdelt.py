"""GDELT event exports: 2.0 (61 tab-separated fields, no header, plain or zipped) and 1.0 (57 or 58 fields).

CAMEO event codes become prevdip categories through the mapping table (``categories/cameo.csv``); the Goldstein
score and the event label come from the CAMEO table of the reference bundle (``gdelt/cameo/cameoCodeTable_goldstein
.tsv``, read at run time), falling back to the row's own GoldsteinScale for a code the table lacks. The country of
an event is where it happened (ActionGeo, FIPS 10-4: ``TI`` is Tajikistan, ``TX`` Turkmenistan) mapped to ISO3
through the bundle's GeoNames table. Actors' countries are the CAMEO country codes ``Actor1CountryCode`` and
``Actor2CountryCode`` (ISO3 for most states; ``ROM``, ``TMP``, ``IMY``, ``MTN`` through the bundle's
``cameoCountry.txt``; regions such as ``CAS`` have none). The tables are read by :mod:`prevdip.geo`. Every number is
read by the checked reader — QuadClass 1-4, Goldstein -10..10, tone -100..100, counts — and ``NumMentions``,
``NumArticles`` and ``AvgTone`` are kept in ``attributes`` (``NumSources`` and ``SOURCEURL`` have columns of their
own).
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
    Column,
    Reasons,
    attribute_map,
    canonical,
    checked_coordinates,
    checked_date,
    checked_number,
    lookup,
    one_day,
    text,
    translate,
)
from prevdip.events.connectors.tabular import read_lines
from prevdip.events.terms import GDELT
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


# The attention an event got, which GDELT's users weigh events by; NumSources has a column of its own.
COUNT_ATTRIBUTES = ("NumMentions", "NumArticles")


def _bundle() -> Path:
    from prevdip.settings import get_settings

    bundle = get_settings().bundle
    if bundle is None:
        raise RefusedInput("GDELT needs the CAMEO tables of the reference bundle", hint="set PREVDIP_BUNDLE")
    return bundle


class Gdelt(Connector):
    name: ClassVar[str] = "gdelt"
    licence = GDELT

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
        reasons.add(pc.and_(pc.is_valid(place), pc.is_null(country)), "unknown country: FIPS ", quote=place)
        latitude, longitude = checked_coordinates(r, ("ActionGeo_Lat", "ActionGeo_Long"), reasons)
        quad = checked_number(r, "QuadClass", pa.int8(), reasons, minimum=1, maximum=4, kind="bad code")
        code = text(r["EventCode"])
        own_score = checked_number(r, "GoldsteinScale", pa.float32(), reasons, minimum=-10, maximum=10)
        actors = {}
        for n in ("1", "2"):
            actors[f"actor{n}"] = pc.coalesce(text(r[f"Actor{n}Name"]), text(r[f"Actor{n}Code"]))
            actors[f"actor{n}_type"] = text(r[f"Actor{n}Type1Code"])
            cameo = text(r[f"Actor{n}CountryCode"])
            actors[f"actor{n}_country"] = pc.coalesce(translate(cameo, actor_country), lookup(cameo, tables.countries))
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
            "geo_precision": checked_number(r, "ActionGeo_Type", pa.int8(), reasons, minimum=0, maximum=5),
            **actors,
            "source_event_type": text(r["EventRootCode"]),
            "source_sub_event_type": code,
            "category": translate(code, lambda c: cameo_category(c).value),
            "goldstein": pc.coalesce(lookup(code, tables.goldstein, pa.float32()), own_score),
            "quad_class": quad,
            "num_sources": checked_number(r, "NumSources", pa.int32(), reasons, minimum=0),
            "description": lookup(code, tables.labels),
            "source_reference": text(r["SOURCEURL"]),
            "attributes": attribute_map(r.num_rows, self._attributes(r, reasons)),
        }
        return canonical(r.num_rows, columns), reasons

    def _attributes(self, r: pa.Table, reasons: Reasons) -> dict[str, Column]:
        kept: dict[str, Column] = {
            name: pc.cast(checked_number(r, name, pa.int64(), reasons, minimum=0), pa.string())
            for name in COUNT_ATTRIBUTES
        }
        checked_number(r, "AvgTone", pa.float64(), reasons, minimum=-100, maximum=100)
        return kept | {"AvgTone": text(r["AvgTone"])}  # as GDELT writes it (formatting 2 M floats again costs)
