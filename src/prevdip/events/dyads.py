"""Which events belong to a dyad of two states: the one definition ``prevdip events --dyad`` and the signals' dyad
panels both use, so a clash listed under KGZ-TJK is the clash counted in the KGZ-TJK panel.

An event belongs to dyad A-B when

* its two actors belong to A and B, in either order: an event between the two states (UCDP's governments, ACLED's
  state forces and nationals, GDELT's actor countries, TFDD's parties); or
* it happened in A or B within :data:`DYAD_BORDER_KM` of the land boundary A and B share (Natural Earth 10m lines
  of the reference bundle), whoever its actors: the border area where a dyad's disputes play out.

Both parts are SQL over a table of events and a ``near_border`` table of (latitude, longitude, a, b, km), which
:func:`near_border_table` builds for the events' coordinates.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import duckdb

from prevdip.errors import RefusedInput

DYAD_BORDER_KM = 50.0


def near_border_table(
    con: duckdb.DuckDBPyConnection,
    events: str,
    bundle: Path | None,
    within_km: float,
    *,
    pairs: Collection[tuple[str, str]] | None = None,
    name: str = "near_border",
) -> None:
    """Create table ``name``: every distinct coordinate of ``events`` within ``within_km`` of a land boundary (only
    the boundaries ``pairs``, each (a, b) with a < b, when given). Needs the bundle's boundary lines."""
    from prevdip.geo import near_border

    coords = con.sql(
        f"SELECT DISTINCT latitude, longitude FROM {events} WHERE latitude IS NOT NULL AND longitude IS NOT NULL"
    ).df()
    if len(coords) and bundle is None:
        raise RefusedInput("border distances need the reference bundle", hint="set PREVDIP_BUNDLE")
    lat, lon = coords["latitude"].to_numpy(), coords["longitude"].to_numpy()
    frame = near_border(lat, lon, within_km=within_km, bundle=bundle or Path("."), pairs=pairs)  # no points: unused
    con.register("near_border_frame", frame)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM near_border_frame")
    con.unregister("near_border_frame")


def membership_sql(events: str, dyads: str, near_border: str = "near_border") -> str:
    """SQL of (dyad, event_uid) for every event of ``events`` in a dyad of ``dyads``: a table or VALUES list aliased
    ``d`` with columns code, a, b (a < b)."""
    return f"""
        SELECT d.code AS dyad, e.event_uid FROM {events} e JOIN {dyads}
            ON least(e.actor1_country, e.actor2_country) = d.a AND greatest(e.actor1_country, e.actor2_country) = d.b
        UNION
        SELECT d.code AS dyad, e.event_uid FROM {events} e
            JOIN {near_border} nb ON nb.latitude = e.latitude AND nb.longitude = e.longitude
                AND nb.km <= {DYAD_BORDER_KM}
            JOIN {dyads} ON nb.a = d.a AND nb.b = d.b
            WHERE e.country_iso3 IN (d.a, d.b)
    """


def dyad_members(con: duckdb.DuckDBPyConnection, events: str, a: str, b: str, bundle: Path | None) -> str:
    """Create table ``dyad_members`` (dyad, event_uid) of the events of ``events`` in dyad ``a``-``b``; returns its
    name. Only the events that could belong (in or by one of the two) are measured against the boundary."""
    a, b = sorted((a, b))
    if not all(len(c) == 3 and c.isalpha() and c.isupper() for c in (a, b)):
        raise RefusedInput(f"bad dyad {a}-{b}", hint="two ISO3 codes, e.g. KGZ-TJK")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE dyad_candidates AS SELECT * FROM {events} "
        "WHERE country_iso3 IN ($a, $b) OR actor1_country IN ($a, $b) OR actor2_country IN ($a, $b)",
        {"a": a, "b": b},
    )
    near_border_table(con, "dyad_candidates", bundle, DYAD_BORDER_KM, pairs={(a, b)}, name="dyad_near_border")
    dyads = f"(VALUES ('{a}-{b}', '{a}', '{b}')) AS d(code, a, b)"  # two checked ISO3 codes
    con.execute(
        "CREATE OR REPLACE TEMP TABLE dyad_members AS "
        + membership_sql("dyad_candidates", dyads, near_border="dyad_near_border")
    )
    return "dyad_members"
