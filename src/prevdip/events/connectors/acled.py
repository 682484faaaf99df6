"""ACLED CSV export in its real column layout (``event_id_cnty, event_date, ..., timestamp``).

The ACLED ``timestamp`` (last change, Unix seconds) is the event's ``source_version``: a re-coded event arrives as a
new version that supersedes the old one in queries; a deletion (:mod:`~prevdip.events.connectors.acled_deleted`)
is the newest version of all. Countries come from the numeric ISO code (``iso``), the ``iso3`` column of newer
exports, or the country name, in that order of trust.

Actors are read as ACLED's analysts know them:

* ``inter1``/``inter2`` are codes (``1`` state forces … ``8`` external/other forces) in downloaded exports, and
  words (``State forces``) in what ACLED's API and its R client return by default (``inter_numeric = FALSE``);
  both are read, and anything else quarantines the row.
* An actor's country comes from ACLED's naming rules (Codebook 2021, "Inter Code 1: State Forces"): state forces
  are ``Military Forces of State (20xx-)`` or ``Police Forces of State (20xx-20xx)``, also ``Government of …``,
  ``Mutiny of Military Forces of …`` and units after the years; rioters, protesters, civilians and communal
  militias are ``Rioters (Country)``, ``Civilians (Country)``. So a Kyrgyz-Tajik border clash is between KGZ and
  TJK, and the dyad, region and interstate logic see it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pyarrow as pa
import pyarrow.compute as pc
import pycountry

from prevdip.events.categories import acled_types
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
    numbers,
    optional_text,
    text,
    translate,
)
from prevdip.events.connectors.tabular import read_quoted
from prevdip.events.connectors.ucdp_ged import safe_iso3
from prevdip.events.schema import Category
from prevdip.events.terms import ACLED

REQUIRED = ("event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "country", "latitude",
            "longitude", "fatalities")  # fmt: skip
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%m-%Y", "%d/%m/%Y")
_INTER = {"1": "state forces", "2": "rebel group", "3": "political militia", "4": "identity militia",
          "5": "rioters", "6": "protesters", "7": "civilians", "8": "external/other forces"}  # fmt: skip
# The words ACLED's API returns by default, the codebook's headings and the R client's labels
# (acledR::acled_transform_interaction), casefolded.
_INTER_WORDS = {
    **{label: label for label in _INTER.values()},
    "state forces": "state forces",
    "rebel groups": "rebel group",
    "rebel forces": "rebel group",
    "political militias": "political militia",
    "militia groups": "political militia",
    "identity militias": "identity militia",
    "communal / identity groups": "identity militia",
    "communal/identity groups": "identity militia",
    "external/other force": "external/other forces",
    "foreign / others": "external/other forces",
    "foreign/others": "external/other forces",
}
_PRECISION = {"1": "day", "2": "week", "3": "month"}
# Everything else an ACLED analyst filters on, kept verbatim in ``attributes``.
ATTRIBUTES = ("disorder_type", "assoc_actor_1", "assoc_actor_2", "interaction", "civilian_targeting", "region",
              "source_scale", "tags")  # fmt: skip

_STATE = re.compile(r"^(?:Mutiny of )?(?:[\w'’.,/ -]+? )?(?:Forces|Government) of (?:the )?(.+?) \(\d{4}-(?:\d{4})?\)")
_NATIONAL = re.compile(r"^[^()]+ \(([^()\d][^()]*)\)$")


def iso_numeric(code: str) -> str | None:
    found = pycountry.countries.get(numeric=code.zfill(3)) if code.isdigit() else None
    return None if found is None else str(found.alpha_3)


def actor_country(actor: str) -> str | None:
    """The ISO3 of the state an ACLED actor belongs to, from ACLED's own naming; None when the name gives none."""
    found = _STATE.match(actor) or _NATIONAL.match(actor)
    return None if found is None else safe_iso3(found.group(1))  # Somaliland: coded by ACLED, no ISO state


def _category(table: dict[tuple[str, str], Category], pair: str) -> str | None:
    kind, _, sub = pair.partition("|")
    found = table.get((kind, sub))
    return None if found is None else found.value


def actor_type(records: pa.Table, name: str, reasons: Reasons) -> Column:
    """``inter1``/``inter2`` as ACLED's code (``1``, or ``1.0`` from a spreadsheet) or its words; 0 is "no actor"."""
    raw = optional_text(records, name)
    code, _ = numbers(raw, pa.int8(), minimum=0, maximum=8)  # words are not numbers: they are looked up below
    by_code = lookup(pc.cast(code, pa.string()), _INTER)
    label = pc.coalesce(by_code, lookup(pc.utf8_lower(raw), _INTER_WORDS))
    unknown = pc.and_(pc.and_(pc.is_valid(raw), pc.is_null(label)), pc.invert(pc.fill_null(pc.equal(code, 0), False)))
    reasons.add(unknown, f"bad code: {name} ", quote=raw)
    return label


class Acled(Connector):
    name: ClassVar[str] = "acled"
    licence = ACLED

    def detect(self, path: Path, head: str) -> bool:
        return set(REQUIRED) <= set(next(csv.reader(head.splitlines()[:1]), []))

    def read(self, path: Path) -> Iterator[RawBatch]:
        yield from read_quoted(path, required=REQUIRED, what="ACLED export")

    def normalise(self, raw: RawBatch) -> tuple[pa.Table, Reasons]:
        r = raw.records
        reasons = Reasons(r.num_rows)
        day = checked_date(r, "event_date", DATE_FORMATS, reasons)
        name = text(r["country"])
        iso = checked_number(r, "iso", pa.int16(), reasons, minimum=0, maximum=999)
        country = pc.coalesce(
            translate(pc.cast(iso, pa.string()), iso_numeric), optional_text(r, "iso3"), translate(name, safe_iso3)
        )
        reasons.add(pc.is_null(country), "unknown country: ", quote=name)
        fatalities = checked_number(r, "fatalities", pa.int32(), reasons, minimum=0)
        latitude, longitude = checked_coordinates(r, ("latitude", "longitude"), reasons)
        precision = checked_number(r, "time_precision", pa.int8(), reasons, minimum=1, maximum=3, kind="bad code")
        # Unix seconds; written 1642532076.0 by pandas it is the same version, not a second one.
        version = checked_number(r, "timestamp", pa.int64(), reasons, minimum=0)
        kind, sub = text(r["event_type"]), text(r["sub_event_type"])
        pair = pc.binary_join_element_wise(pc.utf8_lower(kind), pc.utf8_lower(sub), "|")
        table = acled_types()
        category = translate(pair, lambda p: _category(table, p))
        reasons.add(pc.is_null(category), "unknown type: ", quote=pair)
        actor1, actor2 = text(r["actor1"]), optional_text(r, "actor2")
        columns = {
            "source": self.name,
            "source_event_id": text(r["event_id_cnty"]),
            "source_version": pc.fill_null(pc.cast(version, pa.string()), ""),
            "date_start": day,
            "date_end": day,
            "date_precision": pc.fill_null(lookup(pc.cast(precision, pa.string()), _PRECISION), "day"),
            "country_iso3": country,
            "admin1": optional_text(r, "admin1"),
            "admin2": optional_text(r, "admin2"),
            "admin3": optional_text(r, "admin3"),
            "location": optional_text(r, "location"),
            "latitude": latitude,
            "longitude": longitude,
            "geo_precision": checked_number(r, "geo_precision", pa.int8(), reasons, minimum=1, maximum=3),
            "actor1": actor1,
            "actor1_type": actor_type(r, "inter1", reasons),
            "actor1_country": translate(actor1, actor_country),
            "actor2": actor2,
            "actor2_type": actor_type(r, "inter2", reasons),
            "actor2_country": translate(actor2, actor_country),
            "source_event_type": kind,
            "source_sub_event_type": sub,
            "category": category,
            "fatalities_best": fatalities,
            "description": optional_text(r, "notes"),
            "source_reference": optional_text(r, "source"),
            "attributes": attribute_map(r.num_rows, {n: optional_text(r, n) for n in ATTRIBUTES}),
        }
        return canonical(r.num_rows, columns), reasons
