"""The workspace: one folder holding the event lake, the SQLite system of record, frozen forecasts and briefs.

``prevdip init`` makes it (again and again, harmlessly) and migrates its database; commands that need it call
:func:`require_workspace`, which first finishes a restore a crash interrupted (:mod:`prevdip.store._swap`) and
then tells the user to run ``prevdip init`` when the workspace is missing — every reader refuses a missing workspace
rather than answer as if it were empty.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from prevdip.catalogue import Workspace
from prevdip.errors import RefusedInput
from prevdip.settings import Settings, get_settings, resolve_workspace
from prevdip.store._engine import create_store_engine, masked, sqlite_path
from prevdip.store._schema import upgrade
from prevdip.store._swap import settle

#: The folders every workspace has: the event lake, frozen forecast vintages and rendered briefs.
WORKSPACE_FOLDERS = Workspace.FOLDERS


def require_workspace(workspace: Path | None = None) -> Path:
    """The workspace folder (default: the settings'), refusing one that ``prevdip init`` has not made."""
    path = resolve_workspace(workspace)
    settle(path)
    if not Workspace(path).lake.is_dir():
        raise RefusedInput(
            f"no prevdip workspace at {path}",
            hint="run `prevdip init` (or set PREVDIP_WORKSPACE to an existing workspace)",
        )
    return path


@dataclass(frozen=True)
class InitReport:
    """What ``prevdip init`` made: the workspace, its database (password masked) and the schema revision."""

    workspace: Path
    database: str
    revision: str | None

    def as_dict(self) -> dict[str, str | None]:
        return {"workspace": str(self.workspace), "database": self.database, "revision": self.revision}


def init_workspace(settings: Settings | None = None) -> InitReport:
    """Create the workspace folders and migrate the database to the head; safe to run again.

    A database elsewhere (PostgreSQL, or SQLite outside the workspace) is reached first, so an unreachable one
    is refused before any folder is made.
    """
    settings = settings if settings is not None else get_settings()
    workspace = settings.workspace.resolve()
    settle(workspace)
    if workspace.exists() and not workspace.is_dir():
        raise RefusedInput(f"the workspace {workspace} is a file, not a folder", hint="choose another --workspace")
    url = settings.effective_database_url
    database_file = sqlite_path(url)
    inside = database_file is not None and database_file.is_relative_to(workspace)
    engine = None if inside else create_store_engine(url, must_exist=False)
    for folder in WORKSPACE_FOLDERS:
        (workspace / folder).mkdir(parents=True, exist_ok=True)
    engine = engine or create_store_engine(url, must_exist=False)
    try:
        revision = upgrade(engine)
    finally:
        engine.dispose()
    return InitReport(workspace=workspace, database=masked(url), revision=revision)


@contextmanager
def lake_lock(workspace: Path) -> Iterator[None]:
    """The lake has one writer at a time — an ingest, or a backup or restore, which need it still: a second one is
    refused rather than left to undo the first's staging or to copy half a run.

    An OS lock on the lake's folder itself, released by the kernel even when its holder is killed (so a crashed
    run never blocks the next one), and leaving nothing on disk.
    """
    lake = Workspace(workspace).lake
    lake.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(lake, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RefusedInput(
                f"another ingest, backup or restore holds the lake of {workspace}",
                hint="wait for it to finish, then run again",
            ) from None
        yield
    finally:
        os.close(descriptor)
