"""The dispute register's tables on both backends: migration 0005 up and down with records in them, the register
seeded and written on PostgreSQL as on SQLite, and backup and restore giving back every dispute record."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect

from prevdip.disputes import list_disputes, open_register, record_transition, shipped_register
from prevdip.settings import get_settings
from prevdip.store import downgrade, head_revision, init_workspace, open_store, upgrade
from prevdip.store._records import dump_records
from prevdip.store.backup import backup_workspace
from prevdip.store.database import downgrade_database
from prevdip.store.restore import restore_workspace

REGISTER = {"disputes", "dispute_units", "dispute_transitions", "dispute_milestones"}


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _write(url: str | None = None) -> None:
    with open_register("офицер", url=url) as register:
        record_transition(
            register, "kgz-tjk-border", "violent", when="2026-06-02",
            sources=["https://24.kg/english/example", "Азия-Плюс, 3 июня 2026"], note="Перестрелка у Воруха",
        )  # fmt: skip


def _records() -> dict[str, list[dict[str, Any]]]:
    with open_store() as store, store.engine.connect() as connection:
        return dump_records(connection)


def test_the_register_migration_goes_down_and_up_with_records_in_it(migrated: Engine) -> None:
    _write(_url(migrated))
    with open_register(url=_url(migrated)) as register:
        border = next(d for d in list_disputes(register) if d.id == "kgz-tjk-border")
    last = border.history[-1]
    assert (border.phase, last.who, last.note) == ("violent", "офицер", "Перестрелка у Воруха")
    assert downgrade(migrated, "0002") == "0002"
    tables = set(inspect(migrated).get_table_names())
    assert not REGISTER & tables and {"actions", "audit_log"} <= tables
    assert upgrade(migrated) == head_revision()
    assert REGISTER <= set(inspect(migrated).get_table_names())
    _write(_url(migrated))  # empty again: seeded afresh on first use, then written


def test_init_leaves_the_register_empty_so_a_backup_can_be_restored_into_it(configured: Path) -> None:
    init_workspace()
    records = _records()
    assert all(records[name] == [] for name in REGISTER)


def test_backup_and_restore_give_back_every_dispute_record(configured: Path, tmp_path: Path) -> None:
    init_workspace()
    _write()
    records = _records()
    shipped = shipped_register()
    assert len(records["disputes"]) == len(shipped)
    assert len(records["dispute_transitions"]) == sum(len(d.history) for d in shipped) + 1
    assert len(records["dispute_units"]) == sum(len(d.units.codes()) for d in shipped)
    backup_workspace(tmp_path / "centre.tar.gz")
    if get_settings().database_url is not None:
        downgrade_database("base")
    shutil.rmtree(configured)
    restore_workspace(tmp_path / "centre.tar.gz")
    assert _records() == records
    with open_register("officer") as register:  # nothing seeded twice; numbering goes on after the restored records
        moved = record_transition(
            register, "kgz-tjk-border", "managed", when="2026-06-05", sources=["https://a.kg/1", "https://b.tj/2"]
        )
    assert moved.history[-1].id == records["dispute_transitions"][-1]["id"] + 1
    assert len(_records()["disputes"]) == len(shipped)
