"""The event lake: every real source normalised into one canonical event (see :mod:`prevdip.events.schema`).

Public API (what other domains use):

* ``EVENT_SCHEMA``, ``EVENT_COLUMNS``, ``Event``, ``Category``, ``event_uid`` — the canonical event.
* ``events_relation(con, as_of=None, workspace=None)`` — DuckDB relation of the latest version of every event.
* ``series_relation(con, name, workspace=None)`` — ``country_month_deaths`` or ``conflict_years``.
* ``country_month_deaths(con, workspace=...)`` — deaths per country-month, the series then UCDP events (one
  precedence, :mod:`prevdip.events.deaths`).
* ``lake_stamp(workspace)`` — the provenance stamp of the lake's committed state.
* ``query_events(filters, as_of=None, limit=100, workspace=None)`` — ``{"count", "events"}`` for CLI and web.
* ``ingest(source, files, region=None)`` / ``ingest_bundle()`` — load files; returns the run report.
"""

from typing import TYPE_CHECKING

from prevdip.events.schema import EVENT_COLUMNS, EVENT_SCHEMA, Category, Event, event_uid

if TYPE_CHECKING:  # the names below are loaded on first use (see __getattr__); type checkers see them here
    from prevdip.events.bundle import ingest_bundle
    from prevdip.events.deaths import country_month_deaths
    from prevdip.events.ingestion import ingest
    from prevdip.events.lake import lake_stamp
    from prevdip.events.query import EventFilter, events_relation, query_events, series_relation

__all__ = [
    "EVENT_COLUMNS",
    "EVENT_SCHEMA",
    "Category",
    "Event",
    "EventFilter",
    "country_month_deaths",
    "event_uid",
    "events_relation",
    "ingest",
    "ingest_bundle",
    "lake_stamp",
    "query_events",
    "series_relation",
]


def __getattr__(name: str) -> object:
    """Lazy access to the heavier parts (pyarrow readers, DuckDB, the store) so importing the schema stays cheap."""
    if name in {"events_relation", "series_relation", "query_events", "EventFilter"}:
        from prevdip.events import query

        return getattr(query, name)
    if name == "ingest":
        from prevdip.events.ingestion import ingest

        return ingest
    if name == "country_month_deaths":
        from prevdip.events.deaths import country_month_deaths

        return country_month_deaths
    if name == "lake_stamp":
        from prevdip.events.lake import lake_stamp

        return lake_stamp
    if name == "ingest_bundle":
        from prevdip.events.bundle import ingest_bundle

        return ingest_bundle
    raise AttributeError(name)
