"""Reading the lake: the latest version of each event (or a vintage), series, and filtered event lists.

These are the public read API other domains build on (signals, forecasts, web, briefs)::

    con = duckdb.connect()
    events = events_relation(con)                          # latest version of every event, canonical columns
    vintage = events_relation(con, as_of=date(2024, 1, 1))  # what the lake knew at the end of that day
    deaths = series_relation(con, "country_month_deaths")
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from prevdip.errors import NotFound, RefusedInput
from prevdip.events.latest import Matching, latest_sql, stored_columns
from prevdip.events.manifest import lake_state
from prevdip.events.schema import EVENT_COLUMNS, EVENT_SCHEMA
from prevdip.events.series_lake import SERIES_SCHEMAS
from prevdip.events.sharing import Audience, listable_sql, visible_sql
from prevdip.settings import resolve_workspace


def events_relation(
    con: duckdb.DuckDBPyConnection,
    *,
    as_of: date | None = None,
    workspace: Path | None = None,
    audience: Audience = Audience.centre,
    sources: Sequence[str] | None = None,
    rows: bool = False,
) -> duckdb.DuckDBPyRelation:
    """Every event once, in its latest version (highest ``source_version``, then latest ingest).

    With ``as_of``, only what had been ingested by the end of that day (UTC) counts: the vintage a past forecast
    or brief saw. An event whose latest version is a deletion (``deleted``) is gone; ``as_of`` a day before the
    deletion still shows it. With ``audience``, only what it may see (:mod:`prevdip.events.sharing`); the filter
    follows the choice of the latest version, so a report narrowed in its latest revision vanishes with all its
    earlier, wider ones. ``rows=True`` is for lists and exports: only the rows the audience may see *listed* (a
    licence such as ACLED's keeps its rows in the centre; counts and stages built without it still include them).
    With ``sources``, only those sources' files are read. An empty lake gives an empty relation with the canonical
    columns.
    """
    state = lake_state(resolve_workspace(workspace))
    files = state.event_files() if sources is None else [f for s in sources for f in state.event_files(s)]
    if not files:
        return con.from_arrow(EVENT_SCHEMA.empty_table())
    cutoff = ""
    if as_of is not None:
        limit = (as_of + timedelta(days=1)).isoformat()
        cutoff = f"where ingested_at < TIMESTAMPTZ '{limit} 00:00:00+00'"
    stored = con.read_parquet([str(f) for f in files], union_by_name=True, hive_partitioning=False)
    latest = stored.query("stored", latest_sql("stored", stored_columns(stored, EVENT_COLUMNS), cutoff))
    assert latest is not None
    standing = latest.filter("not coalesce(deleted, false)")  # a deletion is the latest version: the event is gone
    if audience is Audience.centre:
        return standing
    seen = standing.filter(visible_sql(audience))
    return seen.filter(listable_sql(audience)) if rows else seen


def series_relation(
    con: duckdb.DuckDBPyConnection, name: str, workspace: Path | None = None
) -> duckdb.DuckDBPyRelation:
    """A series beside the events (``country_month_deaths``, ``conflict_years``); empty if never ingested.

    ``conflict_years`` gives each (source, conflict, dyad, year) once, from the latest release ingested.
    """
    if name not in SERIES_SCHEMAS:
        raise NotFound(f"unknown series {name!r}", hint=f"use one of: {', '.join(SERIES_SCHEMAS)}")
    path = lake_state(resolve_workspace(workspace)).series_file(name)
    if path is None:
        return con.from_arrow(SERIES_SCHEMAS[name].empty_table())
    relation = con.read_parquet(str(path))
    if name == "conflict_years":
        latest = relation.query(
            "series",
            "select * exclude (release_rank) from (select *, row_number() over (partition by source, conflict_id, "
            "dyad_id, year order by try_cast(version as double) desc nulls last) as release_rank from series) "
            "where release_rank = 1",
        )
        assert latest is not None
        return latest
    return relation


@dataclass(frozen=True)
class EventFilter:
    """What ``prevdip events`` filters on; every field optional. ``audience`` keeps only what that audience may see
    (:mod:`prevdip.events.sharing`); None is the centre's own view: everything."""

    country: str | None = None
    dyad: str | None = None
    source: str | None = None
    category: str | None = None
    since: date | None = None
    until: date | None = None
    audience: Audience | None = None
    #: Several countries (any of them, as actor or place) and several categories: the events page's multi-select.
    countries: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []  # the audience is applied by the reader: see query_events
        params: list[Any] = []
        countries = [*([self.country] if self.country else []), *self.countries]
        if countries:
            marks = ", ".join("?" * len(countries))
            clauses.append(f"(country_iso3 in ({marks}) or actor1_country in ({marks}) or actor2_country in ({marks}))")
            params += countries * 3
        if self.categories:
            clauses.append(f"category in ({', '.join('?' * len(self.categories))})")
            params += list(self.categories)
        if self.dyad:  # the one definition (prevdip.events.dyads), built by query_events as table dyad_members
            clauses.append("event_uid in (select event_uid from dyad_members)")
        for column, value in (("source", self.source), ("category", self.category)):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        if self.since:
            clauses.append("date_start >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("date_start <= ?")
            params.append(self.until)
        return (" where " + " and ".join(clauses)) if clauses else "", params


def _dyad(text: str) -> tuple[str, str]:
    parts = text.upper().split("-")
    if len(parts) != 2 or not all(len(p) == 3 and p.isalpha() for p in parts):
        raise RefusedInput(f"bad dyad {text!r}", hint="write two ISO3 codes joined by a hyphen, e.g. KGZ-TJK")
    return parts[0], parts[1]


def query_events(
    filters: EventFilter | None = None,
    *,
    as_of: date | None = None,
    limit: int | None = 100,
    offset: int = 0,
    workspace: Path | None = None,
) -> dict[str, Any]:
    """``{"count", "events", "withheld", "attributions"}``: ``count`` events match and may be listed to the filter's
    audience, ``limit`` of them from ``offset`` on, newest first, are ``events`` (dates as ISO); ``withheld``
    counts, by source, the matching events whose licence keeps their rows from this audience; ``attributions`` are
    what the sources of all matching events ask to be cited with.

    The lake's committed state is answered from its listing when it has one (:mod:`prevdip.events.listing`); a
    vintage (``as_of``) and a dyad (its border area needs the events' coordinates and the boundaries) from the lake
    itself. Both give the same answer. A missing workspace is refused, never "0 events"."""
    from prevdip.events.licences import attributions

    filters = _checked(filters or EventFilter())
    reader = filters.audience or Audience.centre
    state = lake_state(resolve_workspace(workspace))
    listing = None
    if as_of is None and not filters.dyad:
        from prevdip.events.listing import listing_of

        listing = listing_of(state)
    if listing is not None:
        found = listing.page(filters, offset=offset, limit=limit)
    else:
        found = _scan(filters, as_of, limit, offset, state.lake.parent)
    return {
        "count": found.count,
        "events": jsonable_events(found.rows, reader),
        "withheld": found.withheld,
        "attributions": attributions(found.sources),
    }


def _checked(filters: EventFilter) -> EventFilter:
    from prevdip.events.connectors import CONNECTORS
    from prevdip.events.schema import Category

    sources = sorted({c.source for c in CONNECTORS.values() if c.target == "events"})
    if filters.source and filters.source not in sources:
        raise RefusedInput(f"unknown event source {filters.source!r}", hint=f"use one of: {', '.join(sources)}")
    if filters.country and not (len(filters.country) == 3 and filters.country.isalpha()):
        raise RefusedInput(f"bad country code {filters.country!r}", hint="use an ISO3 code, e.g. TJK")
    for category in (filters.category, *filters.categories):
        if category and category not in {c.value for c in Category}:
            raise RefusedInput(f"unknown category {category!r}", hint=", ".join(c.value for c in Category))
    if filters.dyad:
        _dyad(filters.dyad)
    return filters


def _scan(filters: EventFilter, as_of: date | None, limit: int | None, offset: int, workspace: Path) -> Matching:
    """What ``filters`` find, from the lake itself (every version read, the latest chosen)."""
    reader = filters.audience or Audience.centre
    con = duckdb.connect()
    try:
        con.register("lake_events", events_relation(con, as_of=as_of, workspace=workspace, audience=reader))
        if filters.dyad:
            _dyad_members(con, filters.dyad)
        where, params = filters.where()
        listable = listable_sql(reader) if reader is not Audience.centre else "true"
        matching = con.execute(
            f"select source, count(*) filter (where {listable}), count(*) filter (where not {listable}) "
            f"from lake_events{where} group by source order by source",
            params,
        ).fetchall()
        tail = ("" if limit is None else f" limit {int(limit)}") + (f" offset {int(offset)}" if offset else "")
        order = " order by date_start desc, source, source_event_id"
        listed = f"{where} and {listable}" if where else f" where {listable}"
        cursor = con.execute(f"select * from lake_events{listed}{order}{tail}", params)
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    finally:
        con.close()
    return Matching(
        count=sum(int(n) for _, n, _ in matching),
        rows=rows,
        withheld={source: int(n) for source, _, n in matching if n},
        sources=[source for source, _, _ in matching],
    )


def _dyad_members(con: duckdb.DuckDBPyConnection, dyad: str) -> None:
    from prevdip.events.dyads import dyad_members
    from prevdip.settings import get_settings

    a, b = _dyad(dyad)
    dyad_members(con, "lake_events", a, b, get_settings().bundle)


def _without_reporter(row: dict[str, Any]) -> dict[str, Any]:
    """A field report as outsiders see it: its monitor is not named (the reference keeps only the confidence)."""
    if row.get("source") != "field" or not row.get("source_reference"):
        return row
    parts = [p for p in str(row["source_reference"]).split("; ") if not p.startswith("reporter:")]
    return {**row, "source_reference": "; ".join(parts) or None}


def jsonable_events(rows: list[dict[str, Any]], reader: Audience) -> list[dict[str, Any]]:
    """Events as a reader gets them: dates as ISO text, and a field report's reporter for the centre only."""
    shown = rows if reader is Audience.centre else [_without_reporter(row) for row in rows]
    return [_jsonable(row) for row in shown]


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()}
