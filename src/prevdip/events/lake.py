"""The event lake on disk: append-only Parquet under the workspace, written through a staging folder.

Layout (the contract other domains read through :func:`prevdip.events.events_relation`)::

    lake/events/source=<source>/year=<yyyy>/<run_id>-<n>.parquet   one canonical schema (EVENT_SCHEMA)
    lake/series/<name>.parquet                                     country_month_deaths, conflict_years
    lake/listing/<run_id>.parquet                                  the events page's listing (prevdip.events.listing)
    lake/manifest.json                                             what readers see (prevdip.events.manifest)
    lake/.staging/<run_id>/...                                     a run in progress, same relative paths

A run writes only inside its staging folder; :meth:`StagedRun.seal` sorts its event files by date for the pages,
builds the listing of the lake as it will be, writes the run's publishing plan and flushes everything to the disk.
Then the system of record commits the run; then :func:`publish` renames the files into the lake (invisible still)
and replaces the manifest, the one step that shows readers the whole run. A series run's one file is renamed over
the old one (a whole file, old or new). A run killed before its commit leaves only a staging folder, which the next
ingest deletes; one killed after it is published by the next ingest (:func:`recover`). Readers never see half a run.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from prevdip.catalogue import Workspace
from prevdip.durability import crash_point, fsync_folder, fsync_tree, write_atomically
from prevdip.events.connectors.base import Quarantined
from prevdip.events.manifest import MANIFEST, LakeState, document_of, lake_state, publish_run
from prevdip.events.schema import EVENT_SCHEMA
from prevdip.stamps import Stamp, content_digest, stamp

ROWS_PER_PART = 4_000_000
QUARANTINE_FILE = "quarantine.jsonl"
PLAN_FILE = "publish.json"

#: The last stamp worked out for each lake, with the state it was worked out for (see :func:`lake_stamp`).
_stamps: dict[Path, tuple[str, Stamp]] = {}
_stamping = threading.Lock()


def lake_root(workspace: Path) -> Path:
    return Workspace(workspace).lake


def events_root(workspace: Path) -> Path:
    return Workspace(workspace).events


def series_path(workspace: Path, name: str) -> Path:
    return Workspace(workspace).series / f"{name}.parquet"


def staging_root(workspace: Path) -> Path:
    return Workspace(workspace).staging


def event_files(workspace: Path, source: str | None = None) -> list[Path]:
    """The event files readers may see (those of published runs), of every source or one."""
    return lake_state(workspace).event_files(source)


def series_files(workspace: Path) -> list[Path]:
    """The series readers see (a series run renames its one file over the old one, so each is whole)."""
    return lake_state(workspace).series_files()


def lake_stamp(workspace: Path) -> Stamp:
    """The provenance stamp of the lake's committed state: what caches, published backtests and vintages key on.

    Its file list is :func:`lake_state`'s — the published runs' event files and the series — so a run staged or
    renamed into the lake but not yet in the manifest changes nothing here, exactly as readers do not see it. Event
    files count by name and size (a run's files carry its id and are never rewritten), series files by content (they
    are small and replaced whole by a run). The state's own ``stamp`` changes on any manifest rewrite; this one only
    when the files change, which is what a published backtest or a vintage must follow.

    Worked out once per state (every dashboard page asks for it): the state's stamp covers the manifest and each
    series file's size and time, and a published event file is never rewritten under its name.
    """
    state = lake_state(workspace)
    with _stamping:
        known = _stamps.get(state.lake)
    if known is not None and known[0] == state.stamp:
        return known[1]
    made = _stamp_of(state)
    with _stamping:
        _stamps[state.lake] = (state.stamp, made)
    return made


def _stamp_of(state: LakeState) -> Stamp:
    entries: list[tuple[str, str]] = []
    changed = 0.0
    for path in state.event_files():
        info = path.stat()
        entries.append((path.relative_to(state.lake).as_posix(), str(info.st_size)))
        changed = max(changed, info.st_mtime)
    for path in state.series_files():
        entries.append((path.relative_to(state.lake).as_posix(), content_digest(path)))
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
            # Uncompressed: seal() rewrites every event file in page order with zstd; compressing twice is waste.
            writer, written = pq.ParquetWriter(path, EVENT_SCHEMA, compression="none"), 0
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

    def seal(self, prepare_listing: Callable[[Path, Path, str, list[str]], str | None]) -> None:
        """Ready the run for its commit: event files sorted for the pages, the listing of the lake as it will be,
        the publishing plan — all flushed to the disk, so a committed run's files are whole after a power cut.

        ``prepare_listing`` is :func:`prevdip.events.listing.prepare_run`, handed in by the ingest: the listing reads
        the lake as its readers do, a level above the lake's own writing."""
        self.close()
        files = sorted(path.relative_to(self.folder).as_posix() for path in self.folder.rglob("*.parquet"))
        listing = prepare_listing(self.workspace, self.folder, self.run_id, files)
        plan = {"files": files, "listing": listing}
        (self.folder / PLAN_FILE).write_text(json.dumps(plan), encoding="utf-8")
        fsync_tree(self.folder)
        fsync_folder(self.folder.parent)

    def commit(self) -> None:
        """Move the staged files into the lake and show them to readers (after the run is recorded)."""
        self.close()
        publish(self.folder, lake_root(self.workspace), self.run_id)

    def discard(self) -> None:
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def publish(folder: Path, lake: Path, run_id: str) -> None:
    """Rename a committed run's staged files into the lake, flush their folders, then replace the manifest — the
    step that shows them to readers — and drop the staging folder. Safe to repeat after a crash at any point."""
    crash_point("lake-after-commit")
    plan = _plan(folder)
    names: list[str] = plan["files"] + ([plan["listing"]] if plan.get("listing") else [])
    touched = set()
    for number, name in enumerate(names):
        source, target = folder / name, lake / name
        if source.exists():  # a crash may have moved it already
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
            touched |= {source.parent, target.parent}
        if number == 0:
            crash_point("lake-mid-publish")
    for changed in sorted(touched):
        if changed.is_dir():
            fsync_folder(changed)
    crash_point("lake-before-manifest")
    publish_run(lake, run_id, plan["files"], listing=plan.get("listing"), listing_known="listing" in plan)
    shutil.rmtree(folder, ignore_errors=True)


def _plan(folder: Path) -> dict[str, Any]:
    """The run's publishing plan; a folder staged without one (an older prevdip) publishes what it holds."""
    path = folder / PLAN_FILE
    if path.is_file():
        return dict(json.loads(path.read_text(encoding="utf-8")))
    return {"files": sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.parquet"))}


def writer_lock(workspace: Path) -> AbstractContextManager[None]:
    """The lake's one-writer lock (:func:`prevdip.store.workspace.lake_lock`): a second ingest is refused."""
    from prevdip.store.workspace import lake_lock

    return lake_lock(workspace)


def recover(workspace: Path, committed: Callable[[str], bool]) -> list[str]:
    """Finish or undo what a killed writer left (under the writer lock): committed runs are published, other
    staging folders (runs never committed, a backup's scratch copy) deleted, and files no reader can reach any more
    (listings of earlier states, half-written manifests) removed."""
    state = lake_state(workspace)
    if not state.managed:  # a lake of an older prevdip: its files as they are become the first manifest
        write_manifest(workspace, document_of(state))
    handled = []
    root = staging_root(workspace)
    for folder in sorted(root.glob("*")) if root.is_dir() else []:
        if folder.is_dir() and committed(folder.name):
            publish(folder, lake_root(workspace), folder.name)
        elif folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
        else:
            folder.unlink(missing_ok=True)
        handled.append(folder.name)
    _drop_unreachable(workspace)
    return handled


def _drop_unreachable(workspace: Path) -> None:
    lake = lake_root(workspace)
    for leftover in lake.glob(f".{MANIFEST}.*.tmp"):
        leftover.unlink(missing_ok=True)
    state = lake_state(workspace)
    if not state.managed:
        return
    for listing in (lake / "listing").glob("*.parquet"):
        if listing.relative_to(lake).as_posix() != state.listing:
            listing.unlink(missing_ok=True)


def write_manifest(workspace: Path, document: dict[str, Any]) -> None:
    """Replace the manifest whole (restore and the first ingest of an older lake use it)."""
    write_atomically(lake_root(workspace) / MANIFEST, json.dumps(document, indent=0).encode("utf-8"))
