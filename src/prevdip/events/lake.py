"""The event lake on disk: append-only Parquet under the workspace, written through a staging folder.

Layout (the contract other domains read through :func:`prevdip.events.events_relation`)::

    lake/events/source=<source>/year=<yyyy>/<run_id>-<n>.parquet   one canonical schema (EVENT_SCHEMA)
    lake/series/<name>.parquet                                     country_month_deaths, conflict_years
    lake/.staging/<run_id>/...                                     a run in progress, same relative paths

A run writes only inside its staging folder. Once the system of record has committed the run, its files are
renamed into place (a rename is atomic on one file system) and the staging folder removed. A run killed before
that commit leaves only a staging folder, which the next ingest deletes; one killed after it is completed by the
next ingest (:func:`recover`). Readers never see a half-written file.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from prevdip.events.connectors.base import Quarantined
from prevdip.events.schema import EVENT_SCHEMA

ROWS_PER_PART = 4_000_000
QUARANTINE_FILE = "quarantine.jsonl"


def lake_root(workspace: Path) -> Path:
    return workspace / "lake"


def events_root(workspace: Path) -> Path:
    return lake_root(workspace) / "events"


def series_path(workspace: Path, name: str) -> Path:
    return lake_root(workspace) / "series" / f"{name}.parquet"


def staging_root(workspace: Path) -> Path:
    return lake_root(workspace) / ".staging"


def event_files(workspace: Path, source: str | None = None) -> list[Path]:
    root = events_root(workspace)
    pattern = f"source={source}/year=*/*.parquet" if source else "source=*/year=*/*.parquet"
    return sorted(root.glob(pattern))


def known_uids(workspace: Path, source: str) -> set[str]:
    """Every event_uid already in the lake for ``source`` (what makes a re-ingest add nothing)."""
    uids: set[str] = set()
    for path in event_files(workspace, source):
        uids.update(pq.read_table(path, columns=["event_uid"]).column(0).to_pylist())
    return uids


class StagedRun:
    """The files of one run, written in its staging folder until :meth:`commit` moves them into the lake."""

    def __init__(self, workspace: Path, run_id: str) -> None:
        self.workspace = workspace
        self.run_id = run_id
        self.folder = staging_root(workspace) / run_id
        self.folder.mkdir(parents=True, exist_ok=False)
        self._writers: dict[tuple[str, int], tuple[pq.ParquetWriter, int, int]] = {}
        self._quarantine = (self.folder / QUARANTINE_FILE).open("w", encoding="utf-8")

    def write_events(self, table: pa.Table) -> None:
        """Append canonical rows, one Parquet part per source and year (rolled over every few million rows)."""
        if table.num_rows == 0:
            return
        source = table["source"][0].as_py()  # one connector, one source per run
        years = pc.year(table["date_start"])
        distinct = pc.unique(years).to_pylist()
        for year in distinct:
            part = table if len(distinct) == 1 else table.filter(pc.equal(years, year))
            self._writer(source, year, part.num_rows).write_table(part)

    def _writer(self, source: str, year: int, rows: int) -> pq.ParquetWriter:
        key = (source, year)
        writer, number, written = self._writers.get(key, (None, -1, ROWS_PER_PART))
        if writer is None or written >= ROWS_PER_PART:
            if writer is not None:
                writer.close()
            number += 1
            path = self.folder / "events" / f"source={source}" / f"year={year}" / f"{self.run_id}-{number}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            writer, written = pq.ParquetWriter(path, EVENT_SCHEMA, compression="zstd"), 0
        self._writers[key] = (writer, number, written + rows)
        return writer

    def write_series(self, name: str, table: pa.Table) -> None:
        """Stage the whole new version of a series file (series are small; they are replaced, not appended)."""
        path = self.folder / "series" / f"{name}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, path, compression="zstd")

    def quarantine(self, rows: Iterable[Quarantined]) -> None:
        for row in rows:
            self._quarantine.write(json.dumps([row.file, row.row_number, row.raw, row.reason]) + "\n")

    def quarantined(self) -> Iterator[Quarantined]:
        """The staged quarantined rows, streamed back (for the system of record)."""
        if not self._quarantine.closed:
            self._quarantine.flush()
        with (self.folder / QUARANTINE_FILE).open(encoding="utf-8") as f:
            for line in f:
                file, number, raw, reason = json.loads(line)
                yield Quarantined(file, number, raw, reason)

    def close(self) -> None:
        for writer, _, _ in self._writers.values():
            writer.close()
        self._writers.clear()
        self._quarantine.close()

    def commit(self) -> None:
        """Move the staged files into the lake (after the run is recorded)."""
        self.close()
        publish(self.folder, lake_root(self.workspace))

    def discard(self) -> None:
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def publish(folder: Path, lake: Path) -> None:
    """Rename every staged data file to its place in the lake, then drop the staging folder (safe to repeat)."""
    for path in sorted(folder.rglob("*.parquet")):
        target = lake / path.relative_to(folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
    shutil.rmtree(folder, ignore_errors=True)


def recover(workspace: Path, committed: Callable[[str], bool]) -> list[str]:
    """Finish or undo runs left by a killed ingest: committed ones are published, the rest deleted."""
    handled = []
    root = staging_root(workspace)
    for folder in sorted(root.glob("*")) if root.is_dir() else []:
        if committed(folder.name):
            publish(folder, lake_root(workspace))
        else:
            shutil.rmtree(folder, ignore_errors=True)
        handled.append(folder.name)
    return handled
