"""Classify every event of the lake into the centre's priority groups, in one DuckDB query.

The lake's events are first *enriched* (table ``enriched``): month, a text blob of actors, place and description
for the regular expressions, whether the event is CAMEO-coded, whether its two actors belong to different states,
its water basin, and (table ``near_border``) every land boundary within reach. Each taxonomy rule is one SQL
predicate over that row; the union of their matches is ``event_groups`` (one row per event and priority group,
with the most confident rule). An event no rule covers gets no row there and counts as unclassified.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from prevdip.events.dyads import DYAD_BORDER_KM, near_border_table
from prevdip.events.sharing import Audience
from prevdip.geo import region
from prevdip.signals import lake
from prevdip.signals.taxonomy import Taxonomy, basin_expression, rule_predicate, taxonomy

# Signals watch the centre's region and its neighbours: events elsewhere in a global file are not classified.
SIGNALS_REGION = "neighbours"


def _enrich(con: duckdb.DuckDBPyConnection, tax: Taxonomy) -> None:
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE enriched AS
        WITH base AS (
            SELECT *,
                date_trunc('month', date_start)::DATE AS month,
                concat_ws(' | ', actor1, actor2) AS actors,
                concat_ws(' | ', actor1, actor2, location, admin1, admin2, description) AS text,
                (source ILIKE 'gdelt%' OR source ILIKE 'icews%') AS is_cameo,
                coalesce(source_sub_event_type, source_event_type, '') AS cameo_code,
                coalesce(actor1_country <> actor2_country, false) AS interstate
            FROM lake_events
        )
        SELECT *, {basin_expression(tax.basins)} AS basin FROM base e
        """
    )


def _classify(con: duckdb.DuckDBPyConnection, tax: Taxonomy) -> None:
    matches = "\nUNION ALL\n".join(
        f"SELECT e.event_uid, '{r.group}' AS priority_group, '{r.subgroup}' AS subgroup, "
        f"{r.confidence} AS confidence, '{r.id}' AS rule_id FROM enriched e WHERE {rule_predicate(r, tax.basins)}"
        for r in tax.rules
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE event_groups AS
        SELECT event_uid, priority_group,
            arg_max(subgroup, confidence) AS subgroup,
            max(confidence) AS confidence,
            arg_max(rule_id, confidence) AS rule_id
        FROM ({matches}) GROUP BY event_uid, priority_group
        """
    )


def load_events(
    con: duckdb.DuckDBPyConnection, workspace: Path, bundle: Path | None, audience: Audience = Audience.centre
) -> None:
    """Create ``lake_events``, ``near_border``, ``enriched`` and ``event_groups`` in ``con`` from the events
    ``audience`` may see."""
    tax = taxonomy()
    codes = ", ".join(f"'{c}'" for c in region(SIGNALS_REGION).iso3s)
    in_region = f"country_iso3 IN ({codes}) OR actor1_country IN ({codes}) OR actor2_country IN ({codes})"
    lake.events(con, workspace, audience).filter(in_region).create_view("lake_events_view", replace=True)
    con.execute("CREATE OR REPLACE TEMP TABLE lake_events AS SELECT * FROM lake_events_view")  # read the lake once
    near_border_table(con, "lake_events", bundle, max(tax.max_border_km, DYAD_BORDER_KM))
    _enrich(con, tax)
    _classify(con, tax)


def classify_events(
    *, workspace: Path | None = None, bundle: Path | None = None, con: duckdb.DuckDBPyConnection | None = None
) -> pd.DataFrame:
    """Every event of the region with its priority groups: one row per event and group, ``unclassified`` if none.

    Columns: event_uid, source, source_event_id, date_start, country_iso3, category, priority_group, subgroup,
    confidence, rule_id.
    """
    from prevdip.settings import get_settings

    settings = get_settings()
    con = con or duckdb.connect()
    load_events(con, workspace or settings.workspace, bundle or settings.bundle)
    return con.sql(
        """
        SELECT e.event_uid, e.source, e.source_event_id, e.date_start, e.country_iso3, e.category,
            coalesce(g.priority_group, 'unclassified') AS priority_group, g.subgroup, g.confidence, g.rule_id
        FROM enriched e LEFT JOIN event_groups g USING (event_uid)
        ORDER BY e.date_start, e.event_uid, priority_group
        """
    ).df()
