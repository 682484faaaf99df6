"""Aggregate series beside the events: ``country_month_deaths`` and ``conflict_years`` (UCDP/PRIO ACD and BRD).

A series file is small and keyed; an ingest merges its rows with the file's: a row identical to one already there
is a duplicate, a row with a new key is added, and a row with a known key but new values replaces the old one
(a revised country-month count). Series are read through :func:`prevdip.events.series_relation`.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

COUNTRY_MONTH_SCHEMA = pa.schema([("iso3", pa.string()), ("month", pa.date32()), ("best_deaths", pa.int64())])

CONFLICT_YEARS_SCHEMA = pa.schema(
    [
        ("source", pa.string()),  # ucdp-acd or ucdp-brd
        ("version", pa.string()),  # release, e.g. 25.1
        ("conflict_id", pa.int64()),
        ("dyad_id", pa.int64()),  # BRD only
        ("year", pa.int32()),
        ("side_a", pa.string()),
        ("side_b", pa.string()),
        ("iso3_a", pa.string()),
        ("iso3_b", pa.string()),
        ("location_iso3s", pa.list_(pa.string())),
        ("type_of_conflict", pa.int8()),  # 1 extrasystemic, 2 interstate, 3 intrastate, 4 internationalised
        ("intensity_level", pa.int8()),  # ACD: 1 minor (25-999 deaths), 2 war (1000+)
        ("best_deaths", pa.int64()),  # BRD only
        ("low_deaths", pa.int64()),
        ("high_deaths", pa.int64()),
        ("start_date", pa.date32()),  # ACD: first date of the conflict
    ]
)

SERIES_SCHEMAS = {"country_month_deaths": COUNTRY_MONTH_SCHEMA, "conflict_years": CONFLICT_YEARS_SCHEMA}
SERIES_KEYS = {
    "country_month_deaths": ("iso3", "month"),
    "conflict_years": ("source", "version", "conflict_id", "dyad_id", "year"),
}


def merge_series(workspace: Path, name: str, key: tuple[str, ...], new: pa.Table) -> tuple[pa.Table, int]:
    """The series with ``new`` merged in, and how many of the new rows it did not already hold."""
    from prevdip.events.lake import series_path

    path = series_path(workspace, name)
    old = pq.read_table(path) if path.is_file() else SERIES_SCHEMAS[name].empty_table()
    con = duckdb.connect()
    con.register("old_rows", old)
    con.register("new_rows", new.cast(SERIES_SCHEMAS[name]))
    con.sql("create temp table fresh as select distinct * from new_rows except select * from old_rows")
    accepted = con.sql("select count(*) from fresh").fetchall()[0][0]
    keys = " and ".join(f"o.{k} is not distinct from f.{k}" for k in key)
    merged = con.sql(
        f"select * from old_rows o where not exists (select 1 from fresh f where {keys}) "
        f"union all select * from fresh order by {', '.join(key)}"
    ).to_arrow_table()
    con.close()
    return merged.cast(SERIES_SCHEMAS[name]), int(accepted)
