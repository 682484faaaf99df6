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

import fcntl
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from prevdip.catalogue import Workspace
from prevdip.errors import RefusedInput
from prevdip.events.connectors.base import Quarantined
from prevdip.events.schema import EVENT_SCHEMA
from prevdip.stamps import Stamp, content_digest, stamp

ROWS_PER_PART = 4_000_000
QUARANTINE_FILE = "quarantine.jsonl"


def lake_root(workspace: Path) -> Path:
    return Workspace(workspace).lake


def events_root(workspace: Path) -> Path:
    return Workspace(workspace).events


def series_path(workspace: Path, name: str) -> Path:
    return Workspace(workspace).series / f"{name}.parquet"


def staging_root(workspace: Path) -> Path:
    return Workspace(workspace).staging


def event_files(workspace: Path, source: str | None = None) -> list[Path]:
    root = events_root(workspace)
    pattern = f"source={source}/year=*/*.parquet" if source else "source=*/year=*/*.parquet"
    return sorted(root.glob(pattern))


def series_files(workspace: Path) -> list[Path]:
    return sorted(Workspace(workspace).series.glob("*.parquet"))


def lake_stamp(workspace: Path) -> Stamp:
    """The provenance stamp of the lake's committed state: what caches, published backtests and vintages key on.

    The lake's visible files are exactly the committed runs' (a run publishes by renaming out of its staging folder
    only after the system of record has it), so the stamp is read from the file set alone, never from the data:
    event files by name and size (a run's files carry its id and are never rewritten), series files by content
    (they are small and replaced whole by a run). This is the one place that knows how the committed state shows on
    disk; when the lake's publishing changes, only this function follows it.
    """
    root = lake_root(workspace)
    entries: list[tuple[str, str]] = []
    changed = 0.0
    for path in event_files(workspace):
        info = path.stat()
        entries.append((path.relative_to(root).as_posix(), str(info.st_size)))
        changed = max(changed, info.st_mtime)
    for path in series_files(workspace):
        entries.append((path.relative_to(root).as_posix(), content_digest(path)))
        changed = max(changed, path.stat().st_mtime)
    return stamp(entries, changed)


class SeenEvents:
    """The event_uids already in the lake for a source, and those this run has taken, held in DuckDB.

    What makes a re-ingest add nothing, and a file that repeats an event count it once: each chunk keeps the first
    row of every uid not seen before. DuckDB does the set work in C++ on all cores; a Python set of millions of
    uids was a fifth of the time of a GDELT-scale ingest.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, workspace: Path, source: str) -> None:
        self.con = con
        files = [str(path) for path in event_files(workspace, source)]
        con.execute("create or replace temp table seen_uids (uid varchar)")
        if files:
            con.execute("insert into seen_uids select event_uid from read_parquet(?)", [files])

    def first_seen(self, uids: pa.Array) -> pa.Array:
        """A mask over ``uids``: true where the uid is new to the lake and first in this chunk; remembers them."""
        chunk = pa.table({"uid": uids, "pos": pa.array(np.arange(len(uids), dtype=np.int64))})
        self.con.register("chunk_uids", chunk)
        try:
            self.con.execute(
                "create or replace temp table fresh_uids as select c.uid, c.pos from "
                "(select uid, min(pos) as pos from chunk_uids group by uid) c anti join seen_uids s on c.uid = s.uid"
            )
            self.con.execute("insert into seen_uids select uid from fresh_uids")
            kept = self.con.sql("select pos from fresh_uids").fetchnumpy()["pos"]
        finally:
            self.con.unregister("chunk_uids")
        mask = np.zeros(len(uids), dtype=bool)
        mask[np.asarray(kept, dtype=np.int64)] = True
        return pa.array(mask)


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
            part = self.folder / Workspace.EVENTS / f"source={source}" / f"year={year}"
            path = part / f"{self.run_id}-{number}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            writer, written = pq.ParquetWriter(path, EVENT_SCHEMA, compression="zstd"), 0
        self._writers[key] = (writer, number, written + rows)
        return writer

    def write_series(self, name: str, table: pa.Table) -> None:
        """Stage the whole new version of a series file (series are small; they are replaced, not appended)."""
        path = self.folder / Workspace.SERIES / f"{name}.parquet"
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


@contextmanager
def writer_lock(workspace: Path) -> Iterator[None]:
    """The lake has one writer at a time: a second ingest is refused rather than left to undo the first's staging.

    The lock is an OS file lock, released by the kernel even when the holder is killed, so a crashed run never
    blocks the next one.
    """
    path = lake_root(workspace) / ".writer.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RefusedInput(
                f"another ingest is writing to the lake of {workspace}", hint="wait for it to finish, then run again"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
