"""``prevdip init``, ``settings``, ``backup``, ``restore`` and ``db`` as a user runs them (SQLite workspace)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from prevdip.cli.app import app
from prevdip.settings import get_settings
from prevdip.store import head_revision

HEAD = head_revision()

runner = CliRunner()


def _json(*args: str) -> dict[str, Any]:
    """Run a command with --json; it must succeed and print exactly one JSON object, nothing else."""
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # fails on anything beside the one object
    assert isinstance(data, dict) and result.stdout.strip().count("\n") == 0
    return data


def _refused(*args: str) -> str:
    """Run a command that must be refused: exit 2, one line on stderr, no traceback, nothing on stdout."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.stdout == ""
    assert result.stderr.startswith("prevdip: error: ") and result.stderr.count("\n") == 1
    return result.stderr


def test_init_makes_the_workspace_and_is_idempotent(no_workspace: Path) -> None:
    first = _json("init")
    assert first == {
        "workspace": str(no_workspace.resolve()),
        "database": f"sqlite:///{no_workspace.resolve() / 'prevdip.sqlite'}",
        "revision": HEAD,
    }
    assert all((no_workspace / folder).is_dir() for folder in ("lake", "vintages", "briefs"))
    (no_workspace / "lake" / "kept.parquet").write_bytes(b"PAR1")
    assert _json("init") == first
    assert (no_workspace / "lake" / "kept.parquet").read_bytes() == b"PAR1"
    with sqlite3.connect(no_workspace / "prevdip.sqlite") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_init_into_another_folder(no_workspace: Path, tmp_path: Path) -> None:
    data = _json("init", "--workspace", str(tmp_path / "elsewhere"))
    assert data["workspace"] == str((tmp_path / "elsewhere").resolve())
    assert (tmp_path / "elsewhere" / "prevdip.sqlite").is_file() and not no_workspace.exists()


def test_init_shows_a_table_without_json(no_workspace: Path) -> None:
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0 and "workspace ready" in result.stdout and HEAD in result.stdout


def test_settings_mask_secrets(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREVDIP_DATABASE_URL", "postgresql+psycopg://centre:s3cret@db.example/prevdip")
    monkeypatch.setenv("PREVDIP_ACLED_KEY", "acled-k3y")
    get_settings.cache_clear()
    result = runner.invoke(app, ["settings", "--json"])
    assert result.exit_code == 0 and "s3cret" not in result.output and "acled-k3y" not in result.output
    data = json.loads(result.stdout)
    assert data["database_url"] == "postgresql+psycopg://centre:***@db.example/prevdip"
    assert data["acled_key"] == "***" and data["workspace"] == str(workspace)


def test_db_current_downgrade_and_upgrade(workspace: Path) -> None:
    _json("init")
    database = f"sqlite:///{workspace.resolve() / 'prevdip.sqlite'}"
    assert _json("db", "current") == {"database": database, "revision": HEAD, "head": HEAD, "at_head": True}
    assert _json("db", "downgrade", "base") == {"database": database, "from": HEAD, "revision": None, "head": HEAD}
    assert _json("db", "current")["at_head"] is False
    assert "has no prevdip tables" in _refused("backup", str(workspace.parent / "b.tar.gz"))
    assert _json("db", "upgrade") == {"database": database, "from": None, "revision": HEAD, "head": HEAD}


def test_backup_and_restore_round_trip(workspace: Path, bundle: Path, tmp_path: Path) -> None:
    _json("init")
    lake_file = workspace / "lake" / "series" / "country_month_deaths.csv"
    lake_file.parent.mkdir()
    shutil.copy(bundle / "ucdp" / "country_month_best_deaths_ucdpnames.csv", lake_file)
    made = _json("backup", str(tmp_path / "centre.tar.gz"))
    assert made["files"] == 1 and made["bytes"] == lake_file.stat().st_size and made["revision"] == HEAD
    keys = {"backup", "workspace", "database", "revision", "files", "bytes", "records", "sha256", "signed", "skipped"}
    assert set(made) == keys

    assert "already exists" in _refused("backup", str(tmp_path / "centre.tar.gz"))
    assert "already holds files" in _refused("restore", str(tmp_path / "centre.tar.gz"))
    shutil.rmtree(workspace)
    restored = _json("restore", str(tmp_path / "centre.tar.gz"))
    assert restored["files"] == 1 and restored["workspace"] == str(workspace.resolve())
    assert lake_file.read_bytes() == (bundle / "ucdp" / "country_month_best_deaths_ucdpnames.csv").read_bytes()
    assert _json("db", "current")["at_head"] is True


def test_a_missing_workspace_says_to_run_init(no_workspace: Path, tmp_path: Path) -> None:
    assert "run `prevdip init`" in _refused("backup", str(tmp_path / "b.tar.gz"))
    assert "run `prevdip init`" in _refused("db", "current")


def test_a_file_that_is_not_a_backup_exits_2(workspace: Path, bundle: Path) -> None:
    _json("init")
    message = _refused("restore", str(bundle / "ucdp" / "ged211_reduced_global.csv.gz"), "--force")
    assert "is not a prevdip backup" in message


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql+psycopg://centre:s3cret@127.0.0.1:1/prevdip", "cannot reach the database"),
        ("not a url", "is not a database URL"),
        ("oracle+nosuchdriver://x@y/z", "no database driver"),
    ],
)
def test_a_bad_database_url_exits_2(url: str, message: str, workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREVDIP_DATABASE_URL", url)
    get_settings.cache_clear()
    for command in (["init"], ["db", "current"], ["db", "upgrade"]):
        refusal = _refused(*command)
        assert message in refusal and "s3cret" not in refusal


def test_an_unknown_revision_exits_2(workspace: Path) -> None:
    _json("init")
    with sqlite3.connect(workspace / "prevdip.sqlite") as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff0000'")
    for command in (["init"], ["db", "upgrade"], ["db", "current"], ["backup", str(workspace.parent / "b.tar.gz")]):
        assert "which this prevdip does not know" in _refused(*command)
