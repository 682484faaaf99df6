"""Where signals read from: the event lake and the aggregate series, through the events domain's public API.

The events domain owns the lake (``events_relation``, ``series_relation``). This module only adds what signals
needs on top: an empty lake is a valid lake (signals then stand on the series alone), and when the workspace holds
no aggregate series yet, the reference bundle's country-month deaths series and UCDP battle-related-deaths file are
read directly, so ``prevdip signals`` answers on a fresh machine. Every value says which source it came from.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pandas as pd

from prevdip.errors import RefusedInput
from prevdip.events.series import read_country_month_series
from prevdip.events.sharing import Audience
from prevdip.geo import find_country

COUNTRY_MONTH_FILES = (
    "ucdp/country_month_best_deaths_nenames.csv",
    "ucdp/country_month_best_deaths_ucdpnames.csv",
)
BRD_FILE = "ucdp/ucdp-brd-dyadic-251.csv"


def events(
    con: duckdb.DuckDBPyConnection, workspace: Path, audience: Audience = Audience.centre
) -> duckdb.DuckDBPyRelation:
    """The latest version of every event in the workspace's lake that ``audience`` may see (an empty relation when
    there is none)."""
    from prevdip.events.query import events_relation  # the public read API (re-exported by prevdip.events)

    return events_relation(con, workspace=workspace, audience=audience)


def _bundle(bundle: Path | None) -> Path:
    if bundle is None or not bundle.is_dir():
        raise RefusedInput(
            "no aggregate series in the workspace and no reference bundle to read them from",
            hint="run `prevdip ingest bundle` or set PREVDIP_BUNDLE",
        )
    return bundle


def _country_month_from_bundle(bundle: Path) -> tuple[pd.DataFrame, str]:
    for name in COUNTRY_MONTH_FILES:
        if (bundle / name).is_file():
            frame = read_country_month_series(bundle / name).frame.copy()
            frame["month"] = frame["month"].dt.date
            return frame, f"bundle:{name}"
    raise RefusedInput(f"{bundle}: no country-month deaths series", hint="expected ucdp/country_month_best_deaths_*")


def _gw_iso3(text: str) -> list[str]:
    out = []
    for part in text.split(","):
        part = part.strip()
        found = find_country(int(part), kind="gw") if part.isdigit() else None
        if found is not None:
            out.append(found.iso3)
    return out


def _conflict_years_from_bundle(bundle: Path) -> tuple[pd.DataFrame, str]:
    """UCDP battle-related deaths by dyad-year in the lake's ``conflict_years`` shape (region's countries resolved).

    Only for a workspace that has not ingested the bundle yet; ``prevdip ingest bundle`` writes the full series.
    """
    rows = []
    with (bundle / BRD_FILE).open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            a, b = _gw_iso3(r["gwno_a"]), _gw_iso3(r["gwno_b"])
            best = int(r["bd_best"])
            rows.append(
                {
                    "source": "ucdp-brd",
                    "conflict_id": int(r["conflict_id"]),
                    "dyad_id": int(r["dyad_id"]),
                    "year": int(r["year"]),
                    "side_a": r["side_a"],
                    "side_b": r["side_b"],
                    "iso3_a": a[0] if a else None,
                    "iso3_b": b[0] if b else None,
                    "location_iso3s": _gw_iso3(r["gwno_loc"]),
                    "type_of_conflict": int(r["type_of_conflict"]),
                    "intensity_level": None,
                    "best_deaths": best,
                    "low_deaths": int(r["bd_low"]),
                    "high_deaths": int(r["bd_high"]),
                }
            )
    return pd.DataFrame(rows), f"bundle:{BRD_FILE}"


def series(
    con: duckdb.DuckDBPyConnection, name: str, workspace: Path, bundle: Path | None
) -> tuple[duckdb.DuckDBPyRelation, str]:
    """An aggregate series and where it came from: the workspace's lake first, else the reference bundle."""
    from prevdip.events.query import series_relation

    stored = series_relation(con, name, workspace=workspace)
    if stored.aggregate("count(*)").fetchall()[0][0]:
        return stored, f"lake:series/{name}"
    if name == "country_month_deaths":
        frame, origin = _country_month_from_bundle(_bundle(bundle))
    else:
        frame, origin = _conflict_years_from_bundle(_bundle(bundle))
    return con.from_df(frame), origin


def load_series(con: duckdb.DuckDBPyConnection, workspace: Path, bundle: Path | None) -> dict[str, str]:
    """Create the views ``country_month_deaths_norm`` and ``conflict_years_norm``; return their origins.

    The views fix the shapes signals relies on whatever wrote the series: months as DATE (first day), deaths as
    integers, and ``location_iso3s`` as a list even where a writer stored a comma-separated string.
    """
    deaths, deaths_origin = series(con, "country_month_deaths", workspace, bundle)
    deaths.create_view("country_month_deaths_raw", replace=True)
    con.execute(
        "CREATE OR REPLACE TEMP VIEW country_month_deaths_norm AS SELECT iso3, "
        "date_trunc('month', CAST(month AS DATE))::DATE AS month, CAST(best_deaths AS BIGINT) AS best_deaths "
        "FROM country_month_deaths_raw"
    )
    years, years_origin = series(con, "conflict_years", workspace, bundle)
    years.create_view("conflict_years_raw", replace=True)
    location_type = dict(zip(years.columns, years.types, strict=True))["location_iso3s"]
    locations = (
        "location_iso3s"
        if str(location_type).endswith("[]")
        else "list_transform(string_split(coalesce(location_iso3s, ''), ','), x -> trim(x))"
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW conflict_years_norm AS
        SELECT conflict_id, dyad_id, CAST(year AS INTEGER) AS year, side_a, side_b, iso3_a, iso3_b,
            {locations} AS location_iso3s, CAST(type_of_conflict AS INTEGER) AS type_of_conflict,
            coalesce(CAST(intensity_level AS INTEGER), CASE WHEN best_deaths >= 1000 THEN 2 ELSE 1 END)
                AS intensity_level,
            CAST(best_deaths AS BIGINT) AS best
        FROM conflict_years_raw
        """
    )
    return {"country_month_deaths": deaths_origin, "conflict_years": years_origin}
