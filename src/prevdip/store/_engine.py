"""Engines for the system of record: SQLite (WAL, foreign keys on) by default, PostgreSQL through psycopg 3.

Every way a database URL can fail before any data moves — not a URL, an unknown driver, a server that does not
answer, a SQLite file that does not exist — becomes one :class:`RefusedInput` sentence naming the database
(password masked) and what to do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from prevdip.errors import RefusedInput

#: Seconds to wait for a PostgreSQL server before calling it unreachable.
CONNECT_TIMEOUT = 5


def parse_url(url: str) -> URL:
    """The URL, or a refusal naming what is wrong with it."""
    try:
        return make_url(url)
    except ArgumentError:
        raise RefusedInput(
            f"the database URL {url!r} is not a database URL",
            hint="set PREVDIP_DATABASE_URL to sqlite:///PATH or postgresql+psycopg://USER@HOST/DB",
        ) from None


def masked(url: str | URL) -> str:
    """The URL with its password replaced by ``***``: safe to print and log."""
    return (url if isinstance(url, URL) else parse_url(url)).render_as_string(hide_password=True)


def sqlite_path(url: str | URL) -> Path | None:
    """The file of a SQLite URL; ``None`` for other backends and for in-memory SQLite."""
    parsed = url if isinstance(url, URL) else parse_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).resolve()


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers work while the one writer writes; SQLite leaves foreign keys off unless asked.

    ``synchronous=FULL``: a commit is on the disk when it returns. With NORMAL, WAL mode may lose the last commits
    in a power cut — still a consistent database, but an ingest run could then be gone from the record while its
    files were already published in the lake, which is exactly what the lake's order of writing must exclude.
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def create_store_engine(url: str, *, must_exist: bool = True) -> Engine:
    """An engine whose database answered one round trip; refuses an unreachable or missing database.

    ``must_exist=False`` lets SQLite create a new file (for ``prevdip init`` and ``db upgrade``); the folder
    must exist either way.
    """
    parsed = parse_url(url)
    path = sqlite_path(parsed)
    if path is not None:
        _check_sqlite_file(parsed, path, must_exist=must_exist)
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql":
        connect_args["connect_timeout"] = CONNECT_TIMEOUT
        # A commit waits for the server's write-ahead log to reach the disk even where the server's default says
        # otherwise (the same guarantee as SQLite's synchronous=FULL; the server's own fsync must be on).
        connect_args["options"] = "-c synchronous_commit=on"
    try:
        engine = create_engine(parsed, connect_args=connect_args)
    except (NoSuchModuleError, ImportError) as problem:
        raise RefusedInput(
            f"no database driver for {masked(parsed)}: {problem}",
            hint="use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB",
        ) from None
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except OperationalError as problem:
        engine.dispose()
        reason = str(problem.orig or problem).strip().splitlines()[0]
        raise RefusedInput(
            f"cannot reach the database {masked(parsed)}: {reason}",
            hint="check PREVDIP_DATABASE_URL and that the server is running",
        ) from None
    return engine


def _check_sqlite_file(url: URL, path: Path, *, must_exist: bool) -> None:
    if must_exist and not path.is_file():
        raise RefusedInput(f"no database at {path}", hint="run `prevdip init` to create the workspace and database")
    if not path.parent.is_dir():
        raise RefusedInput(
            f"the folder of the database {masked(url)} does not exist",
            hint="run `prevdip init`, or point PREVDIP_DATABASE_URL at an existing folder",
        )
