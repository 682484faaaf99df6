"""TFDD Basins at Risk water events (Oregon State): UTF-8 with BOM, multi-line quoted summaries, BAR scale −7..+7.

Each event is between two parties (``CCODE1``/``CCODE2``, mostly ISO3; historical states and organisations are
mapped by ``categories/tfdd_codes.csv``), in a basin (``BCode``, e.g. ``ARAL``), kept as ``source_sub_event_type``.
The BAR scale is kept as ``water_scale`` and maps to ``water_conflict`` (< 0), ``water_cooperation`` (> 0) or
``other`` (0 or no scale); a scale outside −7..+7 quarantines the row (it never wraps into another value). The
codebook's dyad, country list, issue types and basin-country codes are kept in ``attributes``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pyarrow as pa
import pyarrow.compute as pc
import pycountry

from prevdip.events.categories import bar_scale, tfdd_codes
from prevdip.events.connectors.base import Connector, RawBatch
from prevdip.events.connectors.columns import (
    Reasons,
    attribute_map,
    canonical,
    checked_date,
    checked_number,
    one_day,
    optional_text,
    text,
    translate,
)
from prevdip.events.connectors.tabular import read_quoted
from prevdip.events.terms import TFDD

REQUIRED = ("ID", "DATE", "BCode", "CCODE1", "CCODE2", "BAR_Scale", "EVENT_SUMMARY")
_UNKNOWN = "?"
ATTRIBUTES = ("DYAD_CODE", "COUNTRY_LIST", "BCCODE1", "BCCODE2", "Issue_Type1", "Issue_Type2", "EVENT_ISSUE",
              "EVENT_TYPE", "COPDAB_SCALE")  # fmt: skip


def party(code: str) -> tuple[str | None, str]:
    """(ISO3 or None, name) of a BAR party code; ``?`` as ISO3 marks a code nobody knows."""
    found = pycountry.countries.get(alpha_3=code)
    if found is not None:
        return found.alpha_3, str(found.name)
    return tfdd_codes().get(code, (_UNKNOWN, code))


class TfddBar(Connector):
    name: ClassVar[str] = "tfdd-bar"
    licence = TFDD

    def detect(self, path: Path, head: str) -> bool:
        return set(REQUIRED) <= set(next(csv.reader(head.splitlines()[:1]), []))

    def read(self, path: Path) -> Iterator[RawBatch]:
        yield from read_quoted(path, required=REQUIRED, what="TFDD Basins at Risk events")

    def normalise(self, raw: RawBatch) -> tuple[pa.Table, Reasons]:
        r = raw.records
        reasons = Reasons(r.num_rows)
        day = checked_date(r, "DATE", ["%Y-%m-%d", "%m/%d/%Y"], reasons)
        sides = {}
        for n in ("1", "2"):
            code = text(r[f"CCODE{n}"])
            iso3 = translate(code, lambda c: party(c)[0])
            reasons.add(pc.equal(iso3, _UNKNOWN), "unknown country: party code ", quote=code)
            sides[n] = pc.if_else(pc.equal(iso3, _UNKNOWN), pa.scalar(None, pa.string()), iso3)
            sides[f"name{n}"] = translate(code, lambda c: party(c)[1])
            is_state = pc.is_valid(sides[n])
            sides[f"type{n}"] = pc.if_else(is_state, "state", pc.if_else(pc.is_valid(code), "organisation", None))
        scale = checked_number(r, "BAR_Scale", pa.int8(), reasons, minimum=-7, maximum=7)
        category = _bar_category(scale)
        columns = {
            "source": self.name,
            "source_event_id": text(r["ID"]),
            "source_version": "",
            **one_day(day),
            "country_iso3": pc.coalesce(sides["1"], sides["2"]),
            "location": text(r["LOCATION"]) if "LOCATION" in r.column_names else None,
            "actor1": sides["name1"],
            "actor1_type": sides["type1"],
            "actor1_country": sides["1"],
            "actor2": sides["name2"],
            "actor2_type": sides["type2"],
            "actor2_country": sides["2"],
            "source_event_type": _bar_label(scale),
            "source_sub_event_type": text(r["BCode"]),
            "category": category,
            "water_scale": scale,
            "description": text(r["EVENT_SUMMARY"]),
            "source_reference": text(r["SOURCE"]) if "SOURCE" in r.column_names else None,
            "attributes": attribute_map(r.num_rows, {name: optional_text(r, name) for name in ATTRIBUTES}),
        }
        return canonical(r.num_rows, columns), reasons


def _by_scale(scale: pa.Array | pa.ChunkedArray, values: list[str | None]) -> pa.Array:
    """Look a value up by BAR scale (−7..+7); null or out-of-range scales give null."""
    index = pc.add(pc.cast(scale, pa.int32()), 7)
    index = pc.if_else(pc.and_(pc.greater_equal(index, 0), pc.less_equal(index, 14)), index, None)
    return pc.take(pa.array(values, pa.string()), index)


def _bar_category(scale: pa.Array | pa.ChunkedArray) -> pa.Array:
    table = bar_scale()
    found = _by_scale(scale, [table[k][1].value for k in range(-7, 8)])
    return pc.fill_null(found, "other")


def _bar_label(scale: pa.Array | pa.ChunkedArray) -> pa.Array:
    table = bar_scale()
    return _by_scale(scale, [f"BAR {k:+d}: {table[k][0]}" for k in range(-7, 8)])
