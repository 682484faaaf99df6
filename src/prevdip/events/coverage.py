"""What the lake covers: for each source, and each source in each country, the first and last month with data.

A count of zero means calm only inside a source's coverage: past its last month it means "no data yet". Every face
therefore says what its counts cover, and a month past a source's last one is said as such ("no data from UCDP GED
after 2022-12") with what would bring newer data. The summary is computed once per state of the lake — kept in
memory under the lake's provenance stamp (:func:`prevdip.events.lake.lake_stamp`), so a page view reads a
dictionary, and a new ingest (which changes the stamp) refreshes it.

Event sources span the months of the events the audience may see (their latest versions); the country-month deaths
series (``ucdp-cm``) its months; the conflict-year series (``ucdp-acd``, ``ucdp-brd``) its years, January to
December, by the countries the conflict took place in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import duckdb

from prevdip.events.lake import lake_stamp
from prevdip.events.query import events_relation, series_relation
from prevdip.events.sharing import Audience
from prevdip.settings import resolve_workspace

#: The series sources, and the kind of data every other source name gives (its events).
SERIES_SOURCES = ("ucdp-cm", "ucdp-acd", "ucdp-brd")


@dataclass(frozen=True)
class Span:
    """The first and last month (first days) a source has data for."""

    first: date
    last: date

    def covers(self, month: date) -> bool:
        return self.first <= month.replace(day=1) <= self.last


@dataclass(frozen=True)
class LakeCoverage:
    """Each source's span over all countries, and its span in each country it has data for."""

    sources: dict[str, Span] = field(default_factory=dict)
    countries: dict[tuple[str, str], Span] = field(default_factory=dict)

    def in_country(self, iso3: str) -> dict[str, Span]:
        """Each source's span in the country ``iso3`` (sources without data there are left out)."""
        return {source: span for (source, where), span in self.countries.items() if where == iso3}

    def ended_before(self, month: date) -> dict[str, Span]:
        """The event sources whose data end before ``month``: there, their zero is "no data", not calm."""
        return {
            source: span
            for source, span in self.sources.items()
            if source not in SERIES_SOURCES and span.last < month.replace(day=1)
        }


def lake_coverage(workspace: Path | None = None, audience: Audience = Audience.centre) -> LakeCoverage:
    """The coverage of the lake of ``workspace`` as ``audience`` may see it, computed once per state of the lake."""
    ws = resolve_workspace(workspace)
    return _cached(ws, lake_stamp(ws).digest, audience)


@lru_cache(maxsize=16)  # a few lake versions for each audience
def _cached(workspace: Path, stamp: str, audience: Audience) -> LakeCoverage:
    del stamp  # the cache key: a new state of the lake is a new summary
    con = duckdb.connect()
    try:
        events_relation(con, workspace=workspace, audience=audience).create_view("coverage_events")
        series_relation(con, "country_month_deaths", workspace=workspace).create_view("coverage_cm")
        series_relation(con, "conflict_years", workspace=workspace).create_view("coverage_years")
        rows = con.execute(
            """
            SELECT source, country_iso3, date_trunc('month', min(date_start)), date_trunc('month', max(date_start))
            FROM coverage_events WHERE date_start IS NOT NULL GROUP BY ALL
            UNION ALL
            SELECT 'ucdp-cm', iso3, min(month), max(month) FROM coverage_cm GROUP BY ALL
            UNION ALL
            SELECT source, iso3, make_date(min(year), 1, 1), make_date(max(year), 12, 1)
            FROM (SELECT source, year, unnest(location_iso3s) AS iso3 FROM coverage_years) GROUP BY ALL
            """
        ).fetchall()
    finally:
        con.close()
    countries: dict[tuple[str, str], Span] = {}
    sources: dict[str, Span] = {}
    for source, iso3, first, last in rows:
        span = Span(_day(first), _day(last))
        if iso3:
            countries[(source, iso3)] = span
        known = sources.get(source)
        sources[source] = span if known is None else Span(min(known.first, span.first), max(known.last, span.last))
    return LakeCoverage(dict(sorted(sources.items())), dict(sorted(countries.items())))


def _day(value: object) -> date:
    """A DuckDB month (a date, or a timestamp from ``date_trunc``) as its first day."""
    day = value.date() if hasattr(value, "date") and callable(value.date) else value
    assert isinstance(day, date)
    return day.replace(day=1)


#: What would bring newer data from a source, as a key the faces word in the user's language ("fetch newer UCDP
#: data"); the command behind each is in ``docs/events.md``, never on a page.
REMEDIES = {
    "ucdp-ged": "ucdp",
    "ucdp-cm": "ucdp",
    "ucdp-acd": "ucdp",
    "ucdp-brd": "ucdp",
    "acled": "acled",
    "gdelt": "gdelt",
    "tfdd-bar": "tfdd",
    "field": "field",
}


def remedy(source: str) -> str:
    """The key of what would bring newer data from ``source`` (``import`` for a source fetched by hand)."""
    return REMEDIES.get(source, "import")
