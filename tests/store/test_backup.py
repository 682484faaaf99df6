"""Backup and restore round trips on SQLite and PostgreSQL: lake files byte for byte, records one for one."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from prevdip.errors import RefusedInput
from prevdip.settings import Settings, get_settings
from prevdip.store import QuarantinedRowIn, init_workspace, open_store
from prevdip.store._records import dump_records
from prevdip.store.backup import backup_workspace
from prevdip.store.database import downgrade_database
from prevdip.store.restore import restore_workspace

if TYPE_CHECKING:
    from conftest import PostgresServer

ACD = "ucdp/ucdp-prio-acd-251_resaved_semicolon_dmy.csv"
GED = "ucdp/ged211_reduced_central_asia_neighbours.csv"
QUARANTINED = 3_000


def _fill(bundle: Path, settings: Settings | None = None) -> None:
    """A workspace as the centre would have it: real lake files, an ingest run with quarantined rows, an audit."""
    ws = init_workspace(settings).workspace
    events = ws / "lake" / "events" / "source=ucdp" / "year=2008"
    events.mkdir(parents=True)
    pq.write_table(pacsv.read_csv(bundle / "ucdp" / "ged231_sample1000_official_schema.csv"), events / "r1-0.parquet")
    shutil.copy(bundle / "gdelt" / "gdelt2_events_20150218230000_sample100.tsv", ws / "lake" / "gdelt.tsv")
    shutil.copy(bundle / "natural-earth" / "ne_10m_lakes_CA_bbox.geojson", ws / "briefs" / "lakes.geojson")
    (ws / "vintages" / "empty-for-now").mkdir()
    lines = (bundle / GED).read_text(encoding="utf-8").splitlines()[:QUARANTINED]
    with open_store(None if settings is None else settings.effective_database_url) as store:
        run_id = store.ingest_runs.start("ucdp-ged", [(GED, hashlib.sha256((bundle / GED).read_bytes()).hexdigest())])
        store.quarantine.add_many(run_id, (QuarantinedRowIn(GED, n, line, "outside") for n, line in enumerate(lines)))
        store.ingest_runs.finish(
            run_id, rows=len(lines), accepted=0, duplicates=0, quarantined=len(lines), status="partial", reasons={}
        )
        store.audit.record("аналитик", "warning:1", None, {"dyad": "KGZ-TJK", "note": "Исфара, водозабор"})


def _files(ws: Path) -> dict[str, str]:
    return {
        p.relative_to(ws).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in ws.rglob("*")
        if p.is_file() and not p.name.startswith("prevdip.sqlite")
    }


def _records(url: str | None = None) -> dict[str, list[dict[str, Any]]]:
    with open_store(url) as store, store.engine.connect() as connection:
        return dump_records(connection)


def test_round_trip_gives_back_every_file_and_every_record(configured: Path, bundle: Path, tmp_path: Path) -> None:
    _fill(bundle)
    files, records = _files(configured), _records()
    assert len(records["quarantined_rows"]) == QUARANTINED and any(name.endswith(".parquet") for name in files)

    done = backup_workspace(tmp_path / "centre.tar.gz")
    assert done.files == len(files) and done.records["quarantined_rows"] == QUARANTINED
    assert done.sha256 == hashlib.sha256((tmp_path / "centre.tar.gz").read_bytes()).hexdigest()

    if get_settings().database_url is not None:
        downgrade_database("base")  # an empty PostgreSQL database to restore into
    shutil.rmtree(configured)
    restored = restore_workspace(tmp_path / "centre.tar.gz")
    assert restored.files == len(files) and restored.records == done.records
    assert _files(configured) == files
    assert _records() == records
    assert (configured / "vintages" / "empty-for-now").is_dir()
    with open_store() as store:  # the store keeps numbering after the restored records
        entry = store.audit.record("analyst", "warning:2", None, {"level": "watch"})
    assert entry.id == records["audit_log"][-1]["id"] + 1


@pytest.mark.postgres
def test_a_sqlite_backup_restores_into_postgresql_and_back(
    bundle: Path, tmp_path: Path, postgres_server: PostgresServer
) -> None:
    sqlite = Settings(workspace=tmp_path / "a")
    _fill(bundle, sqlite)
    files, records = _files(sqlite.workspace), _records(sqlite.effective_database_url)
    backup_workspace(tmp_path / "a.tar.gz", settings=sqlite)

    name = postgres_server.create_database()
    try:
        postgres = Settings(workspace=tmp_path / "b", database_url=postgres_server.url(name))  # type: ignore[arg-type]
        restore_workspace(tmp_path / "a.tar.gz", settings=postgres)
        assert _files(postgres.workspace) == files and _records(postgres.effective_database_url) == records
        backup_workspace(tmp_path / "b.tar.gz", settings=postgres)
    finally:
        postgres_server.drop_database(name)

    back = Settings(workspace=tmp_path / "c")
    restore_workspace(tmp_path / "b.tar.gz", settings=back)
    assert _files(back.workspace) == files and _records(back.effective_database_url) == records


def test_a_sqlite_database_outside_the_workspace_is_saved_and_replaced(bundle: Path, tmp_path: Path) -> None:
    elsewhere = Settings(workspace=tmp_path / "ws", database_url=f"sqlite:///{tmp_path / 'db' / 'centre.sqlite'}")  # type: ignore[arg-type]
    (tmp_path / "db").mkdir()
    _fill(bundle, elsewhere)
    files, records = _files(elsewhere.workspace), _records(elsewhere.effective_database_url)
    backup_workspace(tmp_path / "centre.tar.gz", settings=elsewhere)
    with open_store(elsewhere.effective_database_url) as store:  # changed after the backup, WAL file beside it
        store.audit.record("analyst", "warning:5", None, {"level": "alert"})
        assert (tmp_path / "db" / "centre.sqlite-wal").exists()
        with pytest.raises(RefusedInput, match="already holds files"):
            restore_workspace(tmp_path / "centre.tar.gz", settings=elsewhere)
    restore_workspace(tmp_path / "centre.tar.gz", settings=elsewhere, force=True)
    assert _files(elsewhere.workspace) == files and _records(elsewhere.effective_database_url) == records
    assert sorted(p.name for p in (tmp_path / "db").iterdir() if p.name.startswith(".")) == []


def test_a_failed_restore_leaves_nothing_beside_a_database_outside_the_workspace(
    bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The staged copy of a database kept outside the workspace goes when the restore fails (here: the migration
    to this prevdip's head, made to fail), and the database in place is untouched."""
    from prevdip.store import restore

    elsewhere = Settings(workspace=tmp_path / "ws", database_url=f"sqlite:///{tmp_path / 'db' / 'centre.sqlite'}")  # type: ignore[arg-type]
    (tmp_path / "db").mkdir()
    _fill(bundle, elsewhere)
    backup_workspace(tmp_path / "centre.tar.gz", settings=elsewhere)
    before = hashlib.sha256((tmp_path / "db" / "centre.sqlite").read_bytes()).hexdigest()

    def failing(*args: object, **kwargs: object) -> None:
        raise RefusedInput("cannot migrate: made to fail")

    monkeypatch.setattr(restore, "upgrade", failing)
    with pytest.raises(RefusedInput, match="made to fail"):
        restore_workspace(tmp_path / "centre.tar.gz", settings=elsewhere, force=True)
    assert sorted(p.name for p in (tmp_path / "db").iterdir()) == ["centre.sqlite"]
    assert hashlib.sha256((tmp_path / "db" / "centre.sqlite").read_bytes()).hexdigest() == before


def test_a_workspace_holding_data_is_replaced_only_when_forced(configured: Path, bundle: Path, tmp_path: Path) -> None:
    _fill(bundle)
    backup_workspace(tmp_path / "centre.tar.gz")
    files, records = _files(configured), _records()
    (configured / "prevdip.toml").write_text('log_level = "INFO"\n')
    with open_store() as store:
        store.audit.record("analyst", "warning:3", None, {"level": "alert"})

    with pytest.raises(RefusedInput, match=r"already holds files \(briefs/lakes.geojson\).*--force"):
        restore_workspace(tmp_path / "centre.tar.gz")
    for name in files:  # files gone, records still there
        (configured / name).unlink()
    with pytest.raises(RefusedInput, match=rf"already holds {QUARANTINED + 3} records.*--force"):
        restore_workspace(tmp_path / "centre.tar.gz")
    (configured / "lake" / "later.parquet").write_bytes(b"written after the backup")

    restore_workspace(tmp_path / "centre.tar.gz", force=True)
    assert not (configured / "lake" / "later.parquet").exists()
    assert _files(configured) == {**files, "prevdip.toml": _files(configured)["prevdip.toml"]}
    assert (configured / "prevdip.toml").read_text() == 'log_level = "INFO"\n'  # this machine's settings stay
    assert _records() == records
    assert [p.name for p in configured.parent.iterdir() if p.name.startswith(".")] == []


def _rewrite(source: Path, target: Path, change: Any) -> Path:
    """Copy a backup member by member, letting ``change(name, data)`` alter or drop (None) each one."""
    with tarfile.open(source) as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            data = old.extractfile(member).read() if member.isfile() else None  # type: ignore[union-attr]
            data = change(member.name, data) if data is not None else data
            if member.isfile() and data is None:
                continue
            member.size = len(data) if data is not None else 0
            new.addfile(member, io.BytesIO(data) if data is not None else None)
    return target


def _flip_a_lake_byte(name: str, data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 1]) if name == "workspace/lake/gdelt.tsv" else data


def _newer_format(name: str, data: bytes) -> bytes:
    if name != "prevdip-backup.json":
        return data
    return json.dumps({**json.loads(data), "format_version": 99}).encode()


def _other_manifest(name: str, data: bytes) -> bytes:
    return json.dumps({"format": "something-else"}).encode() if name == "prevdip-backup.json" else data


def _with_member(good: Path, path: Path, name: str, kind: bytes = tarfile.REGTYPE) -> Path:
    """The good backup plus one member that must never be unpacked (escaping the workspace, or a link)."""
    _rewrite(good, path, lambda n, d: d)
    with tarfile.open(path) as tar:
        members = [(m, tar.extractfile(m).read() if m.isfile() else None) for m in tar.getmembers()]  # type: ignore[union-attr]
    extra = tarfile.TarInfo(name)
    extra.type, extra.linkname = kind, "/etc/passwd" if kind == tarfile.SYMTYPE else ""
    with tarfile.open(path, "w:gz") as tar:
        for member, data in [*members[:2], (extra, b"" if kind == tarfile.REGTYPE else None), *members[2:]]:
            tar.addfile(member, io.BytesIO(data) if data is not None else None)
    return path


BAD_ARCHIVES = {
    "a member escaping the workspace": (
        lambda good, path: _with_member(good, path, "workspace/../../escaped.txt"),
        "unexpected member 'workspace/../../escaped.txt'",
    ),
    "a symlink": (
        lambda good, path: _with_member(good, path, "workspace/lake/link", tarfile.SYMTYPE),
        "unexpected member 'workspace/lake/link'",
    ),
    "random bytes": (lambda good, path: path.write_bytes(bytes(range(256)) * 40), "cannot be read"),
    "a plain text file": (lambda good, path: path.write_text("lake,files\n"), "cannot be read"),
    "a truncated backup": (lambda good, path: path.write_bytes(good.read_bytes()[:30_000]), "(cannot be read|trunc)"),
    "a tarball of something else": (
        lambda good, path: _rewrite(good, path, lambda n, d: None if n == "prevdip-backup.json" else d),
        "does not start with prevdip-backup.json",
    ),
    "a foreign manifest": (lambda good, path: _rewrite(good, path, _other_manifest), "not a prevdip manifest"),
    "a damaged lake file": (lambda good, path: _rewrite(good, path, _flip_a_lake_byte), "damaged: .*lake/gdelt.tsv"),
    "a newer format": (lambda good, path: _rewrite(good, path, _newer_format), "made by a newer prevdip"),
}


@pytest.mark.parametrize("kind", sorted(BAD_ARCHIVES))
def test_what_is_not_a_good_backup_is_refused_and_changes_nothing(
    kind: str, workspace: Path, bundle: Path, tmp_path: Path
) -> None:
    _fill(bundle)
    good = backup_workspace(tmp_path / "good.tar.gz").backup
    make, message = BAD_ARCHIVES[kind]
    bad = tmp_path / "bad.tar.gz"
    make(good, bad)
    files, records = _files(workspace), _records()
    with pytest.raises(RefusedInput, match=message):
        restore_workspace(bad, force=True)
    assert _files(workspace) == files and _records() == records
    assert [p.name for p in workspace.parent.iterdir() if p.name.startswith(".")] == []
    assert not list(tmp_path.parent.rglob("escaped.txt"))


def test_backup_refusals(no_workspace: Path, bundle: Path, tmp_path: Path) -> None:
    workspace = no_workspace  # before `prevdip init`; _fill makes it
    with pytest.raises(RefusedInput, match=r"no prevdip workspace at .* run `prevdip init`"):
        backup_workspace(tmp_path / "a.tar.gz")
    _fill(bundle)
    with pytest.raises(RefusedInput, match="inside the workspace"):
        backup_workspace(workspace / "lake" / "a.tar.gz")
    with pytest.raises(RefusedInput, match="does not exist"):
        backup_workspace(tmp_path / "no" / "such" / "folder.tar.gz")
    (tmp_path / "a.tar.gz").write_text("precious")
    with pytest.raises(RefusedInput, match="already exists.*--force"):
        backup_workspace(tmp_path / "a.tar.gz")
    assert (tmp_path / "a.tar.gz").read_text() == "precious"
    backup_workspace(tmp_path / "a.tar.gz", force=True)
    assert tarfile.open(tmp_path / "a.tar.gz").getnames()[:2] == ["prevdip-backup.json", "database/prevdip.sqlite"]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
    with pytest.raises(RefusedInput, match="no backup file at"):
        restore_workspace(tmp_path / "missing.tar.gz")


# --- a backup protects the system of record: the database checked, the archive verified, signed, no settings ----


def _tar_members(archive: Path) -> list[tuple[tarfile.TarInfo, bytes | None]]:
    with tarfile.open(archive) as tar:
        return [(m, tar.extractfile(m).read() if m.isfile() else None) for m in tar.getmembers()]  # type: ignore[union-attr]


def _write_tar(path: Path, members: list[tuple[tarfile.TarInfo, bytes | None]]) -> Path:
    """A gzip tar with a valid CRC: what someone who edited the archive would write."""
    with tarfile.open(path, "w:gz") as tar:
        for member, data in members:
            if data is not None:
                member.size = len(data)
            tar.addfile(member, io.BytesIO(data) if data is not None else None)
    return path


def _compressed_database_span(archive: Path) -> tuple[int, int]:
    """Where, in the compressed bytes, the database member's bytes lie (found by decompressing step by step)."""
    import zlib

    with tarfile.open(archive) as tar:
        member = next(m for m in tar.getmembers() if m.name.startswith("database/"))
    start, end = member.offset_data, member.offset_data + member.size
    raw = archive.read_bytes()
    inflate = zlib.decompressobj(31)
    produced, first, last = 0, None, None
    for position in range(0, len(raw), 64):
        produced += len(inflate.decompress(raw[position : position + 64]))
        if first is None and produced > start:
            first = position
        if produced >= end:
            last = position
            break
    assert first is not None and last is not None
    return first + 64, last - 64


def test_a_bit_flipped_anywhere_in_the_database_is_refused_and_changes_nothing(
    workspace: Path, bundle: Path, tmp_path: Path
) -> None:
    """The issue's 12 archives with one bit flipped in the database's region: none restores (gzip's CRC, zlib or
    the database's sha256 catches each), and the workspace and its records stay as they were."""
    import random

    _fill(bundle)
    good = backup_workspace(tmp_path / "good.tar.gz").backup
    files, records = _files(workspace), _records()
    first, last = _compressed_database_span(good)
    chooser = random.Random(13)
    for n in range(12):
        data = bytearray(good.read_bytes())
        at = chooser.randrange(first, last)
        data[at] ^= 1 << chooser.randrange(8)
        flipped = tmp_path / f"flipped-{n}.tar.gz"
        flipped.write_bytes(bytes(data))
        with pytest.raises(RefusedInput, match="(damaged|cannot be read)"):
            restore_workspace(flipped, force=True)
    assert _files(workspace) == files and _records() == records
    assert [p.name for p in workspace.parent.iterdir() if p.name.startswith(".")] == []


def test_a_database_changed_inside_a_valid_gzip_is_refused_by_its_sha256(
    workspace: Path, bundle: Path, tmp_path: Path
) -> None:
    _fill(bundle)
    good = backup_workspace(tmp_path / "good.tar.gz").backup
    members = _tar_members(good)
    database = next(i for i, (m, _) in enumerate(members) if m.name == "database/prevdip.sqlite")
    data = bytearray(members[database][1] or b"")
    data[len(data) // 2] ^= 0x10
    members[database] = (members[database][0], bytes(data))
    edited = _write_tar(tmp_path / "edited.tar.gz", members)
    with pytest.raises(RefusedInput, match=r"damaged: its database \(database/prevdip.sqlite\) does not match"):
        restore_workspace(edited, force=True)


def _edited_database(good: Path, tmp_path: Path) -> Path:
    """The good backup with its database edited — audit ``who`` changed — and the manifest's sha256 made to match,
    as a careful forger would: only a signature tells it from the centre's own backup."""
    import sqlite3

    members = _tar_members(good)
    database = tmp_path / "forged.sqlite"
    index = next(i for i, (m, _) in enumerate(members) if m.name == "database/prevdip.sqlite")
    database.write_bytes(members[index][1] or b"")
    with sqlite3.connect(database) as connection:
        connection.execute("update audit_log set who = 'somebody else'")
    connection.close()
    forged = database.read_bytes()
    manifest = json.loads(members[0][1] or b"")
    manifest["database"]["sha256"] = hashlib.sha256(forged).hexdigest()
    members[0] = (members[0][0], json.dumps(manifest).encode())
    members[index] = (members[index][0], forged)
    return _write_tar(tmp_path / "forged.tar.gz", members)


def test_signed_backups_tell_the_centres_own_from_edited_ones(
    workspace: Path, bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(bundle)
    unsigned = backup_workspace(tmp_path / "unsigned.tar.gz")
    assert not unsigned.signed and "prevdip-backup.sig" not in tarfile.open(unsigned.backup).getnames()
    forged_unsigned = _edited_database(unsigned.backup, tmp_path)
    restore_workspace(forged_unsigned, force=True)  # without a key an edit with a matching sha256 goes unnoticed...
    assert {e["who"] for e in _records()["audit_log"]} == {"somebody else"}

    monkeypatch.setenv("PREVDIP_BACKUP_KEY", "the centre's own secret")
    get_settings.cache_clear()
    with pytest.raises(RefusedInput, match="is not signed, and this centre restores only backups signed"):
        restore_workspace(unsigned.backup, force=True)
    signed = backup_workspace(tmp_path / "signed.tar.gz")
    assert signed.signed and tarfile.open(signed.backup).getnames()[-1] == "prevdip-backup.sig"
    records = _records()
    with pytest.raises(RefusedInput, match="not signed with this centre's backup key"):  # ...with one, it is refused
        restore_workspace(_edited_database(signed.backup, tmp_path), force=True)
    assert _records() == records
    assert restore_workspace(signed.backup, force=True).signed

    monkeypatch.setenv("PREVDIP_BACKUP_KEY", "another centre's secret")
    get_settings.cache_clear()
    with pytest.raises(RefusedInput, match="not signed with this centre's backup key"):
        restore_workspace(signed.backup, force=True)


def test_a_restore_never_installs_settings(workspace: Path, bundle: Path, tmp_path: Path) -> None:
    """An archive carrying ``workspace/prevdip.toml`` and its checksum line is refused; nothing is written."""
    _fill(bundle)
    good = backup_workspace(tmp_path / "good.tar.gz").backup
    settings = b'database_url = "postgresql+psycopg://someone:pw@elsewhere/theirs"\nbundle = "/tmp/theirs"\n'
    members = _tar_members(good)
    extra = tarfile.TarInfo("workspace/prevdip.toml")
    checksums = members[-1][1] or b""
    members[-1] = (members[-1][0], checksums + f"{hashlib.sha256(settings).hexdigest()}  prevdip.toml\n".encode())
    carrying = _write_tar(tmp_path / "carrying.tar.gz", [*members[:3], (extra, settings), *members[3:]])
    shutil.rmtree(workspace)
    with pytest.raises(RefusedInput, match=r"carries settings \(workspace/prevdip.toml\), which a restore never"):
        restore_workspace(carrying)
    assert not workspace.exists()
    assert get_settings().database_url is None


def test_a_format_1_backup_restores_and_its_database_is_checked_by_sqlite(
    workspace: Path, bundle: Path, tmp_path: Path
) -> None:
    """Backups made before the database checksum still restore; a damaged database among them is caught by
    SQLite's own integrity check or by its record counts, before anything is put in place."""
    _fill(bundle)
    good = backup_workspace(tmp_path / "good.tar.gz").backup
    records = _records()

    def older(members: list[tuple[tarfile.TarInfo, bytes | None]], database: bytes | None = None) -> Path:
        manifest = json.loads(members[0][1] or b"")
        manifest["format_version"] = 1
        del manifest["database"]["sha256"]
        changed = [(members[0][0], json.dumps(manifest).encode()), *members[1:]]
        if database is not None:
            changed[1] = (changed[1][0], database)
        return _write_tar(tmp_path / f"older-{len(list(tmp_path.iterdir()))}.tar.gz", changed)

    members = _tar_members(good)
    assert members[1][0].name == "database/prevdip.sqlite"
    restore_workspace(older(members), force=True)
    assert _records() == records

    page = 4096
    damaged = bytearray(members[1][1] or b"")
    damaged[3 * page : 5 * page] = bytes(2 * page)  # two pages of tables and indexes zeroed
    with pytest.raises(RefusedInput, match="damaged: its database fails SQLite's integrity check"):
        restore_workspace(older(members, bytes(damaged)), force=True)
    manifest = json.loads(members[0][1] or b"")
    manifest["database"]["records"]["audit_log"] = 2
    counted = [(members[0][0], json.dumps(manifest).encode()), *members[1:]]
    with pytest.raises(RefusedInput, match="holds 1 records of audit_log, its manifest counted 2"):
        restore_workspace(older(counted), force=True)
    assert _records() == records


def test_backups_and_their_copies_are_readable_by_their_owner_only(
    workspace: Path, bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prevdip.store import backup as backup_module

    _fill(bundle)
    seen: dict[str, int] = {}
    real = backup_module._add_workspace

    def watching(tar: tarfile.TarFile, ws: Path, skip: set[Path], runs: frozenset[str]) -> Any:
        scratch = next((ws / "lake" / ".staging").glob("backup-*"))
        seen["scratch"] = scratch.stat().st_mode & 0o777
        seen["copy"] = next(scratch.iterdir()).stat().st_mode & 0o777
        seen["part"] = next(tmp_path.glob(".centre.tar.gz.*.part")).stat().st_mode & 0o777
        return real(tar, ws, skip, runs)

    monkeypatch.setattr(backup_module, "_add_workspace", watching)
    made = backup_workspace(tmp_path / "centre.tar.gz")
    assert seen == {"scratch": 0o700, "copy": 0o600, "part": 0o600}
    assert made.backup.stat().st_mode & 0o777 == 0o600
    assert not list((workspace / "lake" / ".staging").iterdir())
