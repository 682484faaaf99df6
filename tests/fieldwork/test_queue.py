"""The queue of field reports: submitted once however often sent, corrected as a new revision, verified into the
lake through the ingest path (only then), rejected with a reason, merged into an event already there; monitors
file and read their own, officers decide, and two decisions at once cannot both be written."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from field_fixtures import vorukh
from sqlalchemy import select

from prevdip.errors import Conflict, NotAllowed, RefusedInput
from prevdip.events.query import events_relation
from prevdip.fieldwork import Reporter, ReportInvalid, history, listed, merge, read_report, reject, submit, verify
from prevdip.fieldwork.nearby import events_nearby
from prevdip.store import Store
from prevdip.store.models import AuditEntry, FieldReportRevision

MONITOR = Reporter("monitor", staff=False)
OTHER_MONITOR = Reporter("monitor2", staff=False)
OFFICER = Reporter("officer", staff=True)


def _lake(workspace: Path) -> list[dict[str, object]]:
    con = duckdb.connect()
    try:
        relation = events_relation(con, workspace=workspace)
        return [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]
    finally:
        con.close()


def _count(store: Store) -> int:
    with store.session() as session:
        return len(session.scalars(select(FieldReportRevision)).all())


def test_a_report_sent_twice_is_stored_once(queue_store: Store, field_workspace: Path) -> None:
    report = read_report(vorukh())
    first = submit(queue_store, report, by=MONITOR, via="web", workspace=field_workspace)
    again = submit(queue_store, report, by=MONITOR, via="web", workspace=field_workspace)
    assert first.created and not again.created and again.record.id == first.record.id
    assert _count(queue_store) == 1 and first.record.status == "submitted"
    with pytest.raises(Conflict, match="revision 1 was submitted already with other content"):
        submit(queue_store, read_report(vorukh(place="Kok-Tash")), by=MONITOR, via="web", workspace=field_workspace)
    assert _count(queue_store) == 1


def test_every_field_wrong_is_named() -> None:
    with pytest.raises(ReportInvalid) as refused:
        read_report(vorukh(date="2999-01-01", latitude=123.0, country="Atlantis", fatalities=-1, colour="red"))
    assert set(refused.value.errors) == {"date", "latitude", "country", "fatalities", "colour"}
    assert "in the future" in refused.value.errors["date"] and "unknown country" in refused.value.errors["country"]


def test_only_a_verified_report_enters_the_lake(queue_store: Store, field_workspace: Path) -> None:
    submit(queue_store, read_report(vorukh()), by=MONITOR, via="web", workspace=field_workspace)
    assert _lake(field_workspace) == []  # submitted is not counted anywhere
    with pytest.raises(NotAllowed):
        verify(queue_store, "FR-2022-017", MONITOR, workspace=field_workspace)
    done = verify(queue_store, "FR-2022-017", OFFICER, workspace=field_workspace)
    assert done.status == "verified" and done.decided_by == "officer" and done.published_run
    (event,) = _lake(field_workspace)
    assert event["event_uid"] == done.event_uid and event["source_event_id"] == "FR-2022-017"
    assert event["source_version"] == "1" and event["sharing"] == "governments" and event["num_sources"] == 2
    assert "injured: 3; displaced: 40; sources: village head | Asia-Plus" in str(event["source_reference"])
    with pytest.raises(Conflict, match="verified by officer"):  # decided once
        reject(queue_store, "FR-2022-017", OFFICER, "duplicate")


def test_a_correction_waits_for_its_own_verification(queue_store: Store, field_workspace: Path) -> None:
    submit(queue_store, read_report(vorukh()), by=MONITOR, via="web", workspace=field_workspace)
    verify(queue_store, "FR-2022-017", OFFICER, workspace=field_workspace)
    with pytest.raises(NotAllowed, match="filed by someone else"):
        submit(queue_store, read_report(vorukh(revision=2)), by=OTHER_MONITOR, via="web", workspace=field_workspace)
    with pytest.raises(RefusedInput, match="the next revision of FR-2022-017 is 2"):
        submit(queue_store, read_report(vorukh(revision=3)), by=MONITOR, via="web", workspace=field_workspace)
    corrected = vorukh(revision=2, fatalities=1, what_happened="One guard died of his wounds.")
    submit(queue_store, read_report(corrected), by=MONITOR, via="web", workspace=field_workspace)
    (event,) = _lake(field_workspace)
    assert event["source_version"] == "1"  # the lake shows the verified revision until the new one is verified
    verify(queue_store, "FR-2022-017", OFFICER, workspace=field_workspace)
    (event,) = _lake(field_workspace)
    assert event["source_version"] == "2" and event["fatalities_best"] == 1
    with queue_store.session() as session:
        steps = [(r.revision, r.status) for r in history(session, "FR-2022-017", MONITOR)]
        assert steps == [(1, "verified"), (2, "verified")]
        with pytest.raises(NotAllowed):
            history(session, "FR-2022-017", OTHER_MONITOR)


def test_rejected_and_merged_reports_never_enter(queue_store: Store, field_workspace: Path) -> None:
    submit(queue_store, read_report(vorukh()), by=MONITOR, via="web", workspace=field_workspace)
    with pytest.raises(RefusedInput, match="reason: is empty"):
        reject(queue_store, "FR-2022-017", OFFICER, "  ")
    rejected = reject(queue_store, "FR-2022-017", OFFICER, "No second source could confirm it.")
    assert rejected.status == "rejected" and rejected.reject_reason == "No second source could confirm it."
    submit(queue_store, read_report(vorukh(report_id="FR-2022-018")), by=MONITOR, via="api", workspace=field_workspace)
    submit(queue_store, read_report(vorukh(report_id="FR-2022-019")), by=MONITOR, via="api", workspace=field_workspace)
    target = verify(queue_store, "FR-2022-018", OFFICER, workspace=field_workspace).event_uid
    with pytest.raises(RefusedInput, match="no event 'ffff"):
        merge(queue_store, "FR-2022-019", OFFICER, "f" * 32, workspace=field_workspace)
    merged = merge(queue_store, "FR-2022-019", OFFICER, target, workspace=field_workspace)
    assert merged.status == "merged" and merged.merged_event_uid == target
    assert [e["source_event_id"] for e in _lake(field_workspace)] == ["FR-2022-018"]
    with queue_store.session() as session:
        assert [r.report_id for r in listed(session, OFFICER, status="submitted")] == []
        assert len(listed(session, MONITOR)) == 3 and listed(session, OTHER_MONITOR) == []
        audited = session.scalars(select(AuditEntry.what).where(AuditEntry.what.like("field_report:%"))).all()
        assert len(audited) == 6  # three submissions, three decisions


def test_two_officers_deciding_at_once_cannot_both_win(queue_store: Store, field_workspace: Path) -> None:
    record = submit(queue_store, read_report(vorukh()), by=MONITOR, via="web", workspace=field_workspace).record
    read_at = record.version
    reject(queue_store, "FR-2022-017", OFFICER, "seen elsewhere", version=read_at)
    with pytest.raises(Conflict, match="changed by someone else since you read it"):
        verify(queue_store, "FR-2022-017", Reporter("admin", staff=True), workspace=field_workspace, version=read_at)
    assert _lake(field_workspace) == []


def test_events_nearby_are_the_same_place_or_25_km_within_three_days(queue_store: Store, field_workspace: Path) -> None:
    submit(queue_store, read_report(vorukh()), by=MONITOR, via="web", workspace=field_workspace)
    seen = verify(queue_store, "FR-2022-017", OFFICER, workspace=field_workspace)  # the lake's event: Vorukh, 14 Sep
    near = {  # Kok-Tash is ~4 km from Vorukh; a point ~30 km north (outside 25 km, and another place name)
        "FR-SAME-PLACE": vorukh(report_id="FR-SAME-PLACE", date="2022-09-17", latitude=None, longitude=None),
        "FR-4-KM": vorukh(report_id="FR-4-KM", place="Kok-Tash", country="KGZ", latitude=39.88, longitude=70.62),
        "FR-4-DAYS": vorukh(report_id="FR-4-DAYS", date="2022-09-18"),
        "FR-30-KM": vorukh(report_id="FR-30-KM", place="Isfara", latitude=40.12, longitude=70.63),
    }
    for report in near.values():
        submit(queue_store, read_report(report), by=MONITOR, via="web", workspace=field_workspace)
    with queue_store.session() as session:
        waiting = listed(session, OFFICER, status="submitted")
        found = {r.report_id: events_nearby(field_workspace, waiting)[r.id] for r in waiting}
    assert [e["event_uid"] for e in found["FR-SAME-PLACE"]] == [seen.event_uid]  # by name, no coordinates
    (by_distance,) = found["FR-4-KM"]
    assert by_distance["event_uid"] == seen.event_uid and 0 < by_distance["km"] < 25 and by_distance["days"] == 0
    assert found["FR-4-DAYS"] == [] and found["FR-30-KM"] == []
