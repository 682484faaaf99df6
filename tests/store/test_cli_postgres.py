"""The workspace commands with the system of record on the PostgreSQL test server."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

from prevdip.cli.app import app
from prevdip.settings import get_settings
from prevdip.store import head_revision

if TYPE_CHECKING:
    from conftest import PostgresServer

runner = CliRunner()
pytestmark = pytest.mark.postgres


def _json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def test_init_backup_and_restore_on_postgresql(
    no_workspace: Path, tmp_path: Path, bundle: Path, postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = no_workspace  # `prevdip init` makes it here, with its database on PostgreSQL
    first, second = postgres_server.create_database(), postgres_server.create_database()
    try:
        monkeypatch.setenv("PREVDIP_DATABASE_URL", postgres_server.url(first, password="s3cret"))
        get_settings.cache_clear()
        made = _json("init")
        masked = f"postgresql+psycopg://postgres:***@127.0.0.1:{postgres_server.port}/{first}"
        assert made == {"workspace": str(workspace.resolve()), "database": masked, "revision": head_revision()}
        assert not (workspace / "prevdip.sqlite").exists()
        shutil.copy(bundle / "tfdd" / "bar_events_CA_AFG_or_ARAL.csv", workspace / "lake" / "water.csv")
        saved = _json("backup", str(tmp_path / "pg.tar.gz"))
        assert saved["database"] == masked and saved["files"] == 1

        shutil.rmtree(workspace)
        monkeypatch.setenv("PREVDIP_DATABASE_URL", postgres_server.url(second))
        get_settings.cache_clear()
        assert _json("init")["revision"] == head_revision()  # a new machine: init, then restore into the empty records
        restored = _json("restore", str(tmp_path / "pg.tar.gz"))
        assert restored["revision"] == head_revision() and restored["records"] == saved["records"]
        assert _json("db", "current")["at_head"] is True
        water = (workspace / "lake" / "water.csv").read_bytes()
        assert water == (bundle / "tfdd" / "bar_events_CA_AFG_or_ARAL.csv").read_bytes()
    finally:
        postgres_server.drop_database(first)
        postgres_server.drop_database(second)
