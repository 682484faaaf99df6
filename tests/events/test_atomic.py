"""A crash mid-ingest (kill -9) leaves the lake and the database as they were; the next run completes the work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from prevdip.events import events_relation, ingest
from prevdip.events.lake import StagedRun, event_files, recover, staging_root
from prevdip.events.runs import RunLedger, RunReport
from prevdip.store import init_workspace, open_store


def _big_gdelt(bundle: Path, path: Path, copies: int) -> int:
    """The bundle's 100 real GDELT 2.0 rows, repeated with fresh event ids."""
    rows = (bundle / "gdelt" / "gdelt2_events_20150218230000_sample100.tsv").read_text(encoding="utf-8").splitlines()
    tails = [row.split("\t", 1)[1] for row in rows]
    with path.open("w", encoding="utf-8") as f:
        for copy in range(copies):
            f.write("".join(f"{900_000_000 + copy * 100 + i}\t{tail}\n" for i, tail in enumerate(tails)))
    return copies * len(tails)


@pytest.mark.slow
def test_kill_mid_ingest_leaves_nothing_and_rerun_completes(workspace: Path, tmp_path: Path, bundle: Path) -> None:
    init_workspace()
    big = tmp_path / "big.export.CSV"
    rows = _big_gdelt(bundle, big, 4_000)
    env = {**os.environ, "PREVDIP_WORKSPACE": str(workspace), "PREVDIP_BUNDLE": str(bundle)}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "prevdip"), "ingest", "gdelt", str(big), "--json"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not list(staging_root(workspace).rglob("*.parquet")) and time.monotonic() < deadline:
        assert process.poll() is None, "the ingest finished before it could be killed: make the file bigger"
        time.sleep(0.005)
    assert process.poll() is None
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert event_files(workspace) == []
    with open_store() as store:
        assert store.ingest_runs.recent() == []
    report = ingest("gdelt", [big])
    assert (report.rows, report.accepted, report.duplicates) == (rows, rows, 0)
    assert not list(staging_root(workspace).glob("*"))
    with open_store() as store:
        assert [r.id for r in store.ingest_runs.recent()] == [report.run_id]


def test_a_run_recorded_but_not_published_is_completed(workspace: Path, bundle: Path) -> None:
    """Killed between the database commit and the renames: the next ingest publishes the staged files."""
    from datetime import UTC, datetime

    from prevdip.events.connectors import connector_for

    init_workspace()
    staged = StagedRun(workspace, "f" * 32)
    sample = bundle / "gdelt" / "gdelt2_events_20150218230000_sample100.tsv"
    for chunk in connector_for("gdelt").chunks(sample):
        table = chunk.table.set_column(0, "event_uid", chunk.table["source_event_id"])
        staged.write_events(table)
    staged.close()
    report = RunReport(source="gdelt", files=[str(sample)], run_id="f" * 32, rows=100, accepted=100)
    with open_store() as store:
        ledger = RunLedger(store)
        now = datetime.now(UTC)
        ledger.commit(report, [(str(sample), "0" * 64)], now, now, [])
        assert recover(workspace, ledger.committed) == ["f" * 32]
    assert {path.name for path in event_files(workspace)} == {f"{'f' * 32}-0.parquet"}
    con = duckdb.connect()
    assert events_relation(con, workspace=workspace).count("*").fetchall() == [(100,)]
    assert not (staging_root(workspace) / ("f" * 32)).exists()
