"""Putting a restored workspace in place so that a crash at any moment is finished, or undone, by the next command.

A restore builds the new workspace beside the old one, then swaps them with two renames. Between the renames there
is no workspace at its path; a crash there used to leave it so. Now a journal, written and flushed before the first
rename, says what is being swapped; every command that needs the workspace (:func:`settle`, called by
``require_workspace`` and by the lake's reader) reads it and finishes the swap — or undoes it when the database half
never committed::

    <parent>/.<ws>.restore-<id>/workspace   the restored workspace, complete (its SQLite database inside it)
    <parent>/.<ws>.restore-<id>/scratch     the database member as unpacked (private, deleted with the folder)
    <parent>/.<ws>.replaced-<id>            the old workspace, between the two renames until it is deleted
    <parent>/.<ws>.restore.json             the journal

One restore at a time per folder: a restore holds an OS lock on the workspace's parent folder (released by the
kernel if it is killed). Leftovers of a restore killed before its journal was written are deleted by the next one.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prevdip.durability import PRIVATE_FILE, crash_point, fsync_folder, private_folder, write_atomically
from prevdip.errors import RefusedInput


def journal_path(workspace: Path) -> Path:
    return workspace.with_name(f".{workspace.name}.restore.json")


@contextmanager
def restore_lock(workspace: Path) -> Iterator[None]:
    """Hold the workspace's folder for one restore (or for settling what one left); a second one is refused."""
    workspace.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(workspace.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RefusedInput(
                f"a restore into {workspace.parent} is running", hint="wait for it to finish, then run again"
            ) from None
        yield
    finally:
        os.close(descriptor)


@dataclass(frozen=True)
class Swap:
    """The folders of one restore; :meth:`journal` is its point of no return, :meth:`finish` puts it in place."""

    workspace: Path
    folder: Path

    @classmethod
    def begin(cls, workspace: Path) -> Swap:
        folder = private_folder(workspace.with_name(f".{workspace.name}.restore-{uuid.uuid4().hex}"))
        (folder / "workspace").mkdir()
        private_folder(folder / "scratch")
        return cls(workspace, folder)

    @property
    def staging(self) -> Path:
        return self.folder / "workspace"

    @property
    def scratch(self) -> Path:
        return self.folder / "scratch"

    def journal(self, database: dict[str, Any]) -> None:
        """Record the swap (flushed) before anything is renamed: from here on it is finished, not undone — except
        that a PostgreSQL database whose transaction did not commit (``database["postgresql"]["xid"]``) undoes it."""
        shutil.rmtree(self.scratch, ignore_errors=True)
        entry = {
            "workspace": str(self.workspace),
            "folder": str(self.folder),
            "replaced": str(self.workspace.with_name(f".{self.workspace.name}.replaced-{uuid.uuid4().hex}")),
            "database": database,
        }
        write_atomically(journal_path(self.workspace), json.dumps(entry).encode("utf-8"), mode=PRIVATE_FILE)

    def finish(self) -> None:
        _roll_forward(_read_journal(self.workspace))

    def abandon(self) -> None:
        """Nothing was put in place: drop the restore's folders (and its journal, if it got that far)."""
        journal = journal_path(self.workspace)
        if journal.is_file():
            _roll_back(_read_journal(self.workspace))
        shutil.rmtree(self.folder, ignore_errors=True)


def settle(workspace: Path) -> None:
    """Finish (or undo) a restore into ``workspace`` that a crash interrupted (one look for its journal when
    there is none); refused while a restore is running."""
    if journal_path(workspace).is_file():
        with restore_lock(workspace):
            settle_locked(workspace)


def settle_locked(workspace: Path, *, tidy: bool = False) -> None:
    """:func:`settle` for a caller holding the restore lock; with ``tidy``, also delete what a restore killed
    before its journal left beside the workspace."""
    if journal_path(workspace).is_file():
        entry = _read_journal(workspace)
        (_roll_forward if _database_committed(entry) else _roll_back)(entry)
    if tidy:
        for prefix in (f".{workspace.name}.restore-", f".{workspace.name}.replaced-"):
            for leftover in workspace.parent.glob(prefix + "*"):
                shutil.rmtree(leftover, ignore_errors=True)


def _read_journal(workspace: Path) -> dict[str, Any]:
    try:
        return dict(json.loads(journal_path(workspace).read_text(encoding="utf-8")))
    except (OSError, ValueError) as problem:
        raise RefusedInput(
            f"the journal of an interrupted restore ({journal_path(workspace)}) cannot be read: {problem}",
            hint="restore the backup again with --force",
        ) from None


def _roll_forward(entry: dict[str, Any]) -> None:
    """The two renames, the SQLite file outside the workspace, then the journal and the old workspace go."""
    workspace, staging = Path(entry["workspace"]), Path(entry["folder"]) / "workspace"
    replaced = Path(entry["replaced"])
    if staging.exists():
        if workspace.exists():
            workspace.rename(replaced)
            crash_point("restore-between-renames")
        staging.rename(workspace)
        fsync_folder(workspace.parent)
    sqlite = entry["database"].get("sqlite")
    if sqlite is not None:
        staged, target = Path(sqlite[0]), Path(sqlite[1])
        if staged.exists():
            for companion in ("-wal", "-shm", "-journal"):  # an old WAL must never be replayed onto the new file
                target.with_name(target.name + companion).unlink(missing_ok=True)
            os.replace(staged, target)
            fsync_folder(target.parent)
    _close(entry)


def _roll_back(entry: dict[str, Any]) -> None:
    """The database never committed: the old workspace stays (or comes back), the restored one goes."""
    workspace, replaced = Path(entry["workspace"]), Path(entry["replaced"])
    if not workspace.exists() and replaced.exists():
        replaced.rename(workspace)
        fsync_folder(workspace.parent)
    sqlite = entry["database"].get("sqlite")
    if sqlite is not None:
        Path(sqlite[0]).unlink(missing_ok=True)
    _close(entry)


def _close(entry: dict[str, Any]) -> None:
    workspace = Path(entry["workspace"])
    journal_path(workspace).unlink(missing_ok=True)
    fsync_folder(workspace.parent)
    shutil.rmtree(entry["replaced"], ignore_errors=True)
    shutil.rmtree(entry["folder"], ignore_errors=True)


def _database_committed(entry: dict[str, Any]) -> bool:
    """Whether the database half of the swap is in place: always for SQLite (its file is staged whole before the
    journal); for PostgreSQL, whether the restore's transaction committed, asked of the server itself."""
    postgresql = entry["database"].get("postgresql")
    if postgresql is None:
        return True
    from sqlalchemy import text

    from prevdip.settings import get_settings
    from prevdip.store._engine import create_store_engine, masked

    url = get_settings().effective_database_url
    if masked(url) != postgresql["url"]:
        raise RefusedInput(
            f"a restore into {entry['workspace']} was interrupted; its database {postgresql['url']} decides whether "
            "it is finished or undone",
            hint="set PREVDIP_DATABASE_URL to that database and run the command again",
        )
    engine = create_store_engine(url)
    try:
        with engine.connect() as connection:
            status = connection.execute(text("select txid_status(:xid)"), {"xid": postgresql["xid"]}).scalar()
    finally:
        engine.dispose()
    return status == "committed"
