"""Deaths per country and month: the one place that says which source a country-month's figure comes from.

Precedence (``docs/events.md``): for the months the country-month series (source ``ucdp-cm``) covers, its figure;
for months after the series' last month, the sum of ``best`` deaths of the UCDP events in the lake (source
``ucdp-ged``: GED and Candidate releases, from bundle files or ``prevdip fetch ucdp``) by the country and month of
their first day. So events fetched after the series was published extend the panel that signals and forecasts read,
and the two never count the same month twice. A country with no UCDP event in such a month has no row: readers take
that as zero deaths, as the series itself does.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from prevdip.errors import RefusedInput
from prevdip.events.lake import event_files
from prevdip.events.query import events_relation, series_relation
from prevdip.months import Month

SERIES_SOURCE = "ucdp-cm"
#: The UCDP event sources whose deaths extend the series (GED and Candidate both ingest as ``ucdp-ged``).
UCDP_EVENT_SOURCES = ("ucdp-ged",)


def country_month_deaths(con: duckdb.DuckDBPyConnection, *, workspace: Path) -> duckdb.DuckDBPyRelation:
    """``iso3, month`` (DATE, first day), ``best_deaths`` (BIGINT) and the ``source`` of each figure, by the
    precedence above; refused when the lake holds no country-month series (it is what the panels stand on)."""
    series = series_relation(con, "country_month_deaths", workspace=workspace)
    last = series.aggregate("max(month)").fetchall()[0][0]
    if last is None:
        raise RefusedInput("the lake holds no country-month series", hint="run `prevdip ingest bundle`")
    sources = UCDP_EVENT_SOURCES if _events_after(con, workspace, last) else ()
    events = events_relation(con, workspace=workspace, sources=sources).filter(
        "country_iso3 IS NOT NULL AND date_start IS NOT NULL"
    )
    series.create_view("deaths_series", replace=True)
    events.create_view("deaths_events", replace=True)
    return con.sql(
        f"""
        WITH s AS (
            SELECT iso3, date_trunc('month', CAST(month AS DATE))::DATE AS month,
                CAST(best_deaths AS BIGINT) AS best_deaths
            FROM deaths_series
        ),
        covered AS (SELECT max(month) AS last_month FROM s),
        e AS (
            SELECT country_iso3 AS iso3, date_trunc('month', date_start)::DATE AS month,
                CAST(sum(coalesce(fatalities_best, 0)) AS BIGINT) AS best_deaths
            FROM deaths_events GROUP BY ALL
        )
        SELECT iso3, month, best_deaths, '{SERIES_SOURCE}' AS source FROM s
        UNION ALL
        SELECT e.iso3, e.month, e.best_deaths, '{"+".join(UCDP_EVENT_SOURCES)}' AS source
        FROM e, covered WHERE e.month > covered.last_month
        """
    )


def _events_after(con: duckdb.DuckDBPyConnection, workspace: Path, last: date) -> bool:
    """Whether any stored UCDP event (any version) starts after the series' last month — read from the files'
    statistics, so a lake whose events all lie inside the series skips choosing their latest versions."""
    files = [str(f) for s in UCDP_EVENT_SOURCES for f in event_files(workspace, s)]
    if not files:
        return False
    newest = con.execute(
        "SELECT max(stats_max_value) FROM parquet_metadata(?) WHERE path_in_schema = 'date_start'", [files]
    ).fetchall()[0][0]
    after = Month.of(last).plus(1).first_day
    return newest is None or date.fromisoformat(newest) >= after  # no statistics: read the events to be sure


def series_last_month(deaths: duckdb.DuckDBPyRelation) -> date:
    """The last month the series itself covers, in a relation of :func:`country_month_deaths` (after it, the
    figures are sums of UCDP events)."""
    last: date = deaths.filter(f"source = '{SERIES_SOURCE}'").aggregate("max(month)").fetchall()[0][0]
    return last
