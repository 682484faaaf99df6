"""``prevdip restore``: a backup archive back into the workspace and database, all or nothing.

The archive is unpacked beside the workspace and every file checked against its sha256; the database is rebuilt
(a SQLite file put in place, or a PostgreSQL database migrated and filled in one transaction); only then is the
new workspace renamed over the old one. A backup made by an older prevdip is migrated to this prevdip's schema
before anything is put in place (records first at the backup's revision, then every later migration), so the
restored workspace works at once. A workspace or database that already holds data is replaced only with ``force``.
Anything that is not a prevdip backup is refused before the workspace is touched.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.util import CommandError
from sqlalchemy import Engine, create_engine

from prevdip.errors import RefusedInput
from prevdip.settings import Settings, get_settings
from prevdip.store._archive import LOCAL_SETTINGS, RECORDS_MEMBER, SQLITE_MEMBER, sqlite_companions
from prevdip.store._engine import create_store_engine, masked, sqlite_path
from prevdip.store._records import count_records, dump_records, load_records
from prevdip.store._schema import current_revision, head_revision, migrate_connection, upgrade
from prevdip.store._unpack import Unpacked, unpack


@dataclass(frozen=True)
class RestoreReport:
    """What a restore put back."""

    restored: Path
    workspace: Path
    database: str
    revision: str  # the backup's
    migrated_to: str  # this prevdip's head, where the restored database now is
    files: int
    records: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {
            "restored": str(self.restored),
            "workspace": str(self.workspace),
            "database": self.database,
            "revision": self.revision,
            "migrated_to": self.migrated_to,
            "files": self.files,
            "records": self.records,
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
    # A database outside the workspace is reached before anything is unpacked.
    engine = None if target_file is not None else create_store_engine(url, must_exist=False)
    try:
        if not force:
            _refuse_if_holding_data(workspace, target_file, engine)
        workspace.parent.mkdir(parents=True, exist_ok=True)
        staging = workspace.with_name(f".{workspace.name}.restore-{uuid.uuid4().hex}")
        staging.mkdir()
        try:
            with tempfile.TemporaryDirectory(dir=workspace.parent, prefix=".prevdip-restore-") as scratch:
                unpacked = unpack(archive, staging, Path(scratch))
                records, replace = _restore_database(unpacked, workspace, staging, target_file, engine)
                try:
                    if (workspace / LOCAL_SETTINGS).is_file():
                        shutil.copy2(workspace / LOCAL_SETTINGS, staging / LOCAL_SETTINGS)
                    _swap(staging, workspace)
                    if replace is not None:
                        _replace_sqlite(replace, target_file)
                except BaseException:
                    _discard(replace)
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    finally:
        if engine is not None:
            engine.dispose()
    return RestoreReport(archive, workspace, masked(url), unpacked.revision, head_revision(), unpacked.files, records)


def _refuse_if_holding_data(workspace: Path, target_file: Path | None, engine: Engine | None) -> None:
    keep = sqlite_companions(target_file) if target_file is not None else set()
    if workspace.is_dir():
        for path in sorted(workspace.rglob("*")):
            if path.is_file() and path not in keep and path.relative_to(workspace).as_posix() != LOCAL_SETTINGS:
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
    unpacked: Unpacked, workspace: Path, staging: Path, target_file: Path | None, engine: Engine | None
) -> tuple[dict[str, int], Path | None]:
    """Rebuild the database; returns the record counts and, for SQLite outside the workspace, the new file."""
    if target_file is None:
        assert engine is not None
        return _fill_database(unpacked, engine), None
    inside = target_file.is_relative_to(workspace)
    destination = (
        staging / target_file.relative_to(workspace)
        if inside
        else target_file.with_name(f".{target_file.name}.restore-{uuid.uuid4().hex}")
    )
    destination.parent.mkdir(parents=True, exist_ok=True)
    replace = None if inside else destination
    try:
        return _rebuild_sqlite(unpacked, destination), replace
    except BaseException:
        _discard(replace)  # a database outside the workspace is staged beside it: leave nothing there
        raise


def _discard(staged: Path | None) -> None:
    if staged is not None:
        for leftover in sqlite_companions(staged):
            leftover.unlink(missing_ok=True)


def _rebuild_sqlite(unpacked: Unpacked, destination: Path) -> dict[str, int]:
    """The backup's database as a SQLite file at ``destination``, migrated to this prevdip's head."""
    if unpacked.database_member == SQLITE_MEMBER:
        shutil.move(unpacked.database, destination)
        restored = create_store_engine(f"sqlite:///{destination}", must_exist=True)
        try:
            with restored.connect() as connection:
                records = count_records(connection)
            upgrade(restored)  # a backup of an older prevdip: bring it to this one's schema while still staged
            return records
        finally:
            restored.dispose()
    fresh = create_store_engine(f"sqlite:///{destination}", must_exist=False)
    try:
        upgrade(fresh, unpacked.revision)
        with fresh.begin() as connection:
            records = load_records(connection, _records_of(unpacked))
        upgrade(fresh)
        return records
    finally:
        fresh.dispose()


def _fill_database(unpacked: Unpacked, engine: Engine) -> dict[str, int]:
    """Migrate ``engine``'s database to the backup's revision, insert its records and migrate on to this prevdip's
    head, in one transaction."""
    tables = _records_of(unpacked)
    try:
        with engine.begin() as connection:
            migrate_connection(connection, to=unpacked.revision, start_from_base=True)
            records = load_records(connection, tables)
            migrate_connection(connection, to="head")
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


def _swap(staging: Path, workspace: Path) -> None:
    """Put the restored workspace in place with two renames, the old one back if the second fails."""
    if not workspace.exists():
        staging.rename(workspace)
        return
    old = workspace.with_name(f".{workspace.name}.replaced-{uuid.uuid4().hex}")
    workspace.rename(old)
    try:
        staging.rename(workspace)
    except BaseException:
        old.rename(workspace)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _replace_sqlite(new: Path, target: Path | None) -> None:
    assert target is not None
    for companion in sqlite_companions(target) - {target}:
        companion.unlink(missing_ok=True)  # an old WAL must never be replayed onto the new file
    os.replace(new, target)
