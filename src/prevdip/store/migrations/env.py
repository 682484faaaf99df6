"""Alembic environment: migrate the connection prevdip hands over, or the configured database.

prevdip calls Alembic with a connection in ``config.attributes["connection"]`` (see :mod:`prevdip.store._schema`),
so SQLite gets its pragmas and PostgreSQL restores can migrate inside their own transaction. Run standalone, the
environment migrates the database of the effective settings.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from prevdip.store.models import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    if context.is_offline_mode():
        raise SystemExit("prevdip migrations run online only: give them a database")
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from prevdip.settings import get_settings
    from prevdip.store._engine import create_store_engine

    engine = create_store_engine(get_settings().effective_database_url, must_exist=False)
    try:
        with engine.begin() as own_connection:
            _run(own_connection)
    finally:
        engine.dispose()


run_migrations()
