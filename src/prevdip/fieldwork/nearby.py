"""Events near a report — to spot a duplicate before verifying it: events in the lake within three days of the
report's date, at the same place (its name, in the same country) or within :data:`RADIUS_KM` of its coordinates.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from prevdip.store.models import FieldReportRevision

RADIUS_KM = 25.0
DAYS = 3
SHOWN = 5  # events listed per report


def events_nearby(workspace: Path, reports: Sequence[FieldReportRevision]) -> dict[int, list[dict[str, Any]]]:
    """For each revision (by record id), the events nearby, closest in time first (the report's own lake events
    left out). One query for the whole queue."""
    import duckdb

    from prevdip.events.query import events_relation

    if not reports:
        return {}
    wanted = pa.table(
        {
            "record_id": [r.id for r in reports],
            "report_id": [r.report_id for r in reports],
            "country": [r.country_iso3 for r in reports],
            "place": [str(r.payload.get("place", "")).strip().lower() for r in reports],
            "lat": pa.array([r.payload.get("latitude") for r in reports], pa.float64()),
            "lon": pa.array([r.payload.get("longitude") for r in reports], pa.float64()),
            "day": pa.array([r.event_date for r in reports], pa.date32()),
        }
    )
    con = duckdb.connect()
    try:
        con.register("lake_events", events_relation(con, workspace=workspace))
        con.register("wanted", wanted)
        cursor = con.execute(
            f"""
            select w.record_id, e.event_uid, e.source, e.source_event_id, e.date_start, e.country_iso3, e.location,
                   e.category, e.fatalities_best, e.description,
                   round(case when w.lat is null or e.latitude is null then null else 2 * 6371 * asin(sqrt(
                     pow(sin(radians(e.latitude - w.lat) / 2), 2) + cos(radians(w.lat)) * cos(radians(e.latitude))
                     * pow(sin(radians(e.longitude - w.lon) / 2), 2))) end, 1) as km,
                   abs(date_diff('day', w.day, e.date_start)) as days
            from wanted w join lake_events e
              on e.date_start between w.day - interval {DAYS} day and w.day + interval {DAYS} day
             and not (e.source = 'field' and e.source_event_id = w.report_id)
            where (e.country_iso3 = w.country and lower(trim(coalesce(e.location, ''))) = w.place and w.place <> '')
               or (w.lat is not null and e.latitude is not null and 2 * 6371 * asin(sqrt(
                     pow(sin(radians(e.latitude - w.lat) / 2), 2) + cos(radians(w.lat)) * cos(radians(e.latitude))
                     * pow(sin(radians(e.longitude - w.lon) / 2), 2))) <= {RADIUS_KM})
            order by w.record_id, days, km nulls last, e.event_uid
            """
        )
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    finally:
        con.close()
    found: dict[int, list[dict[str, Any]]] = {r.id: [] for r in reports}
    for row in rows:
        listed = found[row.pop("record_id")]
        if len(listed) < SHOWN:
            listed.append({**row, "date_start": row["date_start"].isoformat()})
    return found
