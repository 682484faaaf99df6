"""Ingest runs, quarantined rows and the audit log on SQLite and PostgreSQL, with real rows from the bundle."""

from __future__ import annotations

import hashlib
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from prevdip.errors import NotFound
from prevdip.store import AuditEntry, IngestRun, QuarantinedRow, QuarantinedRowIn, RunStatus, Store

ACD = "ucdp/ucdp-prio-acd-251_resaved_semicolon_dmy.csv"
GED = "ucdp/ged211_reduced_central_asia_neighbours.csv"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_an_ingest_run_is_opened_then_closed_with_its_counts(store: Store, bundle: Path) -> None:
    acd = bundle / ACD
    run_id = store.ingest_runs.start("ucdp-acd", [(ACD, _sha256(acd))])
    assert len(run_id) == 32 and int(run_id, 16) >= 0
    running = store.ingest_runs.get(run_id)
    assert running.status == RunStatus.RUNNING
    assert running.files == [{"path": ACD, "sha256": _sha256(acd)}]
    assert running.finished is None and running.rows is None

    rows = len(_lines(acd)) - 1
    store.ingest_runs.finish(
        run_id, rows=rows, accepted=rows - 2, duplicates=0, quarantined=2, status="partial", reasons={"broken": 2}
    )
    done = store.ingest_runs.get(run_id)
    assert (done.rows, done.accepted, done.duplicates, done.quarantined) == (rows, rows - 2, 0, 2)
    assert done.status == "partial" and done.reasons == {"broken": 2}
    assert done.started.tzinfo == UTC and done.finished is not None and done.finished.tzinfo == UTC
    assert timedelta(0) <= done.finished - done.started < timedelta(minutes=1)
    assert done.as_dict()["finished"].endswith("+00:00")


def test_runs_are_listed_newest_first_and_by_source(store: Store) -> None:
    first = store.ingest_runs.start("ucdp-ged", [])
    second = store.ingest_runs.start("gdelt", [])
    third = store.ingest_runs.start("ucdp-ged", [])
    assert [run.id for run in store.ingest_runs.recent()] == [third, second, first]
    assert [run.id for run in store.ingest_runs.recent(source="ucdp-ged", limit=1)] == [third]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rows": -1}, "cannot be negative: rows"),
        ({"status": "running"}, "needs a status"),
        ({"status": ""}, "needs a status"),
    ],
)
def test_finishing_with_impossible_values_is_refused(store: Store, change: dict[str, object], message: str) -> None:
    run_id = store.ingest_runs.start("ucdp-ged", [])
    values: dict[str, object] = {
        "rows": 1,
        "accepted": 1,
        "duplicates": 0,
        "quarantined": 0,
        "status": "succeeded",
        "reasons": {},
    }
    with pytest.raises(ValueError, match=message):
        store.ingest_runs.finish(run_id, **{**values, **change})  # type: ignore[arg-type]
    assert store.ingest_runs.get(run_id).status == "running"


def test_a_run_finishes_once_and_must_exist(store: Store) -> None:
    run_id = store.ingest_runs.start("ucdp-ged", [])
    counts = {"rows": 0, "accepted": 0, "duplicates": 0, "quarantined": 0, "reasons": {}}
    store.ingest_runs.finish(run_id, status="succeeded", **counts)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="already finished"):
        store.ingest_runs.finish(run_id, status="failed", **counts)  # type: ignore[arg-type]
    with pytest.raises(NotFound, match="no ingest run 'nope'"):
        store.ingest_runs.finish("nope", status="failed", **counts)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="64 lowercase hex"):
        store.ingest_runs.start("ucdp-ged", [("ged.csv", "not-a-hash")])


def test_the_broken_acd_record_is_quarantined_verbatim(store: Store, bundle: Path) -> None:
    lines = _lines(bundle / ACD)
    broken = [QuarantinedRowIn(ACD, number, lines[number - 1], "record broken across lines") for number in (42, 43)]
    run_id = store.ingest_runs.start("ucdp-acd", [(ACD, _sha256(bundle / ACD))])
    assert store.quarantine.add_many(run_id, broken) == 2
    stored = store.quarantine.of_run(run_id)
    assert [(row.file, row.row_number, row.raw, row.reason) for row in stored] == [tuple(row) for row in broken]
    assert stored[0].raw.startswith("11349;China;Government of China;")


def test_thousands_of_real_rows_go_in_by_bulk_insert_and_come_back_exact(store: Store, bundle: Path) -> None:
    lines = _lines(bundle / GED)[1:]
    run_id = store.ingest_runs.start("ucdp-ged", [(GED, _sha256(bundle / GED))])
    added = store.quarantine.add_many(
        run_id, (QuarantinedRowIn(GED, number, line, "outside the pilot") for number, line in enumerate(lines, 2))
    )
    assert added == len(lines) == 24_077
    assert store.quarantine.count(run_id) == added
    page = store.quarantine.of_run(run_id, offset=10_000, limit=3)
    assert [row.row_number for row in page] == [10_002, 10_003, 10_004]
    assert [row.raw for row in page] == lines[10_000:10_003]


def test_quarantine_is_all_or_nothing(store: Store) -> None:
    run_id = store.ingest_runs.start("ucdp-ged", [])
    good = [QuarantinedRowIn("ged.csv", n, "x", "bad date") for n in range(15_000)]
    bad = QuarantinedRowIn("ged.csv", 15_001, None, "no text")  # type: ignore[arg-type]  # past the first batch
    with pytest.raises(Exception, match="(?i)null"):
        store.quarantine.add_many(run_id, [*good, bad])
    assert store.quarantine.count(run_id) == 0
    with pytest.raises(NotFound, match="no ingest run 'missing'"):
        store.quarantine.add_many("missing", good[:1])


def test_deleting_a_run_deletes_its_quarantined_rows(store: Store) -> None:
    run_id = store.ingest_runs.start("ucdp-ged", [])
    store.quarantine.add_many(run_id, [QuarantinedRowIn("ged.csv", 1, "x", "bad")])
    with store.session() as session:
        session.execute(delete(IngestRun).where(IngestRun.id == run_id))
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(QuarantinedRow)) == 0


def test_the_audit_log_keeps_who_what_when_before_and_after(store: Store) -> None:
    created = store.audit.record("analyst.ashgabat", "warning:7", None, {"level": "watch", "dyad": "KGZ-TJK"})
    changed = store.audit.record("head.of.office", "warning:7", {"level": "watch"}, {"level": "alert"})
    store.audit.record("analyst.ashgabat", "meeting:3", None, {"title": "Water and energy"})
    history = store.audit.recent(what="warning:7")
    assert [entry.id for entry in history] == [changed.id, created.id]
    assert history[1].before is None and history[1].after == {"level": "watch", "dyad": "KGZ-TJK"}
    assert history[0].who == "head.of.office" and history[0].when >= history[1].when
    assert history[0].when.tzinfo == UTC
    assert len(store.audit.recent()) == 3
    with store.session() as session:  # "no before" is SQL NULL, not the JSON text null
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.before.is_(None))) == 2


def test_an_audit_entry_commits_or_fails_with_the_change_it_records(store: Store) -> None:
    with pytest.raises(RuntimeError), store.session() as session:
        store.audit.record("analyst", "warning:8", None, {"level": "alert"}, session=session)
        raise RuntimeError("the change itself failed")
    assert store.audit.recent(what="warning:8") == []
    with store.session() as session:
        store.audit.record("analyst", "warning:8", None, {"level": "alert"}, session=session)
    assert len(store.audit.recent(what="warning:8")) == 1


def test_audit_values_must_be_plain_json(store: Store) -> None:
    with pytest.raises(ValueError, match="not plain JSON"):
        store.audit.record("analyst", "warning:9", None, {"when": object()})
    with pytest.raises(ValueError, match="who made the change"):
        store.audit.record(" ", "warning:9", None, None)


SCALARS = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False, allow_infinity=False)
JSON_VALUES = st.recursive(
    SCALARS | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.none() | st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=4), after=JSON_VALUES)
def test_any_json_record_comes_back_as_it_went_in(
    store: Store, before: dict[str, object] | None, after: object
) -> None:
    payload = {"value": after}
    entry = store.audit.record("analyst", "property", before, payload)
    [latest] = store.audit.recent(limit=1)
    assert latest.id == entry.id and latest.before == before and latest.after == payload
