"""Migrations on SQLite and PostgreSQL: up to the head matches the models, down to nothing, refusals named."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from prevdip.errors import RefusedInput
from prevdip.store import (
    QuarantinedRowIn,
    Store,
    create_store_engine,
    current_revision,
    downgrade,
    head_revision,
    open_store,
    upgrade,
)
from prevdip.store._schema import script_directory
from prevdip.store.models import Base

TABLES = {"ingest_runs", "quarantined_rows", "audit_log", "partners", "actions", "meetings", "commitments"}


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_history_is_one_line_from_base_to_head() -> None:
    scripts = list(script_directory().walk_revisions())
    assert len(script_directory().get_heads()) == 1
    assert scripts[-1].down_revision is None
    assert [s.revision for s in reversed(scripts)] == sorted(s.revision for s in scripts)  # 0001, 0002, ...
    assert scripts[0].revision == head_revision()


def test_head_schema_matches_the_models(migrated: Engine) -> None:
    assert current_revision(migrated) == head_revision()
    assert TABLES <= set(inspect(migrated).get_table_names())
    with migrated.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_down_to_base_and_up_again(migrated: Engine) -> None:
    assert downgrade(migrated, "base") is None
    assert not TABLES & set(inspect(migrated).get_table_names())
    assert upgrade(migrated) == head_revision()
    assert TABLES <= set(inspect(migrated).get_table_names())


def test_a_database_never_migrated_is_refused_with_the_command_that_fixes_it(database_url: str) -> None:
    engine = create_store_engine(database_url, must_exist=False)
    engine.dispose()
    with pytest.raises(RefusedInput, match=r"has no prevdip tables.*prevdip init"):
        open_store(database_url)


def test_an_older_revision_is_refused_until_upgraded(migrated: Engine, next_migration: str) -> None:
    shipped = current_revision(migrated)
    refusal = rf"at revision '{shipped}' but this prevdip needs '{next_migration}' — run `prevdip db upgrade`"
    with pytest.raises(RefusedInput, match=refusal):
        open_store(_url(migrated))
    assert upgrade(migrated) == next_migration
    with open_store(_url(migrated)) as store:
        assert store.ingest_runs.recent() == []


def test_rebuilding_a_parent_table_keeps_its_children(migrated: Engine, next_migration: str) -> None:
    """SQLite rebuilds a table to alter it; with foreign keys on, that would cascade-delete quarantined rows."""
    shipped = current_revision(migrated)
    store = Store(migrated)  # at the shipped head, written before the upgrade
    run_id = store.ingest_runs.start("ucdp-ged", [("ged.csv", "a" * 64)])
    store.quarantine.add_many(run_id, [QuarantinedRowIn("ged.csv", n, f"row {n}", "no date") for n in range(50)])
    upgrade(migrated)
    assert "note" in {column["name"] for column in inspect(migrated).get_columns("ingest_runs")}
    with migrated.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM quarantined_rows")).scalar() == 50
    assert downgrade(migrated, "-1") == shipped
    assert store.quarantine.count(run_id) == 50


def test_an_unknown_revision_is_refused_everywhere(migrated: Engine) -> None:
    with migrated.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff0000'"))
    with pytest.raises(RefusedInput, match=r"revision 'ffff0000', which this prevdip does not know"):
        open_store(_url(migrated))
    with pytest.raises(RefusedInput, match=r"does not know"):
        upgrade(migrated)
    with pytest.raises(RefusedInput, match=r"does not know"):
        downgrade(migrated, "base")


def test_an_unknown_target_revision_is_refused(migrated: Engine) -> None:
    with pytest.raises(RefusedInput, match=r"cannot migrate .*nosuch"):
        upgrade(migrated, "nosuch")


def test_foreign_keys_are_enforced(migrated: Engine) -> None:
    with pytest.raises(IntegrityError), migrated.begin() as connection:
        connection.execute(
            text("INSERT INTO quarantined_rows (run_id, file, raw, reason) VALUES ('missing', 'f', 'r', 'x')")
        )


def test_sqlite_runs_in_wal_mode_with_foreign_keys_on(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = create_store_engine(f"sqlite:///{tmp_path / 'db.sqlite'}", must_exist=False)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    upgrade(engine)  # migrations switch foreign keys off for table rebuilds and back on afterwards
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
