"""The response ledger's tables on both backends: migration 0002 up and down with records in them, and backup and
restore giving back every ledger record (the generic table-by-table copy covers the new tables)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, inspect

from prevdip.response import add_action, add_commitment, add_meeting, add_partner, add_programme_item, open_ledger
from prevdip.settings import get_settings
from prevdip.store import downgrade, head_revision, init_workspace, open_store, upgrade
from prevdip.store._records import dump_records
from prevdip.store.backup import backup_workspace
from prevdip.store.database import downgrade_database
from prevdip.store.restore import restore_workspace

LEDGER = {"partners", "programme_items", "actions", "action_partners", "meetings", "agenda_blocks", "commitments"}


def _write_ledger(url: str | None = None) -> None:
    with open_ledger("officer", url=url) as ledger:
        tajik = add_partner(ledger, "Правительство Таджикистана", "government", "TJK")
        add_partner(ledger, "UNRCCA", "un_agency")
        item = add_programme_item(ledger, "environment_water_energy", "Water diplomacy", 2021, 2023, "ongoing")
        action = add_action(
            ledger,
            unit_code="KGZ-TJK",
            warning_month="2021-04",
            instrument="crisis_diplomacy",
            kind="consultation",
            when="2021-05-03",
            description="Консультации после столкновений у водозабора Головной",
            programme_item=item.id,
            partners=[tajik.id, "UNRCCA"],
        )
        block = {
            "priority_group": "environment_water_energy",
            "title": "Water",
            "warnings": [{"unit": "TJK", "month": "2021-04"}],
        }
        meeting = add_meeting(ledger, "Deputy foreign ministers", "2021-06-10", place="Tashkent", blocks=[block])
        add_commitment(
            ledger, partner=tajik.id, what="joint commission", due="2021-09-01", action=action.id, meeting=meeting.id
        )


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_the_ledger_migration_goes_down_and_up_with_records_in_it(migrated: Engine) -> None:
    _write_ledger(_url(migrated))
    assert downgrade(migrated, "0001") == "0001"
    tables = set(inspect(migrated).get_table_names())
    assert not LEDGER & tables and {"ingest_runs", "audit_log"} <= tables
    assert upgrade(migrated) == head_revision()
    assert LEDGER <= set(inspect(migrated).get_table_names())
    _write_ledger(_url(migrated))  # empty again: the same names and titles are accepted


def _records() -> dict[str, list[dict[str, Any]]]:
    with open_store() as store, store.engine.connect() as connection:
        return dump_records(connection)


def test_backup_and_restore_give_back_every_ledger_record(configured: Path, tmp_path: Path) -> None:
    init_workspace()
    _write_ledger()
    records = _records()
    assert {name: len(records[name]) for name in LEDGER} == {
        "partners": 2, "programme_items": 1, "actions": 1, "action_partners": 2, "meetings": 1, "agenda_blocks": 1,
        "commitments": 1,
    }  # fmt: skip
    backup_workspace(tmp_path / "centre.tar.gz")
    if get_settings().database_url is not None:
        downgrade_database("base")
    shutil.rmtree(configured)
    restore_workspace(tmp_path / "centre.tar.gz")
    assert _records() == records
    with open_ledger("officer") as ledger:  # numbering goes on after the restored records
        assert add_partner(ledger, "OSCE", "regional_organisation").id == 3


def test_a_backup_from_before_the_ledger_is_migrated_on_restore(configured: Path, tmp_path: Path) -> None:
    """A backup at revision 0001 (an older prevdip) comes back at this prevdip's head, its records kept, the
    ledger ready to write: the restored workspace works at once, no `db upgrade` needed."""
    init_workspace()
    with open_store() as store:
        store.audit.record("analyst", "warning:1", None, {"dyad": "KGZ-TJK"})
    downgrade_database("0001")  # the schema an older prevdip wrote
    older = _records_at_any_revision()
    assert not LEDGER & set(older)
    backup_workspace(tmp_path / "older.tar.gz")
    if get_settings().database_url is not None:
        downgrade_database("base")
    shutil.rmtree(configured)
    report = restore_workspace(tmp_path / "older.tar.gz")
    assert (report.revision, report.migrated_to) == ("0001", head_revision())
    with open_store() as store:  # opening refuses a database not at the head
        assert inspect(store.engine).has_table("partners")
    restored = _records()
    assert restored["audit_log"] == older["audit_log"]
    assert all(restored[name] == [] for name in LEDGER)
    _write_ledger()


def _records_at_any_revision() -> dict[str, list[dict[str, Any]]]:
    """The records as stored, without the store's check that the schema is this prevdip's."""
    engine = create_engine(get_settings().effective_database_url)
    try:
        with engine.connect() as connection:
            return dump_records(connection)
    finally:
        engine.dispose()
