"""The schema's place in its migration history: where a database is, where this prevdip needs it, moving it.

Migrations ship inside the package (:mod:`prevdip.store.migrations`), so ``prevdip db upgrade`` works from an
installed wheel with no ``alembic.ini``. A database this prevdip does not know how to read — never migrated, at an
older revision, or at a revision from a newer prevdip — is refused with the command that fixes it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine

from prevdip.errors import RefusedInput
from prevdip.store._engine import masked

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@lru_cache(maxsize=1)
def script_directory() -> ScriptDirectory:
    """The migration scripts shipped with this prevdip."""
    return ScriptDirectory(str(MIGRATIONS))


def head_revision() -> str:
    """The revision this prevdip's models match."""
    head = script_directory().get_current_head()
    assert head is not None, "the migration history has more than one head"
    return head


def is_known(revision: str) -> bool:
    """Whether ``revision`` belongs to this prevdip's migration history."""
    return any(script.revision == revision for script in script_directory().walk_revisions())


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; ``None`` when it was never migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def require_known_revision(engine: Engine) -> str:
    """The database's revision, refusing a database never migrated or migrated by a newer prevdip."""
    revision = current_revision(engine)
    if revision is None:
        raise RefusedInput(
            f"the database {masked(engine.url)} has no prevdip tables",
            hint="run `prevdip init` (or `prevdip db upgrade`) to create them",
        )
    if not is_known(revision):
        raise RefusedInput(
            f"the database {masked(engine.url)} is at revision {revision!r}, which this prevdip does not know "
            "(written by a newer prevdip?)",
            hint="upgrade prevdip, or point PREVDIP_DATABASE_URL at another database",
        )
    return revision


def require_head(engine: Engine) -> str:
    """Refuse a database whose schema is not the one this prevdip's models describe."""
    revision = require_known_revision(engine)
    head = head_revision()
    if revision != head:
        raise RefusedInput(
            f"the database {masked(engine.url)} is at revision {revision!r} but this prevdip needs {head!r}",
            hint="run `prevdip db upgrade`",
        )
    return revision


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Migrate up to ``revision`` (default the head); returns the revision reached."""
    _refuse_unknown_current(engine)
    _migrate(engine, lambda config: command.upgrade(config, revision))
    return current_revision(engine)


def downgrade(engine: Engine, revision: str) -> str | None:
    """Migrate down to ``revision`` (``-1`` for one step, ``base`` for nothing); returns the revision reached."""
    _refuse_unknown_current(engine)
    _migrate(engine, lambda config: command.downgrade(config, revision))
    return current_revision(engine)


def migrate_connection(connection: Connection, *, to: str, start_from_base: bool = False) -> None:
    """Migrate inside the caller's transaction (PostgreSQL restores: schema and records commit together)."""
    config = _config(connection)
    if start_from_base:
        command.downgrade(config, "base")
    command.upgrade(config, to)


def _refuse_unknown_current(engine: Engine) -> None:
    revision = current_revision(engine)
    if revision is not None:
        require_known_revision(engine)


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    return config


def _migrate(engine: Engine, step: Callable[[Config], object]) -> None:
    """Run one Alembic command on one connection.

    On SQLite, foreign keys are switched off while tables are rebuilt (batch mode drops and recreates them,
    which would otherwise cascade deletes) and checked before they are switched back on.
    """
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                step(_config(connection))
                if sqlite:
                    _check_foreign_keys(connection)
        except CommandError as problem:
            raise RefusedInput(
                f"cannot migrate {masked(engine.url)}: {problem}", hint="see `prevdip db --help`"
            ) from None
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"migration left rows pointing at missing records: {broken[:5]}")
