"""``prevdip restore``: a backup archive back into the workspace and database, all or nothing, crash or not.

The archive is unpacked beside the workspace into a private folder and checked whole — every file and the database
against their sha256, gzip's CRC, the signature when the centre set a backup key — before anything is touched. The
database is rebuilt (a SQLite file staged, checked by SQLite's own ``integrity_check`` and its record counts; or a
PostgreSQL database migrated and filled in one transaction, its counts checked) and migrated to this prevdip's
head. Then a journal is written and the new workspace is swapped in with two renames (:mod:`prevdip.store._swap`):
a crash from there on is finished by the next command; one before it leaves the old workspace and database as they
were, and the next restore deletes its leftovers. A workspace or database that already holds data is replaced only
with ``force``. Anything that is not a complete prevdip backup is refused before the workspace is touched, and so is
an archive carrying settings: a restore never writes ``prevdip.toml``.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from contextlib import closing, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, text

from prevdip.catalogue import Workspace
from prevdip.durability import PRIVATE_FILE, crash_point, fsync_file
from prevdip.errors import RefusedInput
from prevdip.settings import Settings, get_settings
from prevdip.store._archive import LOCAL_SETTINGS, RECORDS_MEMBER, SQLITE_MEMBER, sqlite_companions
from prevdip.store._engine import create_store_engine, masked, sqlite_path
from prevdip.store._records import count_records, dump_records, load_records
from prevdip.store._schema import current_revision, head_revision, migrate_connection, upgrade
from prevdip.store._swap import Swap, restore_lock, settle_locked
from prevdip.store._unpack import Unpacked, unpack
from prevdip.store.workspace import lake_lock

#: A lock file is not data: a workspace holding only it (and its database) counts as empty.
RUNTIME = ("lake/.writer.lock",)


@dataclass(frozen=True)
class RestoreReport:
    """What a restore put back, and what it checked."""

    restored: Path
    workspace: Path
    database: str
    revision: str  # the backup's
    migrated_to: str  # this prevdip's head, where the restored database now is
    files: int
    records: dict[str, int]
    signed: bool  # its signature was verified with the centre's backup key

    def as_dict(self) -> dict[str, Any]:
        return {
            "restored": str(self.restored),
            "workspace": str(self.workspace),
            "database": self.database,
            "revision": self.revision,
            "migrated_to": self.migrated_to,
            "files": self.files,
            "records": self.records,
            "signed": self.signed,
        }


def restore_workspace(archive: Path, *, force: bool = False, settings: Settings | None = None) -> RestoreReport:
    """Restore ``archive`` into the settings' workspace and database (empty ones, or any with ``force``)."""
    settings = settings if settings is not None else get_settings()
    archive = archive.resolve()
    if not archive.is_file():
        raise RefusedInput(f"no backup file at {archive}", hint="give the FILE `prevdip backup` wrote")
    workspace = settings.workspace.resolve()
    if workspace.exists() and not workspace.is_dir():
        raise RefusedInput(f"the workspace {workspace} is a file, not a folder", hint="set PREVDIP_WORKSPACE")
    url = settings.effective_database_url
    target_file = sqlite_path(url)
    key = None if settings.backup_key is None else settings.backup_key.get_secret_value()
    with restore_lock(workspace):
        settle_locked(workspace, tidy=True)  # an earlier restore's crash is finished, its leftovers deleted
        # A database outside the workspace is reached before anything is unpacked.
        engine = None if target_file is not None else create_store_engine(url, must_exist=False)
        try:
            if not force:
                _refuse_if_holding_data(workspace, target_file, engine)
            with _lake_held(workspace):
                swap = Swap.begin(workspace)
                try:
                    unpacked = unpack(archive, swap.staging, swap.scratch, key=key)
                    crash_point("restore-unpacked")
                    if (workspace / LOCAL_SETTINGS).is_file():  # this machine's settings stay where they are
                        shutil.copy2(workspace / LOCAL_SETTINGS, swap.staging / LOCAL_SETTINGS)
                    records = _restore_database(unpacked, swap, target_file, engine, archive)
                except BaseException:
                    swap.abandon()
                    raise
                swap.finish()  # from the journal on, a failure here is finished by the next command
        finally:
            if engine is not None:
                engine.dispose()
    return RestoreReport(
        archive, workspace, masked(url), unpacked.revision, head_revision(), unpacked.files, records, unpacked.signed
    )


def _lake_held(workspace: Path) -> Any:
    """The workspace being replaced keeps its lake still: no ingest or backup while the restore runs."""
    return lake_lock(workspace) if Workspace(workspace).lake.is_dir() else nullcontext()


def _refuse_if_holding_data(workspace: Path, target_file: Path | None, engine: Engine | None) -> None:
    keep = sqlite_companions(target_file) if target_file is not None else set()
    if workspace.is_dir():
        for path in sorted(workspace.rglob("*")):
            relative = path.relative_to(workspace).as_posix()
            if path.is_file() and path not in keep and relative != LOCAL_SETTINGS and relative not in RUNTIME:
                raise RefusedInput(
                    f"the workspace {workspace} already holds files ({path.relative_to(workspace)})",
                    hint="restore into an empty workspace, or pass --force to replace it",
                )
    if engine is not None:
        held, where = _records_held(engine), masked(engine.url)
    elif target_file is not None and target_file.is_file():
        probe = create_engine(f"sqlite:///{target_file}")
        try:
            held, where = _records_held(probe), str(target_file)
        finally:
            probe.dispose()
    else:
        return
    if held:
        raise RefusedInput(
            f"the database {where} already holds {held} records",
            hint="restore into an empty database, or pass --force to replace it",
        )


def _records_held(engine: Engine) -> int:
    if current_revision(engine) is None:
        return 0
    with engine.connect() as connection:
        return sum(count_records(connection).values())


def _restore_database(
    unpacked: Unpacked, swap: Swap, target_file: Path | None, engine: Engine | None, archive: Path
) -> dict[str, int]:
    """Rebuild the database, checked, and write the swap's journal; returns the record counts."""
    if target_file is None:
        assert engine is not None
        return _fill_database(unpacked, engine, swap, archive)
    inside = target_file.is_relative_to(swap.workspace)
    destination = (
        swap.staging / target_file.relative_to(swap.workspace)
        if inside
        else target_file.with_name(f".{target_file.name}.restore-{uuid.uuid4().hex}")
    )
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        records = _rebuild_sqlite(unpacked, destination, archive)
        fsync_file(destination)
        swap.journal({} if inside else {"sqlite": [str(destination), str(target_file)]})
    except BaseException:
        if not inside:  # a database outside the workspace is staged beside it: leave nothing there
            for leftover in sqlite_companions(destination):
                leftover.unlink(missing_ok=True)
        raise
    return records


def _rebuild_sqlite(unpacked: Unpacked, destination: Path, archive: Path) -> dict[str, int]:
    """The backup's database as a SQLite file at ``destination`` (private), checked, migrated to this prevdip's
    head."""
    if unpacked.database_member == SQLITE_MEMBER:
        shutil.move(unpacked.database, destination)
        os.chmod(destination, PRIVATE_FILE)
        _check_sqlite(destination, archive)
        restored = create_store_engine(f"sqlite:///{destination}", must_exist=True)
        try:
            with restored.connect() as connection:
                records = count_records(connection)
            _check_counts(archive, records, unpacked.records)
            upgrade(restored)  # a backup of an older prevdip: bring it to this one's schema while still staged
            return records
        finally:
            restored.dispose()
    os.close(os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    fresh = create_store_engine(f"sqlite:///{destination}", must_exist=True)
    try:
        upgrade(fresh, unpacked.revision)
        with fresh.begin() as connection:
            records = load_records(connection, _records_of(unpacked))
        _check_counts(archive, records, unpacked.records)
        upgrade(fresh)
    finally:
        fresh.dispose()
    _check_sqlite(destination, archive)
    return records


def _check_sqlite(path: Path, archive: Path) -> None:
    """SQLite's own check of every page and index, and of every foreign key."""
    import sqlite3

    try:
        with closing(sqlite3.connect(path)) as connection:
            verdict = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            dangling = connection.execute("PRAGMA foreign_key_check").fetchall()
    except sqlite3.DatabaseError as problem:
        verdict, dangling = [str(problem)], []
    if verdict != ["ok"] or dangling:
        found = "; ".join(verdict[:3]) if verdict != ["ok"] else f"{len(dangling)} records point at missing ones"
        raise RefusedInput(
            f"{archive} is damaged: its database fails SQLite's integrity check ({found})",
            hint="use another copy of the backup",
        )


def _check_counts(archive: Path, restored: dict[str, int], listed: dict[str, int]) -> None:
    """The records restored are those the backup counted when it was made."""
    for table in sorted(set(restored) | set(listed)):
        if listed and restored.get(table, 0) != listed.get(table, 0):
            raise RefusedInput(
                f"{archive} is damaged: its database holds {restored.get(table, 0)} records of {table}, "
                f"its manifest counted {listed.get(table, 0)}",
                hint="use another copy of the backup",
            )


def _fill_database(unpacked: Unpacked, engine: Engine, swap: Swap, archive: Path) -> dict[str, int]:
    """Migrate ``engine``'s database to the backup's revision, insert its records and migrate on to this prevdip's
    head, in one transaction — which commits only after the swap's journal names it, so a crash between the two is
    finished (committed) or undone (not) by the next command, as the server says."""
    tables = _records_of(unpacked)
    try:
        with engine.begin() as connection:
            migrate_connection(connection, to=unpacked.revision, start_from_base=True)
            records = load_records(connection, tables)
            _check_counts(archive, records, unpacked.records)
            migrate_connection(connection, to="head")
            xid = connection.execute(text("select txid_current()")).scalar_one()
            swap.journal({"postgresql": {"xid": int(xid), "url": masked(engine.url)}})
            crash_point("restore-before-database")
            return records
    except CommandError as problem:
        raise RefusedInput(f"cannot rebuild {masked(engine.url)}: {problem}", hint="use an empty database") from None


def _records_of(unpacked: Unpacked) -> dict[str, list[dict[str, Any]]]:
    if unpacked.database_member == RECORDS_MEMBER:
        return dict(json.loads(unpacked.database.read_text(encoding="utf-8"))["tables"])
    reader = create_engine(f"sqlite:///{unpacked.database}")
    try:
        with reader.connect() as connection:
            return dump_records(connection)
    finally:
        reader.dispose()
