"""Category mapping tables: every source's event types onto prevdip's own vocabulary (:class:`Category`).

The tables are data (CSV files beside this module) so that an analyst can read, review and amend a mapping without
reading code: ``ucdp_violence.csv`` (UCDP type_of_violence), ``acled_types.csv`` (ACLED event and sub-event types),
``cameo.csv`` (CAMEO code prefixes, longest prefix wins), ``bar_scale.csv`` (TFDD Basins at Risk scale) and
``tfdd_codes.csv`` (historical and organisation party codes in the BAR events).
"""

from __future__ import annotations

import csv
from functools import cache
from importlib.resources import files

from prevdip.events.schema import Category


def _rows(name: str) -> list[dict[str, str]]:
    text = files("prevdip.events.categories").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def ucdp_violence() -> dict[str, tuple[str, Category]]:
    """type_of_violence code *and* label (the reduced GED spells it out) → (label, category)."""
    out: dict[str, tuple[str, Category]] = {}
    for row in _rows("ucdp_violence.csv"):
        entry = (row["label"], Category(row["category"]))
        out[row["code"]] = entry
        out[row["label"].casefold()] = entry
    return out


@cache
def acled_types() -> dict[tuple[str, str], Category]:
    """(event_type, sub_event_type), both casefolded → category."""
    return {
        (row["event_type"].casefold(), row["sub_event_type"].casefold()): Category(row["category"])
        for row in _rows("acled_types.csv")
    }


@cache
def cameo_prefixes() -> dict[str, Category]:
    """CAMEO code prefix → category; look a code up by its longest known prefix (:func:`cameo_category`)."""
    return {row["prefix"]: Category(row["category"]) for row in _rows("cameo.csv")}


def cameo_category(code: str) -> Category:
    """The category of one CAMEO event code, by longest matching prefix; unknown codes are ``other``."""
    table = cameo_prefixes()
    for length in range(len(code), 1, -1):
        found = table.get(code[:length])
        if found is not None:
            return found
    return Category.OTHER


@cache
def bar_scale() -> dict[int, tuple[str, Category]]:
    """BAR scale −7..+7 → (label, category)."""
    return {int(row["scale"]): (row["label"], Category(row["category"])) for row in _rows("bar_scale.csv")}


@cache
def tfdd_codes() -> dict[str, tuple[str | None, str]]:
    """BAR party codes that are not current ISO3 codes → (ISO3 or None for organisations, name)."""
    return {row["code"]: (row["iso3"] or None, row["name"]) for row in _rows("tfdd_codes.csv")}
