"""An ingest writes one chunk while it reads the next (docs/events.md, "Performance"): the counts and the lake are
those of writing in turn, a failure in writing discards the whole run, and a run against a whole release (whose
rows are read on the writer's DuckDB connection) writes in turn.

The bundle's 100 real GDELT 2.0 rows are read in pieces of 4 KB (``CHUNK_BYTES``), so the file is many chunks.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from prevdip.events import ingest, query_events
from prevdip.events.connectors import tabular
from prevdip.events.lake import StagedRun, event_files, staging_root

SAMPLE = Path("gdelt") / "gdelt2_events_20150218230000_sample100.tsv"


@pytest.fixture
def in_pieces(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Read files 4 KB at a time; the names of the threads that write each chunk's events."""
    monkeypatch.setattr(tabular, "CHUNK_BYTES", 4 << 10)
    writers: list[str] = []
    write = StagedRun.write_events

    def watched(self: StagedRun, table: pa.Table) -> None:
        writers.append(threading.current_thread().name)
        write(self, table)

    monkeypatch.setattr(StagedRun, "write_events", watched)
    return writers


def test_chunks_are_written_on_the_writer_thread_and_counted_as_in_turn(
    workspace: Path, bundle: Path, in_pieces: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    report = ingest("gdelt", [bundle / SAMPLE], progress=seen.append)
    assert len(in_pieces) > 5 and all(name.startswith("prevdip-ingest") for name in in_pieces)
    assert len(seen) == len(in_pieces) and sum(seen) == report.rows
    assert report.rows == report.accepted + report.duplicates + report.quarantined
    assert query_events(workspace=workspace, limit=None)["count"] == report.accepted
    monkeypatch.setattr(tabular, "CHUNK_BYTES", 16 << 20)  # the same file again, whole: every row known
    again = ingest("gdelt", [bundle / SAMPLE])
    assert (again.rows, again.accepted, again.duplicates) == (report.rows, 0, report.accepted)


def test_a_chunk_that_cannot_be_written_discards_the_whole_run(
    workspace: Path, bundle: Path, in_pieces: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write = StagedRun.write_events
    calls: list[int] = []

    def full_disk(self: StagedRun, table: pa.Table) -> Any:
        calls.append(table.num_rows)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return write(self, table)

    monkeypatch.setattr(StagedRun, "write_events", full_disk)
    with pytest.raises(OSError, match="No space left"):
        ingest("gdelt", [bundle / SAMPLE])
    assert event_files(workspace) == [] and not list(staging_root(workspace).glob("*"))
    monkeypatch.setattr(StagedRun, "write_events", write)
    assert ingest("gdelt", [bundle / SAMPLE]).accepted > 0  # the disk has room again: the run is whole


def test_a_run_against_a_whole_release_writes_in_turn(
    workspace: Path, bundle: Path, tmp_path: Path, in_pieces: list[str]
) -> None:
    release = tmp_path / "GEDEvent_v24_1.csv"  # UCDP's name for release 24.1; the bundle's real GED rows
    release.write_bytes((bundle / "ucdp" / "ged231_sample1000_official_schema.csv").read_bytes())
    report = ingest("ucdp-ged", [release], retract_missing=True)
    assert len(in_pieces) >= 2 and all(name == threading.main_thread().name for name in in_pieces)
    assert report.accepted == query_events(workspace=workspace, limit=0)["count"] == 1000
