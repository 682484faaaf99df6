"""The event lake: every real source normalised into one canonical event (see :mod:`prevdip.events.schema`).

Public API (what other domains use):

* ``EVENT_SCHEMA``, ``EVENT_COLUMNS``, ``Event``, ``Category``, ``event_uid`` — the canonical event.
* ``events_relation(con, as_of=None, workspace=None)`` — DuckDB relation of the latest version of every event.
* ``series_relation(con, name, workspace=None)`` — ``country_month_deaths`` or ``conflict_years``.
* ``query_events(filters, as_of=None, limit=100, workspace=None)`` — ``{"count", "events"}`` for CLI and web.
* ``ingest(source, files, region=None)`` / ``ingest_bundle()`` — load files; returns the run report.
"""

from prevdip.events.schema import EVENT_COLUMNS, EVENT_SCHEMA, Category, Event, event_uid

__all__ = [
    "EVENT_COLUMNS",
    "EVENT_SCHEMA",
    "Category",
    "Event",
    "EventFilter",
    "event_uid",
    "events_relation",
    "ingest",
    "ingest_bundle",
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
    if name == "ingest_bundle":
        from prevdip.events.bundle import ingest_bundle

        return ingest_bundle
    raise AttributeError(name)
