"""``/events/{uid}``: one event version with every canonical field, its other versions, and its provenance (the
run, the file and line, the raw row) — for a reader who may see it (:func:`prevdip.events.provenance.event_record`)."""

from __future__ import annotations

from pathlib import Path

from prevdip.errors import NotFound
from prevdip.events.licences import attributions
from prevdip.events.provenance import SourceRow, event_record, source_row
from prevdip.events.sharing import Audience
from prevdip.store import Store
from prevdip.web._schemas import EventPage, EventProvenance, EventRun


def event_page(uid: str, reader: Audience, *, workspace: Path, store: Store | None) -> EventPage:
    """The page of event version ``uid`` as ``reader`` may see it (404 otherwise)."""
    record = event_record(uid.strip().lower(), reader, workspace=workspace)
    event = record.event
    latest = record.latest
    return EventPage(
        uid=str(event["event_uid"]),
        event=event,
        latest=latest["event_uid"] == event["event_uid"],
        deleted=bool(latest["deleted"]),
        versions=record.versions,
        provenance=_provenance(event["source"], event["source_event_id"], event["ingest_run_id"], store),
        attributions=attributions([event["source"]]),
    )


def _provenance(source: str, source_event_id: str, run_id: str | None, store: Store | None) -> EventProvenance:
    if not run_id:
        return EventProvenance(run=EventRun(id="?"), missing="the event carries no ingest run")
    run = None
    if store is not None:
        try:
            run = store.ingest_runs.get(run_id)
        except NotFound:
            run = None
    if run is None:
        return EventProvenance(run=EventRun(id=run_id), missing=f"run {run_id} is not in this system of record")
    found: SourceRow = source_row(run.source, source_event_id, run.files)
    return EventProvenance(
        run=EventRun(
            id=run.id,
            source=run.source,
            started=run.started.isoformat(timespec="seconds"),
            status=run.status,
            files=[Path(f["path"]).name for f in run.files],
        ),
        file=found.file,
        line=found.line,
        raw=found.raw,
        missing=found.missing,
    )
