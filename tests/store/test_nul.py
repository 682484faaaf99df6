"""NUL characters, decided once and held on both backends, so a backup moves between them.

PostgreSQL cannot store U+0000 in text. A source line holding one used to crash an ingest on PostgreSQL (its
quarantined raw text), and a SQLite backup holding one could not be restored into PostgreSQL. Now text people write
is refused with the field named; text kept from sources shows each NUL as ``\\x00`` and says so; older records are
shown the same way when restored.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from prevdip.errors import RefusedInput
from prevdip.events import ingest
from prevdip.response import import_records, open_ledger
from prevdip.settings import Settings
from prevdip.store import init_workspace, open_store
from prevdip.store.backup import backup_workspace
from prevdip.store.restore import restore_workspace

if TYPE_CHECKING:
    from conftest import PostgresServer

SAMPLES = (
    Path("gdelt") / "gdelt2_events_20150218230000_sample100.tsv",
    Path("gdelt") / "gdelt2_events_translingual_20150218224500_sample100.tsv",
)


def test_a_source_line_holding_nul_is_quarantined_with_the_nul_shown(
    configured: Path, bundle: Path, tmp_path: Path
) -> None:
    init_workspace()
    # A NUL in a file's first 64 KiB makes the whole file read as binary data and refused (events/connectors/
    # tabular.py); one damaged line further into a long export is a row to quarantine. The bundle's two GDELT 2.0
    # samples together (200 events, 83 kB) put the broken line past that head.
    rows = [line for sample in SAMPLES for line in (bundle / sample).read_text(encoding="utf-8").splitlines()]
    path = tmp_path / "nul.export.CSV"
    path.write_text("\n".join([*rows, "999999999\t2015\x0002\tbroken"]) + "\n", encoding="utf-8")
    assert path.read_bytes().index(b"\x00") > 65536
    report = ingest("gdelt", [path])
    assert (report.accepted, report.quarantined) == (200, 1)
    with open_store() as store:
        [row] = store.quarantine.of_run(report.run_id)
    assert row.raw == "999999999\t2015\\x0002\tbroken" and "\x00" not in row.raw
    assert row.reason.startswith("wrong field count") and row.reason.endswith("(NUL bytes shown as \\x00)")


def test_ledger_text_holding_nul_is_refused_naming_the_field(configured: Path, tmp_path: Path) -> None:
    init_workspace()
    path = tmp_path / "centre.json"
    path.write_text(json.dumps({"partners": [{"name": "OSCE\u0000Office", "kind": "ngo"}]}), encoding="utf-8")
    with pytest.raises(RefusedInput, match=r"partners\[0\].name: holds a NUL character"), open_ledger("a") as ledger:
        import_records(ledger, path)
    with pytest.raises(RefusedInput, match="who: holds a NUL character"), open_ledger("a\x00b"):
        pass


@pytest.mark.postgres
def test_a_sqlite_backup_holding_nul_restores_into_postgresql(
    bundle: Path, tmp_path: Path, postgres_server: PostgresServer
) -> None:
    """Written by an older prevdip straight into SQLite: a quarantined line and an audit entry holding NUL."""
    sqlite = Settings(workspace=tmp_path / "a")
    init_workspace(sqlite)
    with open_store(sqlite.effective_database_url) as store:
        run_id = store.ingest_runs.start("gdelt", [])
        store.audit.record("analyst", "warning:1", None, {"note": "ok"})
    with sqlite3.connect(sqlite.workspace / "prevdip.sqlite") as connection:
        connection.execute(
            "insert into quarantined_rows (run_id, file, row_number, raw, reason) values (?, ?, 7, ?, ?)",
            (run_id, "old.csv", "a\x00b", "bad date: '\x00'"),
        )
        connection.execute("update audit_log set after = ?", (json.dumps({"note": "x\u0000y"}),))
    connection.close()
    backup_workspace(tmp_path / "a.tar.gz", settings=sqlite)

    name = postgres_server.create_database()
    try:
        postgres = Settings(workspace=tmp_path / "b", database_url=postgres_server.url(name))  # type: ignore[arg-type]
        restore_workspace(tmp_path / "a.tar.gz", settings=postgres)
        with open_store(postgres.effective_database_url) as store:
            [row] = store.quarantine.of_run(run_id)
            [entry] = store.audit.recent()
        assert (row.raw, row.reason) == ("a\\x00b", "bad date: '\\x00'")
        assert entry.after == {"note": "x\\x00y"}
    finally:
        postgres_server.drop_database(name)
