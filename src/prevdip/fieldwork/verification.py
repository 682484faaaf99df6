"""An officer's decision on a submitted report — verified, rejected (with the reason) or merged into an event
already in the lake — and the way a verified report enters the lake.

Only verified revisions enter the lake, through the normal ingest path (one ingest run for what was verified,
written atomically, counted and kept in ``field-reports/verified/`` as read): so runs, atomic publishing and the
lake's revision rule (the highest revision is the one queries see) apply as to any source. The decision is written
first; publishing follows and is retried by the next decision if another ingest held the lake at that moment
(``published_run`` stays empty until then). Merged and rejected revisions never enter.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from prevdip.errors import Conflict, NotAllowed, NotFound, RefusedInput
from prevdip.events.schema import event_uid
from prevdip.fieldwork.submissions import Reporter, revisions
from prevdip.store import Store
from prevdip.store.models import FieldReportRevision, utc_now

log = logging.getLogger(__name__)
VERIFIED_FOLDER = Path("field-reports") / "verified"
LAKE_BUSY_WAIT = 30.0  # seconds to wait for another ingest to finish before leaving the publishing to later


def _changed(report_id: str, revision: int, why: str) -> Conflict:
    return Conflict(
        f"{report_id} revision {revision} was changed by someone else since you read it ({why}): nothing written",
        hint="reload the report's page",
    )


def _decide(
    store: Store, report_id: str, by: Reporter, status: str, version: Any, **fields: Any
) -> FieldReportRevision:
    """Write ``status`` on the report's latest revision if it is still submitted (and at ``version``, when
    given), with who and when, and its audit entry — in one unit of work."""
    if not by.staff:
        raise NotAllowed("only the centre's officers verify, reject or merge field reports", hint="sign in as one")
    try:
        with store.session() as session:
            found = revisions(session, report_id)
            if not found:
                raise NotFound(f"no field report {report_id!r}", hint="see the queue on /field-reports")
            latest = found[-1]
            if latest.status != "submitted":
                raise _changed(report_id, latest.revision, f"{latest.status} by {latest.decided_by}")
            if version not in (None, "") and str(version).strip() != str(latest.version):
                raise _changed(report_id, latest.revision, f"you read version {version}, it is at {latest.version}")
            before = latest.as_dict()
            latest.status, latest.decided_by, latest.decided_at = status, by.name, utc_now()
            for name, value in fields.items():
                setattr(latest, name, value)
            session.flush()
            what = f"field_report:{report_id}:{latest.revision}"
            store.audit.record(by.name, what, before, latest.as_dict(), session=session)
            return latest
    except StaleDataError:
        raise _changed(report_id, 0, "decided at the same moment") from None


def verify(store: Store, report_id: str, by: Reporter, *, workspace: Path, version: Any = None) -> FieldReportRevision:
    """Verify the report's submitted revision; it then enters the lake as the ``field`` source."""
    decided = _decide(store, report_id, by, "verified", version)
    publish_verified(store, workspace)
    with store.session() as session:
        return session.get_one(FieldReportRevision, decided.id)


def reject(store: Store, report_id: str, by: Reporter, reason: Any, *, version: Any = None) -> FieldReportRevision:
    """Reject the report's submitted revision, saying why (the reporter reads it on the report's page)."""
    said = str(reason or "").strip()
    if not said:
        raise RefusedInput("reason: is empty", hint="say why the report is rejected, in a sentence")
    if len(said) > 2000:
        raise RefusedInput(f"reason: is {len(said)} characters long", hint="keep it to 2000")
    return _decide(store, report_id, by, "rejected", version, reject_reason=said)


def merge(
    store: Store, report_id: str, by: Reporter, target: Any, *, workspace: Path, version: Any = None
) -> FieldReportRevision:
    """Mark the report's submitted revision as a duplicate of ``target``, an event already in the lake (another
    source saw it): the report keeps the event's uid and does not become a second event."""
    uid = str(target or "").strip().lower()
    if not uid:
        raise RefusedInput("event_uid: is empty", hint="give the uid of the event in the lake it duplicates")
    with store.session() as session:
        own = [r for r in revisions(session, report_id) if r.status == "verified"]
    if own:
        raise RefusedInput(
            f"event_uid: {report_id} revision {own[-1].revision} is already in the lake as its own event",
            hint="a report verified once cannot become a duplicate: reject the correction instead",
        )
    event = lake_event(workspace, uid)
    if event is None:
        raise RefusedInput(f"event_uid: no event {uid!r} in the lake", hint="pick one of the events nearby")
    if event["source"] == "field" and event["source_event_id"] == report_id:
        raise RefusedInput("event_uid: that event is this report itself", hint="pick another source's event")
    return _decide(store, report_id, by, "merged", version, merged_event_uid=uid)


def lake_event(workspace: Path, uid: str) -> dict[str, Any] | None:
    """The stored event with this uid (any version), or None."""
    import duckdb

    from prevdip.events.lake import event_files

    files = [str(f) for f in event_files(workspace)]
    if not files or len(uid) != 32:
        return None
    con = duckdb.connect()
    try:
        stored = con.read_parquet(files, union_by_name=True, hive_partitioning=False)
        stored.create_view("stored_events")
        cursor = con.execute("select * from stored_events where event_uid = ? limit 1", [uid])
        names = [d[0] for d in cursor.description]
        row = cursor.fetchone()
    finally:
        con.close()
    return None if row is None else dict(zip(names, row, strict=True))


def _pending(store: Store) -> list[tuple[int, dict[str, Any]]]:
    with store.session() as session:
        query = select(FieldReportRevision).where(
            FieldReportRevision.status == "verified", FieldReportRevision.published_run.is_(None)
        )
        return [
            (r.id, {**r.payload, "revision": r.revision})
            for r in session.scalars(query.order_by(FieldReportRevision.id))
        ]


def _write_verified(workspace: Path, reports: list[dict[str, Any]]) -> Path:
    folder = workspace / VERIFIED_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.json"
    staged = folder / f".{name}"
    staged.write_text(json.dumps({"reports": reports}, ensure_ascii=False, indent=1), encoding="utf-8")
    staged.replace(folder / name)
    return folder / name


def publish_verified(store: Store, workspace: Path) -> str | None:
    """Ingest every verified revision not yet in the lake, as one run; returns its id (None: nothing to do, or
    the lake stayed busy — the next decision publishes them)."""
    from prevdip.events.ingestion import ingest

    pending = _pending(store)
    if not pending:
        return None
    path = _write_verified(workspace, [report for _, report in pending])
    url = store.engine.url.render_as_string(hide_password=False)
    deadline = time.monotonic() + LAKE_BUSY_WAIT
    while True:
        try:
            run = ingest("field", [path], workspace=workspace, database_url=url)
            break
        except RefusedInput as busy:
            if "another ingest" not in str(busy) or time.monotonic() > deadline:
                log.warning("verified field reports not yet published: %s", busy)
                return None
            time.sleep(0.2)
    with store.session() as session:
        for record_id, report in pending:
            record = session.get_one(FieldReportRevision, record_id)
            record.published_run = run.run_id
            record.event_uid = event_uid("field", report["report_id"], str(report["revision"]))
    return run.run_id
