"""Restores and backups killed at their worst moments (``PREVDIP_CRASH_AT``): the next command finishes or undoes
what they left, readers never find the workspace missing, and nothing is left lying about.

Each test runs the real ``prevdip`` in a subprocess, kills it at one moment, then runs the next command as a user
would. On PostgreSQL the database half is a transaction: committed before the renames, so a crash between them is
finished; killed before its commit, the restore is undone — the server says which (``txid_status``).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from prevdip.events import ingest
from prevdip.settings import get_settings
from prevdip.store import init_workspace, open_store
from prevdip.store._records import dump_records

if TYPE_CHECKING:
    from conftest import PostgresServer

PREVDIP = str(Path(sys.executable).parent / "prevdip")
SAMPLE = Path("gdelt") / "gdelt2_events_20150218230000_sample100.tsv"


def _prevdip(*args: str, crash: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PREVDIP_CRASH_AT"}
    if crash is not None:
        env["PREVDIP_CRASH_AT"] = crash
    return subprocess.run([PREVDIP, *args], env=env, capture_output=True, text=True, timeout=300)


def _files(workspace: Path) -> dict[str, str]:
    return {
        p.relative_to(workspace).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in workspace.rglob("*")
        if p.is_file() and not p.name.startswith("prevdip.sqlite")
    }


def _records() -> dict[str, list[dict[str, Any]]]:
    with open_store() as store, store.engine.connect() as connection:
        return dump_records(connection)


def _leftovers(workspace: Path) -> list[str]:
    return sorted(p.name for p in workspace.parent.iterdir() if p.name.startswith("."))


def _saved_then_changed(workspace: Path, bundle: Path, archive: Path) -> tuple[dict[str, str], Any]:
    """A workspace with a real lake and an audit record, backed up, then changed: what the backup holds."""
    init_workspace()
    ingest("gdelt", [bundle / SAMPLE])
    with open_store() as store:
        store.audit.record("analyst", "warning:1", None, {"level": "watch"})
    assert _prevdip("backup", str(archive), "--json").returncode == 0
    saved = _files(workspace), _records()
    with open_store() as store:
        store.audit.record("analyst", "warning:2", None, {"level": "alert"})
    (workspace / "briefs" / "later.html").write_text("written after the backup")
    return saved


@pytest.mark.slow
def test_a_restore_killed_between_its_renames_is_finished_by_the_next_reader(
    configured: Path, bundle: Path, tmp_path: Path
) -> None:
    files, records = _saved_then_changed(configured, bundle, tmp_path / "centre.tar.gz")
    killed = _prevdip("restore", str(tmp_path / "centre.tar.gz"), "--force", crash="restore-between-renames")
    assert killed.returncode == -9, killed.stderr
    assert not configured.exists()  # the window the issue saw: no workspace at its path...
    assert any(name.endswith(".restore.json") for name in _leftovers(configured))

    read = _prevdip("events", "--json", "--limit", "0")  # ...the next command finishes the swap, then answers
    assert read.returncode == 0, read.stderr
    assert json.loads(read.stdout)["count"] == 100
    assert _files(configured) == files and _records() == records
    assert _leftovers(configured) == []


@pytest.mark.slow
def test_a_restore_with_its_database_outside_the_workspace_is_finished_whole(
    workspace: Path, bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SQLite file kept outside the workspace is replaced by the finishing command too, never half."""
    (tmp_path / "db").mkdir()
    monkeypatch.setenv("PREVDIP_DATABASE_URL", f"sqlite:///{tmp_path / 'db' / 'centre.sqlite'}")
    get_settings.cache_clear()
    files, records = _saved_then_changed(workspace, bundle, tmp_path / "centre.tar.gz")
    killed = _prevdip("restore", str(tmp_path / "centre.tar.gz"), "--force", crash="restore-between-renames")
    assert killed.returncode == -9
    assert _prevdip("runs", "--json").returncode == 0
    assert _files(workspace) == files and _records() == records
    assert sorted(p.name for p in (tmp_path / "db").iterdir() if p.name.startswith(".")) == []


@pytest.mark.postgres
@pytest.mark.slow
def test_a_postgresql_restore_killed_before_its_commit_is_undone(
    workspace: Path, bundle: Path, tmp_path: Path, postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = postgres_server.create_database()
    try:
        monkeypatch.setenv("PREVDIP_DATABASE_URL", postgres_server.url(name))
        get_settings.cache_clear()
        _saved_then_changed(workspace, bundle, tmp_path / "centre.tar.gz")
        files, records = _files(workspace), _records()  # as changed after the backup
        killed = _prevdip("restore", str(tmp_path / "centre.tar.gz"), "--force", crash="restore-before-database")
        assert killed.returncode == -9
        assert any(n.endswith(".restore.json") for n in _leftovers(workspace))  # journal written, no commit
        assert _prevdip("runs", "--json").returncode == 0
        assert _files(workspace) == files and _records() == records  # nothing of the restore: not its files either
        assert _leftovers(workspace) == []
    finally:
        get_settings.cache_clear()
        postgres_server.drop_database(name)


@pytest.mark.slow
def test_a_restore_killed_before_its_journal_changes_nothing_and_the_next_restore_sweeps_up(
    workspace: Path, bundle: Path, tmp_path: Path
) -> None:
    _saved_then_changed(workspace, bundle, tmp_path / "centre.tar.gz")
    files, records = _files(workspace), _records()
    killed = _prevdip("restore", str(tmp_path / "centre.tar.gz"), "--force", crash="restore-unpacked")
    assert killed.returncode == -9
    [leftover] = _leftovers(workspace)
    assert leftover.startswith(".workspace.restore-")
    assert (workspace.parent / leftover).stat().st_mode & 0o777 == 0o700
    assert _prevdip("events", "--json").returncode == 0 and _files(workspace) == files and _records() == records

    assert _prevdip("restore", str(tmp_path / "centre.tar.gz"), "--force", "--json").returncode == 0
    assert _leftovers(workspace) == []


@pytest.mark.slow
def test_a_backup_killed_mid_archive_leaves_only_private_files_which_the_next_backup_removes(
    workspace: Path, bundle: Path, tmp_path: Path
) -> None:
    init_workspace()
    ingest("gdelt", [bundle / SAMPLE])
    killed = _prevdip("backup", str(tmp_path / "centre.tar.gz"), crash="backup-mid-archive")
    assert killed.returncode == -9
    [part] = tmp_path.glob(".centre.tar.gz.*.part")
    [scratch] = (workspace / "lake" / ".staging").glob("backup-*")
    assert part.stat().st_mode & 0o777 == 0o600 and scratch.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in scratch.iterdir())
    assert not (tmp_path / "centre.tar.gz").exists()

    made = _prevdip("backup", str(tmp_path / "centre.tar.gz"), "--json")
    assert made.returncode == 0, made.stderr
    assert list(tmp_path.glob(".centre.tar.gz.*")) == [] and list((workspace / "lake" / ".staging").iterdir()) == []
    assert (tmp_path / "centre.tar.gz").stat().st_mode & 0o777 == 0o600
