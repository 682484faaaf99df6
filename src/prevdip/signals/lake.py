"""Where signals read from: the event lake and its series, through the events domain's public reader only.

The events domain owns the lake and the precedence of its deaths figures (:func:`prevdip.events.country_month_deaths`:
the country-month series, then UCDP events after the series ends). This module only fixes the shapes signals
relies on, whatever wrote the series. A lake without the country-month series is refused (``prevdip ingest
bundle`` puts it there); a lake without conflict-year tables is read as having none, so the war-year rules do not
fire. Every value says which source it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from prevdip.events.deaths import country_month_deaths, series_last_month
from prevdip.events.query import events_relation, series_relation
from prevdip.events.sharing import Audience

SERIES_ORIGIN = "lake:series/{name}"
EVENTS_ORIGIN = "lake:events/{sources}"


def events(
    con: duckdb.DuckDBPyConnection, workspace: Path, audience: Audience = Audience.centre
) -> duckdb.DuckDBPyRelation:
    """The latest version of every event in the workspace's lake that ``audience`` may see (an empty relation when
    there is none)."""
    return events_relation(con, workspace=workspace, audience=audience)


@dataclass(frozen=True)
class SeriesOrigins:
    """Where the panels' series figures came from: the series files, and from which month UCDP events instead."""

    country_month_deaths: str
    conflict_years: str
    series_last_month: date

    def deaths_origin(self, month: date) -> str:
        """The source of a country-month deaths figure of ``month``, as the evidence names it."""
        if month <= self.series_last_month:
            return self.country_month_deaths
        from prevdip.events.deaths import UCDP_EVENT_SOURCES

        return EVENTS_ORIGIN.format(sources="+".join(UCDP_EVENT_SOURCES))


def load_series(con: duckdb.DuckDBPyConnection, workspace: Path) -> SeriesOrigins:
    """Create the views ``country_month_deaths_norm`` and ``conflict_years_norm``; say where their figures came from.

    The views fix the shapes signals relies on: months as DATE (first day), deaths as integers, and
    ``location_iso3s`` as a list even where a writer stored a comma-separated string.
    """
    deaths = country_month_deaths(con, workspace=workspace)
    last = series_last_month(deaths)
    deaths.create_view("country_month_deaths_raw", replace=True)
    con.execute(  # a table, not a view: the panels read it several times, the events behind it once
        "CREATE OR REPLACE TEMP TABLE country_month_deaths_norm AS SELECT iso3, month, best_deaths "
        "FROM country_month_deaths_raw"
    )
    years = series_relation(con, "conflict_years", workspace=workspace)
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
    return SeriesOrigins(
        SERIES_ORIGIN.format(name="country_month_deaths"), SERIES_ORIGIN.format(name="conflict_years"), last
    )
