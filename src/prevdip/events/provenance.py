"""One event as a reader may check it: every canonical field of one version, the event's other versions, and
where it came from — the ingest run, the file it names, the line, and the row as the source wrote it.

The lake keeps canonical columns, not the source's rows, so the raw row is found again in the file the run recorded:
the source's own connector reads the file and normalises it as the ingest did, and the record whose event id is
this event's is the row (its line number as the connector counts it, the header being line 1). A file moved,
changed since (its SHA-256 differs from the run's) or a run not in this system of record is said so, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb

from prevdip.errors import NotFound
from prevdip.events.manifest import lake_state
from prevdip.events.query import jsonable_events, stored_columns
from prevdip.events.schema import EVENT_COLUMNS
from prevdip.events.sharing import Audience, may_list, may_see


@dataclass(frozen=True)
class SourceRow:
    """Where an event's row is in its source file: the file, its line, and the row's fields as the source named
    them (``raw``); ``missing`` says why the row could not be shown, when it could not."""

    file: str | None = None
    line: int | None = None
    raw: dict[str, str] = field(default_factory=dict)
    missing: str | None = None


@dataclass(frozen=True)
class EventRecord:
    """One version of an event (``event``, JSON-ready) and every version of it, oldest first."""

    event: dict[str, Any]
    versions: list[dict[str, Any]]

    @property
    def latest(self) -> dict[str, Any]:
        return self.versions[-1]


VERSION_COLUMNS = ("event_uid", "source_version", "ingested_at", "ingest_run_id", "deleted")


def event_record(uid: str, reader: Audience, *, workspace: Path) -> EventRecord:
    """The version ``uid`` of an event and all its versions, if ``reader`` may see it listed (its tier and its
    source's licence); an unknown event and one the reader may not see are the same 404."""
    files = [str(f) for f in lake_state(workspace).event_files()]
    unknown = NotFound(f"no event {uid!r} you may see", hint="open events from the list of events")
    if not files or not uid.isalnum() or len(uid) > 64:
        raise unknown
    con = duckdb.connect()
    try:
        stored = con.read_parquet(files, union_by_name=True, hive_partitioning=False)
        stored.create_view("stored")
        columns = stored_columns(stored, EVENT_COLUMNS)
        rows = _dicts(con.execute(f"select {columns} from stored where event_uid = ?", [uid]))
        if not rows or not _may_read(rows[0], reader):
            raise unknown
        event = rows[0]
        versions = _dicts(
            con.execute(
                f"select {', '.join(VERSION_COLUMNS)} from stored where source = ? and source_event_id = ? "
                "order by ingested_at, source_version",
                [event["source"], event["source_event_id"]],
            )
        )
    finally:
        con.close()
    return EventRecord(jsonable_events([event], reader)[0], jsonable_events(versions, Audience.centre))


def _may_read(event: dict[str, Any], reader: Audience) -> bool:
    return may_see(reader, event["sharing"]) and may_list(reader, event["row_sharing"], event["source"])


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def source_row(connector: str, source_event_id: str, files: list[dict[str, str]]) -> SourceRow:
    """The row of ``source_event_id`` in the first of a run's ``files`` (``{"path", "sha256"}``) that holds it, read
    by the run's ``connector``."""
    from prevdip.events.ingestion import file_sha256

    reasons = []
    for recorded in files:
        path = Path(recorded["path"])
        if not path.is_file():
            reasons.append(f"{path.name} is no longer where the run read it")
            continue
        if file_sha256(path) != recorded["sha256"]:
            reasons.append(f"{path.name} has changed since the run read it")
            continue
        found = _find(connector, str(path), source_event_id)
        if found is not None:
            line, raw = found
            return SourceRow(file=path.name, line=line, raw=raw)
        reasons.append(f"{path.name} does not hold it")
    return SourceRow(missing="; ".join(reasons) or "the run recorded no file")


@lru_cache(maxsize=256)
def _find(source: str, path: str, source_event_id: str) -> tuple[int, dict[str, str]] | None:
    """The line and fields of the record of ``source_event_id`` in ``path``, read as the ingest read it."""
    from prevdip.events.connectors import connector_for

    for line, event_id, fields in connector_for(source).source_rows(Path(path)):
        if event_id == source_event_id:
            return line, fields
    return None
