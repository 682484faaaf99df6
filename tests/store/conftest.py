"""Storage fixtures: a real PostgreSQL server started on 127.0.0.1 for the session, and databases on both backends.

The server comes from the Debian ``postgresql`` package (``initdb``/``pg_ctl``), runs in a temporary folder on a
free port with trust authentication, and is stopped when the session ends. PostgreSQL refuses to run as root, so
as root it runs as the ``postgres`` user. Missing binaries fail the tests that need them — never a silent skip:
``make test`` installs the package.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine

from prevdip.settings import get_settings
from prevdip.store import Store, create_store_engine, init_workspace, open_store, upgrade

SERVER_SETTINGS = (
    "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
)


@dataclass(frozen=True)
class PostgresServer:
    """A running throwaway PostgreSQL server; each test gets its own database in it."""

    port: int

    def url(self, database: str, *, password: str | None = None) -> str:
        user = "postgres" if password is None else f"postgres:{password}"
        return f"postgresql+psycopg://{user}@127.0.0.1:{self.port}/{database}"

    def _admin(self) -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True)

    def create_database(self) -> str:
        name = f"prevdip_{uuid.uuid4().hex[:12]}"
        with self._admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        with self._admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _binaries() -> tuple[Path, Path]:
    candidates = [Path(os.environ.get("PREVDIP_PG_BIN", "/usr/lib/postgresql/15/bin"))]
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder / "initdb", folder / "pg_ctl"
    on_path = shutil.which("initdb"), shutil.which("pg_ctl")
    if on_path[0] and on_path[1]:
        return Path(on_path[0]), Path(on_path[1])
    pytest.fail(
        "PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or on PATH: "
        "install the Debian package `postgresql` (`make test` does so as root) or set PREVDIP_PG_BIN",
        pytrace=False,
    )


def _as_server_user(folder: Path) -> list[str]:
    """Command prefix running PostgreSQL as ``postgres`` when we are root (it refuses to run as root)."""
    if os.geteuid() != 0:
        return []
    try:
        account = pwd.getpwnam("postgres")
    except KeyError:
        pytest.fail("running as root but there is no `postgres` user to run the test server", pytrace=False)
    os.chown(folder, account.pw_uid, account.pw_gid)
    return ["runuser", "-u", "postgres", "--"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(command: list[str], log: Path | None = None) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = log.read_text(errors="replace")[-2000:] if log is not None and log.exists() else ""
        pytest.fail(f"{' '.join(command[:4])} failed: {done.stderr.strip()} {detail}", pytrace=False)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server on 127.0.0.1 for this test session (one per xdist worker)."""
    initdb, pg_ctl = _binaries()
    folder = Path(tempfile.mkdtemp(prefix="prevdip-pg-"))
    prefix = _as_server_user(folder)
    data, log = folder / "data", folder / "server.log"
    _run([*prefix, str(initdb), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "-N"])
    port = _free_port()
    options = f"-p {port} -k {folder} {SERVER_SETTINGS}"
    _run([*prefix, str(pg_ctl), "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start"], log)
    try:
        yield PostgresServer(port)
    finally:
        subprocess.run([*prefix, str(pg_ctl), "-D", str(data), "-m", "immediate", "-w", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on each backend: a SQLite file, or a fresh database on the test server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'records.sqlite'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.create_database()
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)


@pytest.fixture
def migrated(database_url: str) -> Iterator[Engine]:
    """An engine on a database migrated to the head."""
    engine = create_store_engine(database_url, must_exist=False)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def store(migrated: Engine) -> Iterator[Store]:
    """The system of record on each backend, at the head."""
    with open_store(migrated.url.render_as_string(hide_password=False)) as opened:
        yield opened


@pytest.fixture(params=BACKENDS)
def configured(request: pytest.FixtureRequest, workspace: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh workspace as `prevdip init` makes it, its database the default SQLite file or a fresh PostgreSQL
    database (then no SQLite file: init made the workspace's folders and migrated PostgreSQL)."""
    if request.param == "sqlite":
        yield workspace
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.create_database()
    monkeypatch.setenv("PREVDIP_DATABASE_URL", server.url(name))
    get_settings.cache_clear()
    for made in workspace.glob("prevdip.sqlite*"):
        made.unlink()
    init_workspace()
    try:
        yield workspace
    finally:
        get_settings.cache_clear()
        server.drop_database(name)


NEXT_MIGRATION = '''"""A later change as the next domain would write it: a column added to a table others point at."""

import sqlalchemy as sa
from alembic import op

revision = "{next}"
down_revision = "{head}"
branch_labels = None
depends_on = None


def _rebuild() -> str:
    return "always" if op.get_bind().dialect.name == "sqlite" else "auto"  # SQLite rebuilds the table


def upgrade() -> None:
    with op.batch_alter_table("ingest_runs", recreate=_rebuild()) as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ingest_runs", recreate=_rebuild()) as batch:
        batch.drop_column("note")
'''


@pytest.fixture
def next_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The shipped migrations plus the next revision after the head, as a newer prevdip would ship them."""
    from prevdip.store import _schema

    head = _schema.head_revision()
    following = f"{int(head) + 1:04d}"
    folder = tmp_path / "migrations"
    shutil.copytree(_schema.MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    script = NEXT_MIGRATION.replace("{next}", following).replace("{head}", head)
    (folder / "versions" / f"{following}_ingest_run_note.py").write_text(script)
    monkeypatch.setattr(_schema, "MIGRATIONS", folder)
    _schema.script_directory.cache_clear()
    yield following
    _schema.script_directory.cache_clear()
