"""The field-report queue on both backends (SQLite and PostgreSQL): filed once, verified into the lake through the
ingest path (its run recorded in the same system of record), rejected, merged, two decisions at once refused,
a KoboToolbox/ODK export read; and a backup carries the reports and their attachments (sha256, mode 0600) back."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import duckdb
import pytest
from sqlalchemy import select

from prevdip.errors import Conflict
from prevdip.events.query import events_relation
from prevdip.fieldwork import Reporter, check, merge, read_report, reject, submit, verify
from prevdip.fieldwork.attachments import stored_path
from prevdip.settings import get_settings
from prevdip.store import Store, init_workspace, open_store
from prevdip.store.backup import backup_workspace
from prevdip.store.database import downgrade_database
from prevdip.store.models import FieldReportRevision
from prevdip.store.restore import restore_workspace

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fieldwork"))
from exports import write_odk_zip  # noqa: E402
from field_fixtures import MEDIA, photo, submissions, vorukh  # noqa: E402

MONITOR, OFFICER = Reporter("monitor", staff=False), Reporter("officer", staff=True)


def _lake_ids(workspace: Path) -> list[tuple[str, str]]:
    con = duckdb.connect()
    try:
        return sorted(events_relation(con, workspace=workspace).project("source_event_id, source_version").fetchall())
    finally:
        con.close()


def test_the_queue_on_each_backend(store: Store, tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    for report_id in ("FR-A", "FR-B", "FR-C"):
        done = submit(store, read_report(vorukh(report_id=report_id)), by=MONITOR, via="api", workspace=workspace)
        assert done.created
    assert not submit(store, read_report(vorukh(report_id="FR-A")), by=MONITOR, via="api", workspace=workspace).created
    verified = verify(store, "FR-A", OFFICER, workspace=workspace)
    assert store.ingest_runs.get(verified.published_run or "").source == "field"  # the normal ingest path
    reject(store, "FR-B", OFFICER, "not confirmed")
    merge(store, "FR-C", OFFICER, verified.event_uid, workspace=workspace)
    assert _lake_ids(workspace) == [("FR-A", "1")]
    submit(
        store,
        read_report(vorukh(report_id="FR-A", revision=2, fatalities=2)),
        by=MONITOR,
        via="web",
        workspace=workspace,
    )
    with store.session() as session:
        version = session.scalars(select(FieldReportRevision.version).where(FieldReportRevision.revision == 2)).one()
    reject(store, "FR-A", OFFICER, "the deaths are not confirmed", version=version)
    with pytest.raises(Conflict):
        verify(store, "FR-A", OFFICER, workspace=workspace, version=version)
    assert _lake_ids(workspace) == [("FR-A", "1")]  # the rejected correction leaves the verified revision shown


def test_an_export_read_on_each_backend(store: Store, tmp_path: Path) -> None:
    from prevdip.fieldwork.collected import import_export

    export = write_odk_zip(tmp_path / "export.zip", submissions(), MEDIA)
    done = import_export(store, export, who="owner", workspace=tmp_path / "ws", attachment_limit=10_000_000)
    assert (done.accepted, done.quarantined) == (2, 1) and store.quarantine.count(done.run_id) == 1
    again = import_export(store, export, who="owner", workspace=tmp_path / "ws", attachment_limit=10_000_000)
    assert (again.accepted, again.duplicates, again.quarantined) == (0, 2, 1)


def test_a_backup_carries_the_reports_and_their_attachments(configured: Path, tmp_path: Path) -> None:
    init_workspace()
    picture = check("intake.jpg", photo(), limit=10_000_000)
    with open_store() as store:
        submit(store, read_report(vorukh()), by=MONITOR, via="web", workspace=configured, attachments=[picture])
    kept = stored_path(configured, picture.sha256)
    assert kept.read_bytes() == picture.content and kept.stat().st_mode & 0o777 == 0o600
    backup_workspace(tmp_path / "centre.tar.gz")
    if get_settings().database_url is not None:
        downgrade_database("base")
    shutil.rmtree(configured)
    restore_workspace(tmp_path / "centre.tar.gz")
    assert kept.read_bytes() == picture.content and kept.stat().st_mode & 0o777 == 0o600
    with open_store() as store, store.session() as session:
        (record,) = session.scalars(select(FieldReportRevision)).all()
        assert record.report_id == "FR-2022-017" and [a.sha256 for a in record.attachments] == [picture.sha256]
