"""Ingest: files of one source into the event lake (or a series beside it), streamed, idempotent and atomic.

One run, whatever its size, holds only a batch in memory at a time (plus the set of event ids already seen, which
is what makes it idempotent). Every row ends in exactly one of three places — accepted, duplicate, quarantined —
so ``rows = accepted + duplicates + quarantined`` always. A file of the wrong kind is refused whole (exit 2) and
nothing is written. The order of writing makes a crash harmless: stage files (flushed to the disk), record the run in
the database in one transaction, then rename into the lake and replace its manifest, the one step that shows the run
to readers; the next ingest completes or removes whatever a killed run left.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from prevdip.catalogue import Workspace
from prevdip.errors import RefusedInput
from prevdip.events.connectors import Chunk, Connector, connector_for, detect
from prevdip.events.lake import SeenEvents, StagedRun, recover, writer_lock
from prevdip.events.listing import prepare_run
from prevdip.events.retraction import ReleaseRows, release_of
from prevdip.events.runs import RunLedger, RunReport
from prevdip.events.series_lake import merge_series
from prevdip.settings import resolve_workspace

Progress = Callable[[int], None]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(8 << 20):
            digest.update(block)
    return digest.hexdigest()


def _plan(source: str, files: Sequence[Path]) -> list[tuple[Path, Connector]]:
    """The connector for each file: the named one, or the detected one for ``auto`` (one source per run)."""
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise RefusedInput(f"no such file: {', '.join(missing)}", hint="check the path")
    if not files:
        raise RefusedInput("no file to ingest", hint="name at least one file")
    if source != "auto":
        chosen = connector_for(source)
        return [(f, chosen) for f in files]
    plan = [(f, detect(f)) for f in files]
    names = {c.name for _, c in plan}
    if len(names) > 1:
        raise RefusedInput(f"these files are of different sources ({', '.join(sorted(names))})", hint="ingest each")
    return plan


def _initialised(workspace: Path | None, database_url: str | None = None) -> Path:
    """The workspace to ingest into, made (and, unless the caller names a database of its own, its database
    migrated) on first use."""
    from prevdip.settings import get_settings
    from prevdip.store import init_workspace

    path = resolve_workspace(workspace)
    if not Workspace(path).lake.is_dir():
        if database_url is None:
            init_workspace(get_settings())
        else:  # a workspace and database named by the caller (the dashboard's): its folders; the database is theirs
            for folder in Workspace.FOLDERS:
                (path / folder).mkdir(parents=True, exist_ok=True)
    return path


def ingest(
    source: str,
    files: Sequence[Path],
    *,
    region: str | None = None,
    workspace: Path | None = None,
    progress: Progress | None = None,
    retract_missing: bool = False,
    database_url: str | None = None,
) -> RunReport:
    """Ingest ``files`` as ``source`` (``auto``: detect); returns the run's report. ``retract_missing`` declares the
    files a complete UCDP GED release: older events it lacks are retracted (:mod:`prevdip.events.retraction`).
    ``workspace`` and ``database_url`` name another workspace and system of record than the settings' (the
    dashboard's own)."""
    from prevdip.store import open_store

    plan = _plan(source, [Path(f) for f in files])
    iso3s = _region_iso3s(region)
    ws = _initialised(workspace, database_url)
    connector = plan[0][1]
    if iso3s is not None and connector.target != "events":
        raise RefusedInput(f"--region filters events; {connector.name} feeds the {connector.target} series")
    if iso3s is not None and not connector.places:
        raise RefusedInput(f"--region filters events by place; {connector.name} says nothing about places")
    release = release_of(connector, [f for f, _ in plan]) if retract_missing else None
    if release is not None and iso3s is not None:
        raise RefusedInput("--retract-missing needs the whole release", hint="leave out --region")
    started = datetime.now(UTC)
    report = RunReport(source=connector.name, files=[str(f) for f, _ in plan], run_id=uuid.uuid4().hex)
    with writer_lock(ws), open_store(database_url) as store:
        ledger = RunLedger(store)
        recover(ws, ledger.committed)
        staged = StagedRun(ws, report.run_id)
        try:
            if connector.target == "events":
                _events(plan, staged, report, iso3s, started, progress or (lambda _n: None), release)
            else:
                _series(plan, staged, report, progress or (lambda _n: None))
            staged.seal(prepare_run)
            hashes = [(str(f), file_sha256(f)) for f, _ in plan]
            ledger.commit(report, hashes, started, datetime.now(UTC), staged.quarantined())
        except BaseException:
            staged.discard()
            raise
        staged.commit()
    return report


def _region_iso3s(region: str | None) -> frozenset[str] | None:
    if region is None:
        return None
    from prevdip.geo import region as named_region

    return frozenset(named_region(region).iso3s)


def _in_region(table: pa.Table, iso3s: frozenset[str]) -> pa.Table:
    """Events in the region, or between one of its states and anyone (the actor's country)."""
    wanted = pa.array(sorted(iso3s))
    mask = pc.is_in(table["country_iso3"], value_set=wanted)
    for column in ("actor1_country", "actor2_country"):
        mask = pc.or_(mask, pc.is_in(table[column], value_set=wanted))
    return table.filter(mask)


def _count_quarantined(report: RunReport, staged: StagedRun, chunk: Chunk) -> None:
    quarantined = chunk.quarantined
    report.warn(chunk.warnings)
    staged.quarantine(quarantined)
    report.quarantined += len(quarantined)
    report.reasons = dict(Counter(report.reasons) + Counter(q.kind for q in quarantined))


def event_uids(con: duckdb.DuckDBPyConnection, table: pa.Table) -> pa.Array:
    """:func:`~prevdip.events.schema.event_uid` of every row, computed by DuckDB on all cores (same bytes hashed)."""
    con.register("uid_keys", table.select(["source", "source_event_id", "source_version"]))
    try:
        uids = con.sql(
            "select substr(sha256(source || chr(31) || source_event_id || chr(31) || coalesce(source_version, '')), "
            "1, 32) as uid from uid_keys"
        ).to_arrow_table()
    finally:
        con.unregister("uid_keys")
    return uids.column(0).combine_chunks()


class _NewEvents:
    """Writes the rows of a run the lake does not hold yet (by uid), stamped with the run; returns how many."""

    def __init__(self, staged: StagedRun, source: str, run_id: str, started: datetime) -> None:
        self.hasher = duckdb.connect()
        self.seen = SeenEvents(self.hasher, staged.workspace, source)
        self.staged, self.run_id = staged, run_id
        self.stamp = pa.scalar(started, pa.timestamp("us", tz="UTC"))

    def write(self, table: pa.Table) -> int:
        uids = event_uids(self.hasher, table)
        mask = self.seen.first_seen(uids)
        new = table.filter(mask)
        new = new.set_column(0, "event_uid", uids.filter(mask))
        n = new.num_rows
        new = new.set_column(new.schema.get_field_index("ingested_at"), "ingested_at", pa.repeat(self.stamp, n))
        run = pa.repeat(pa.scalar(self.run_id), n)
        self.staged.write_events(new.set_column(new.schema.get_field_index("ingest_run_id"), "ingest_run_id", run))
        return n


def _events(
    plan: list[tuple[Path, Connector]],
    staged: StagedRun,
    report: RunReport,
    iso3s: frozenset[str] | None,
    started: datetime,
    progress: Progress,
    release: str | None = None,
) -> None:
    writer = _NewEvents(staged, plan[0][1].source, report.run_id, started)
    rows = ReleaseRows(writer.hasher) if release is not None else None
    # One chunk is written while the next is read: writing (DuckDB's uids, Parquet) and reading (Arrow's parser
    # and compute) both run mostly outside the interpreter. A run against a whole release reads its rows on the
    # writer's DuckDB connection, which answers one query at a time, so it writes in turn.
    behind = _Behind(ThreadPoolExecutor(max_workers=1, thread_name_prefix="prevdip-ingest") if rows is None else None)
    try:
        for path, connector in plan:
            for chunk in connector.chunks(path):
                _count_quarantined(report, staged, chunk)
                table = chunk.table if iso3s is None else _in_region(chunk.table, iso3s)
                if rows is not None:
                    rows.add(table)
                behind.write(writer, table, partial(_count_written, report, progress, table, chunk))
        behind.finish()
    finally:
        behind.close()
    if rows is not None and release is not None:
        _retract(rows, writer, report, staged.workspace, plan[0][1].source, release)


def _count_written(report: RunReport, progress: Progress, table: pa.Table, chunk: Chunk, n: int) -> None:
    report.rows += table.num_rows + len(chunk.quarantined)
    report.accepted += n
    report.duplicates += table.num_rows - n
    progress(chunk.rows)


class _Behind:
    """The chunk being written on the writer's own thread, at most one, while the reader goes on (none: in turn).
    A failure in writing is raised at the next chunk or at the end, and the run is then discarded whole."""

    def __init__(self, pool: ThreadPoolExecutor | None) -> None:
        self.pool = pool
        self.pending: tuple[Future[int], Callable[[int], None]] | None = None

    def write(self, writer: _NewEvents, table: pa.Table, written: Callable[[int], None]) -> None:
        self.finish()
        if self.pool is None:
            written(writer.write(table))
        else:
            self.pending = (self.pool.submit(writer.write, table), written)

    def finish(self) -> None:
        """Wait for the chunk being written and count it."""
        if self.pending is not None:
            done, written = self.pending
            self.pending = None
            written(done.result())

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _retract(
    rows: ReleaseRows, writer: _NewEvents, report: RunReport, workspace: Path, source: str, release: str
) -> None:
    """Retract what the complete release ``release`` no longer holds, unless the run could not read all of it."""
    if report.quarantined:
        report.warn(
            [f"nothing retracted: {report.quarantined} row(s) could not be read, so {release} may be incomplete"]
        )
        return
    report.retracted = writer.write(rows.missing(workspace, source, release))


def _series(plan: list[tuple[Path, Connector]], staged: StagedRun, report: RunReport, progress: Progress) -> None:
    connector = plan[0][1]
    tables = []
    for path, _ in plan:
        for chunk in connector.chunks(path):
            _count_quarantined(report, staged, chunk)
            tables.append(chunk.table)
            report.rows += chunk.rows
            progress(chunk.rows)
    new = pa.concat_tables(tables) if tables else connector.empty()
    merged, accepted = merge_series(staged.workspace, connector.target, connector.series_key, new)
    report.accepted = accepted
    report.duplicates = new.num_rows - accepted
    if accepted:
        staged.write_series(connector.target, merged)
