"""``prevdip backup``: the whole workspace in one archive — lake files byte for byte, database record for record.

SQLite is copied with its online backup API, so the copy is consistent even while prevdip writes; any other
database (PostgreSQL) is read in one repeatable-read transaction and stored as JSON records. The backup holds the
lake's writer lock throughout, so no ingest publishes a run between the database snapshot and the copy of the lake:
the archive holds exactly the runs its database knows. The database's copy is made in the workspace's own staging
folder (``lake/.staging/backup-<id>``, readable by its owner only, left out of the archive); the archive is written
beside its destination as ``.<name>.<id>.part`` (mode 0600, like the archive itself), flushed to the disk and renamed
into place, so a failed or killed backup leaves no half-written file — and the next backup deletes what a killed one
left. With a backup key in the settings the archive is signed (see :mod:`prevdip.store._archive`).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sqlite3
import tarfile
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine, create_engine, select

import prevdip
from prevdip.durability import PRIVATE_FILE, crash_point, fsync_folder, private_folder
from prevdip.errors import RefusedInput
from prevdip.settings import Settings, get_settings
from prevdip.store._archive import (
    CHECKSUMS,
    FORMAT,
    FORMAT_VERSION,
    LOCAL_SETTINGS,
    MANIFEST,
    RECORDS_MEMBER,
    SIGNATURE,
    SQLITE_MEMBER,
    WORKSPACE_PREFIX,
    add_bytes,
    add_file,
    json_bytes,
    sha256_of,
    signature_member,
    sqlite_companions,
)
from prevdip.store._engine import create_store_engine, masked, sqlite_path
from prevdip.store._records import count_records, dump_records
from prevdip.store._schema import require_known_revision
from prevdip.store.models import IngestRun
from prevdip.store.workspace import lake_lock, require_workspace

#: Files of the workspace that are this process's or this machine's, never data: the lake's lock, the staging
#: folder's scratch copies.
RUNTIME = ("lake/.writer.lock",)
STAGING = "lake/.staging"


@dataclass(frozen=True)
class BackupReport:
    """What went into a backup archive."""

    backup: Path
    workspace: Path
    database: str
    revision: str
    files: int
    bytes: int
    records: dict[str, int]
    sha256: str
    signed: bool = False
    skipped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "backup": str(self.backup),
            "workspace": str(self.workspace),
            "database": self.database,
            "revision": self.revision,
            "files": self.files,
            "bytes": self.bytes,
            "records": self.records,
            "sha256": self.sha256,
            "signed": self.signed,
            "skipped": self.skipped,
        }


@dataclass(frozen=True)
class _Snapshot:
    member: str
    path: Path
    dialect: str
    records: dict[str, int]
    runs: frozenset[str]  # the ingest runs the database knows (their staging folders travel with the lake)


def backup_workspace(archive: Path, *, force: bool = False, settings: Settings | None = None) -> BackupReport:
    """Write the workspace and its database to ``archive`` (a ``.tar.gz``); ``force`` overwrites a file."""
    settings = settings if settings is not None else get_settings()
    workspace = require_workspace(settings.workspace)
    archive = _destination(archive, workspace, force=force)
    url = settings.effective_database_url
    key = None if settings.backup_key is None else settings.backup_key.get_secret_value()
    engine = create_store_engine(url)
    try:
        revision = require_known_revision(engine)
        database_file = sqlite_path(url)
        skip = sqlite_companions(database_file) if database_file is not None else set()
        with lake_lock(workspace), _scratch(workspace) as scratch, _partial(archive) as (partial, out):
            snapshot = _snapshot(engine, revision, scratch)
            with tarfile.open(fileobj=out, mode="w:gz", compresslevel=6) as tar:
                manifest = json_bytes(_manifest(snapshot, revision, workspace))
                add_bytes(tar, MANIFEST, manifest)
                add_file(tar, snapshot.path, snapshot.member)
                files, skipped = _add_workspace(tar, workspace, skip, snapshot.runs)
                crash_point("backup-mid-archive")
                checksums = "".join(f"{sha}  {name}\n" for name, sha, _ in files).encode("utf-8")
                add_bytes(tar, CHECKSUMS, checksums)
                if key is not None:
                    add_bytes(tar, SIGNATURE, signature_member(key, manifest, checksums))
            out.flush()
            os.fsync(out.fileno())
            os.replace(partial, archive)
            fsync_folder(archive.parent)
    finally:
        engine.dispose()
    return BackupReport(
        backup=archive,
        workspace=workspace,
        database=masked(url),
        revision=revision,
        files=len(files),
        bytes=sum(size for _, _, size in files),
        records=snapshot.records,
        sha256=sha256_of(archive),
        signed=key is not None,
        skipped=skipped,
    )


@contextmanager
def _scratch(workspace: Path) -> Iterator[Path]:
    """A private folder in the lake's staging folder for the database's copy; earlier backups' leftovers go."""
    staging = workspace / STAGING
    staging.mkdir(parents=True, exist_ok=True)
    for leftover in staging.glob("backup-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    folder = private_folder(staging / f"backup-{uuid.uuid4().hex}")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _partial(archive: Path) -> Iterator[tuple[Path, IO[bytes]]]:
    """The archive's ``.part`` file beside it (0600, locked while written); ones a killed backup left are deleted."""
    for leftover in archive.parent.glob(f".{archive.name}.*.part"):
        with leftover.open("rb") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # another backup to the same name is writing it
            leftover.unlink(missing_ok=True)
    partial = archive.with_name(f".{archive.name}.{uuid.uuid4().hex}.part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        with os.fdopen(descriptor, "wb") as out:
            fcntl.flock(out, fcntl.LOCK_EX)
            yield partial, out
    finally:
        partial.unlink(missing_ok=True)


def _destination(archive: Path, workspace: Path, *, force: bool) -> Path:
    archive = archive.resolve()
    if archive.is_relative_to(workspace):
        raise RefusedInput(f"the backup {archive} would lie inside the workspace it saves", hint="write it elsewhere")
    if not archive.parent.is_dir():
        raise RefusedInput(f"the folder {archive.parent} does not exist", hint="create it or choose another FILE")
    if archive.exists() and not force:
        raise RefusedInput(f"{archive} already exists", hint="choose another FILE, or pass --force to replace it")
    return archive


def _snapshot(engine: Engine, revision: str, scratch: Path) -> _Snapshot:
    """A consistent copy of the database in ``scratch``: the SQLite file itself, or every record as JSON."""
    source = sqlite_path(engine.url)
    if source is not None:
        copy = scratch / "prevdip.sqlite"
        os.close(os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
        with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(copy)) as frozen:
            live.backup(frozen)
            frozen.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        reader = create_engine(f"sqlite:///{copy}")
        try:
            with reader.connect() as connection:
                records = count_records(connection)
                runs = frozenset(connection.scalars(select(IngestRun.id)))
        finally:
            reader.dispose()
        return _Snapshot(SQLITE_MEMBER, copy, "sqlite", records, runs)
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            tables = dump_records(connection)
    dump = scratch / "records.json"
    descriptor = os.open(dump, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        json.dump({"dialect": engine.dialect.name, "revision": revision, "tables": tables}, out, ensure_ascii=False)
    counts = {name: len(rows) for name, rows in tables.items()}
    runs = frozenset(str(row["id"]) for row in tables.get("ingest_runs", []))
    return _Snapshot(RECORDS_MEMBER, dump, engine.dialect.name, counts, runs)


def _manifest(snapshot: _Snapshot, revision: str, workspace: Path) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "prevdip": prevdip.__version__,
        "created": datetime.now(UTC).isoformat(),
        "workspace": str(workspace),
        "database": {
            "dialect": snapshot.dialect,
            "revision": revision,
            "member": snapshot.member,
            "records": snapshot.records,
            "sha256": sha256_of(snapshot.path),
        },
    }


def _add_workspace(
    tar: tarfile.TarFile, workspace: Path, skip: set[Path], runs: frozenset[str]
) -> tuple[list[tuple[str, str, int]], list[str]]:
    """Add folders and files; returns (path, sha256, size) of each file and the symlinks left out.

    Left out besides the settings: the lake's lock and, in its staging folder, everything but the runs the database
    knows (a run committed but not yet published when a crash stopped it travels with the lake, and the first
    ingest after the restore publishes it)."""
    files: list[tuple[str, str, int]] = []
    skipped: list[str] = []
    for path in sorted(workspace.rglob("*")):
        relative = path.relative_to(workspace).as_posix()
        if path in skip or relative == LOCAL_SETTINGS or relative in RUNTIME or _stray(relative, runs):
            continue
        name = f"{WORKSPACE_PREFIX}/{relative}"
        if path.is_symlink() or not (path.is_dir() or path.is_file()):
            skipped.append(relative)
        elif path.is_dir():
            tar.add(str(path), arcname=name, recursive=False)
        else:
            files.append((relative, add_file(tar, path, name), path.stat().st_size))
    return files, skipped


def _stray(relative: str, runs: frozenset[str]) -> bool:
    """Whether ``relative`` lies in the lake's staging folder outside a run the database knows."""
    if not relative.startswith(STAGING + "/"):
        return False
    return relative[len(STAGING) + 1 :].split("/", 1)[0] not in runs
