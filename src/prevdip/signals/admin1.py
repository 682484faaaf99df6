"""The admin1-month panel: sub-national cells for the five states and Afghanistan.

Sources name provinces inconsistently (GDELT gives FIPS ADM1 codes, UCDP names like "Sughd province", the reduced
GED file none at all), so an event with coordinates is placed in the province whose Natural Earth label point is
nearest within its own country — a Voronoi approximation, good at province scale, that treats every source alike.
An event without coordinates keeps the province its source named. The spatial lag is the mean over the
``NEIGHBOURS`` nearest provinces (label points, any country: the Fergana valley's provinces face each other).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from prevdip.catalogue import BUNDLE
from prevdip.errors import RefusedInput
from prevdip.signals.panels import aggregate_members, month_grid, with_history, zero_filled

NEIGHBOURS = 4


def _label_points(bundle: Path | None) -> pd.DataFrame:
    path = (bundle or Path(".")) / BUNDLE.admin1_label_points
    if not path.is_file():
        raise RefusedInput(f"{path} is missing", hint="set PREVDIP_BUNDLE to the reference bundle")
    rows: dict[str, tuple[str, str, str, float, float]] = {}
    for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
        p, (lon, lat) = feature["properties"], feature["geometry"]["coordinates"][:2]
        unit = f"{p['sr_adm0_a3']}:{p['name']}"
        rows.setdefault(unit, (unit, p["sr_adm0_a3"], p["name"], float(lat), float(lon)))
    return pd.DataFrame(list(rows.values()), columns=["unit", "iso3", "name", "lat", "lon"])


def admin1_units(bundle: Path | None) -> tuple[str, ...]:
    """The provinces of the admin1 panel, spelled as its units are (``ISO3:Name``, Natural Earth's names)."""
    return tuple(_label_points(bundle)["unit"])


def admin1_month(con: duckdb.DuckDBPyConnection, bundle: Path | None, last_month: date) -> str:
    """Build table ``admin1_panel``; needs the tables made by ``classify.load_events``."""
    points = _label_points(bundle)
    con.register("admin1_points_frame", points)
    con.execute("CREATE OR REPLACE TEMP TABLE admin1_points AS SELECT * FROM admin1_points_frame")
    con.unregister("admin1_points_frame")
    month_grid(con, list(points["unit"]), last_month)
    distance = "pow(p.lat - e.latitude, 2) + pow((p.lon - e.longitude) * cos(radians(e.latitude)), 2)"
    membership = f"""
        SELECT arg_min(p.unit, {distance}) AS unit, e.month, e.event_uid
        FROM enriched e JOIN admin1_points p ON p.iso3 = e.country_iso3
        WHERE e.latitude IS NOT NULL GROUP BY e.event_uid, e.month
        UNION
        SELECT p.unit, e.month, e.event_uid FROM enriched e
        JOIN admin1_points p ON p.iso3 = e.country_iso3 AND lower(p.name) = lower(e.admin1)
        WHERE e.latitude IS NULL
    """
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE admin1_neighbours AS
        SELECT a.unit, b.unit AS neighbour FROM admin1_points a JOIN admin1_points b ON a.unit <> b.unit
        QUALIFY row_number() OVER (PARTITION BY a.unit ORDER BY
            pow(a.lat - b.lat, 2) + pow((a.lon - b.lon) * cos(radians(a.lat)), 2)) <= {NEIGHBOURS}
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE admin1_cells AS
        WITH agg AS ({aggregate_members(con, "admin1_members", membership)})
        SELECT g.unit, split_part(g.unit, ':', 1) AS country, g.month, {zero_filled()}, a.event_deaths,
            a.cross_border_deaths, a.goldstein_mean, a.bar_water_score, coalesce(a.event_deaths, 0) AS deaths
        FROM grid g LEFT JOIN agg a USING (unit, month)
        """
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE admin1_panel AS {with_history('admin1_cells', 'admin1_neighbours n')}")
    return "admin1_panel"
