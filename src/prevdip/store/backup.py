"""``prevdip backup``: the whole workspace in one archive — lake files byte for byte, database record for record.

SQLite is copied with its online backup API, so the copy is consistent even while prevdip writes; any other
database (PostgreSQL) is read in one repeatable-read transaction and stored as JSON records. The archive is
written beside its destination and renamed into place, so a failed backup leaves no half-written file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tarfile
import tempfile
import uuid
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine

import prevdip
from prevdip.errors import RefusedInput
from prevdip.settings import Settings, get_settings
from prevdip.store._archive import (
    CHECKSUMS,
    FORMAT,
    FORMAT_VERSION,
    LOCAL_SETTINGS,
    MANIFEST,
    RECORDS_MEMBER,
    SQLITE_MEMBER,
    WORKSPACE_PREFIX,
    add_bytes,
    add_file,
    add_json,
    sha256_of,
    sqlite_companions,
)
from prevdip.store._engine import create_store_engine, masked, sqlite_path
from prevdip.store._records import count_records, dump_records
from prevdip.store._schema import require_known_revision
from prevdip.store.workspace import require_workspace


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
            "skipped": self.skipped,
        }


@dataclass(frozen=True)
class _Snapshot:
    member: str
    path: Path
    dialect: str
    records: dict[str, int]


def backup_workspace(archive: Path, *, force: bool = False, settings: Settings | None = None) -> BackupReport:
    """Write the workspace and its database to ``archive`` (a ``.tar.gz``); ``force`` overwrites a file."""
    settings = settings if settings is not None else get_settings()
    workspace = require_workspace(settings.workspace)
    archive = _destination(archive, workspace, force=force)
    url = settings.effective_database_url
    engine = create_store_engine(url)
    partial = archive.with_name(f".{archive.name}.{uuid.uuid4().hex}.part")
    try:
        revision = require_known_revision(engine)
        database_file = sqlite_path(url)
        skip = sqlite_companions(database_file) if database_file is not None else set()
        with tempfile.TemporaryDirectory(prefix="prevdip-backup-") as scratch:
            snapshot = _snapshot(engine, revision, Path(scratch))
            with tarfile.open(partial, "w:gz") as tar:
                add_json(tar, MANIFEST, _manifest(snapshot, revision, workspace))
                add_file(tar, snapshot.path, snapshot.member)
                files, skipped = _add_workspace(tar, workspace, skip)
                add_bytes(tar, CHECKSUMS, "".join(f"{sha}  {name}\n" for name, sha, _ in files).encode("utf-8"))
        os.replace(partial, archive)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
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
        skipped=skipped,
    )


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
        with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(copy)) as frozen:
            live.backup(frozen)
            frozen.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        reader = create_engine(f"sqlite:///{copy}")
        try:
            with reader.connect() as connection:
                records = count_records(connection)
        finally:
            reader.dispose()
        return _Snapshot(SQLITE_MEMBER, copy, "sqlite", records)
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            tables = dump_records(connection)
    dump = scratch / "records.json"
    dump.write_text(
        json.dumps({"dialect": engine.dialect.name, "revision": revision, "tables": tables}, ensure_ascii=False),
        encoding="utf-8",
    )
    return _Snapshot(RECORDS_MEMBER, dump, engine.dialect.name, {name: len(rows) for name, rows in tables.items()})


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
        },
    }


def _add_workspace(
    tar: tarfile.TarFile, workspace: Path, skip: set[Path]
) -> tuple[list[tuple[str, str, int]], list[str]]:
    """Add folders and files; returns (path, sha256, size) of each file and the symlinks left out."""
    files: list[tuple[str, str, int]] = []
    skipped: list[str] = []
    for path in sorted(workspace.rglob("*")):
        relative = path.relative_to(workspace).as_posix()
        if path in skip or relative == LOCAL_SETTINGS:
            continue
        name = f"{WORKSPACE_PREFIX}/{relative}"
        if path.is_symlink() or not (path.is_dir() or path.is_file()):
            skipped.append(relative)
        elif path.is_dir():
            tar.add(str(path), arcname=name, recursive=False)
        else:
            files.append((relative, add_file(tar, path, name), path.stat().st_size))
    return files, skipped
