"""Retracting events a newer complete release no longer holds (UCDP GED), only when asked.

UCDP drops and re-codes events between releases: an event of GED 23.1 may be absent from 24.1 because it was merged,
moved or found not to qualify. Nothing in a release file says so, and a release can be partial (a country extract,
a reduced teaching sample, the API asked for one country), so retraction is never inferred: ``prevdip ingest
ucdp-ged FILE --retract-missing`` declares the file a *complete* release, and then every event of an older release
that it lacks — within the file's countries and the span of its dates, so a Candidate release's newer events are
left alone — gets a new version with ``deleted`` set: gone from queries of the latest version, still there
``--as-of`` an earlier day. A run that could not read every row of the file retracts nothing (it says why).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from prevdip.errors import RefusedInput
from prevdip.events.connectors.base import Connector
from prevdip.events.connectors.columns import canonical


def release_of(connector: Connector, files: list[Path]) -> str:
    """The one release the files hold (from their names); refused for any other source, or when it is unknown."""
    from prevdip.events.connectors.ucdp_ged import ged_version

    if connector.name != "ucdp-ged":
        raise RefusedInput(f"--retract-missing is for complete UCDP GED releases, not {connector.name}")
    releases = {ged_version(f) for f in files}
    if len(releases) != 1 or "" in releases:
        raise RefusedInput(
            "--retract-missing needs files of one release named in their file names (e.g. GEDEvent_v24_1.csv)",
            hint=f"found releases: {', '.join(sorted(r or '(none)' for r in releases))}",
        )
    return releases.pop()


class ReleaseRows:
    """The ids, countries and dates a release file holds, gathered while it is read (in DuckDB, not Python)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        con.execute("CREATE OR REPLACE TEMP TABLE release_rows (id VARCHAR, iso3 VARCHAR, day DATE)")

    def add(self, table: pa.Table) -> None:
        self.con.register("release_chunk", table.select(["source_event_id", "country_iso3", "date_start"]))
        try:
            self.con.execute("INSERT INTO release_rows SELECT * FROM release_chunk")
        finally:
            self.con.unregister("release_chunk")

    def missing(self, workspace: Path, source: str, release: str) -> pa.Table:
        """A deleted version, as of ``release``, of every event of an older release the file lacks (in scope)."""
        from prevdip.events.latest import version_key
        from prevdip.events.query import events_relation

        events_relation(self.con, workspace=workspace).create_view("retraction_latest", replace=True)
        gone = self.con.sql(
            f"""
            SELECT source, source_event_id, date_start, date_end, date_precision, country_iso3
            FROM retraction_latest
            WHERE source = $source
              AND {version_key("source_version")} < {version_key("$release")}
              AND source_event_id NOT IN (SELECT id FROM release_rows)
              AND country_iso3 IN (SELECT iso3 FROM release_rows)
              AND date_start BETWEEN (SELECT min(day) FROM release_rows) AND (SELECT max(day) FROM release_rows)
            """,
            params={"source": source, "release": release},
        ).to_arrow_table()
        columns = {name: gone[name] for name in gone.column_names}
        retracted = {"source_version": release, "category": "other", "deleted": pa.scalar(True)}
        description = f"retracted: not in the complete release {release}"
        return canonical(gone.num_rows, columns | retracted | {"description": description})
