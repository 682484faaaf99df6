"""Readers never see half a run: prevdip killed at the exact moments of publishing, through its crash points.

Each test starts a real ``prevdip ingest`` in a subprocess with ``PREVDIP_CRASH_AT`` set, so it dies (SIGKILL) at one
moment — after the run's database commit, after its first file was renamed into the lake, after every rename but
before the manifest — and then reads the lake with ``prevdip events`` as any reader would: it sees the lake of
before, whole; ``prevdip runs`` knows the run; the next ingest publishes it, and every event is there once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from prevdip.events import ingest
from prevdip.events.lake import event_files, staging_root
from prevdip.events.manifest import lake_state
from prevdip.events.schema import EVENT_SCHEMA
from prevdip.store import init_workspace

SAMPLE = Path("gdelt") / "gdelt2_events_20150218230000_sample100.tsv"
PREVDIP = str(Path(sys.executable).parent / "prevdip")


def gdelt_years(bundle: Path, path: Path, first_id: int, years: int) -> int:
    """The bundle's 100 real GDELT 2.0 rows once per year (2015 back), with fresh event ids: one lake file a year."""
    rows = [line.split("\t") for line in (bundle / SAMPLE).read_text(encoding="utf-8").splitlines()]
    lines = []
    for year in range(years):
        for fields in rows:
            row = list(fields)
            day = date(int(row[1][:4]), int(row[1][4:6]), int(row[1][6:8])) - timedelta(days=365 * year)
            row[0] = str(first_id + len(lines))
            row[1], row[2], row[3] = day.strftime("%Y%m%d"), day.strftime("%Y%m"), str(day.year)
            lines.append("\t".join(row))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def _prevdip(workspace: Path, bundle: Path, *args: str, crash: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PREVDIP_WORKSPACE": str(workspace), "PREVDIP_BUNDLE": str(bundle)}
    env.pop("PREVDIP_CRASH_AT", None)
    if crash is not None:
        env["PREVDIP_CRASH_AT"] = crash
    return subprocess.run([PREVDIP, *args], env=env, capture_output=True, text=True, timeout=300)


def _count(workspace: Path, bundle: Path) -> int:
    done = _prevdip(workspace, bundle, "events", "--json", "--limit", "0")
    assert done.returncode == 0, done.stderr
    return int(json.loads(done.stdout)["count"])


def _runs(workspace: Path, bundle: Path) -> list[dict[str, object]]:
    done = _prevdip(workspace, bundle, "runs", "--json")
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout)["runs"])


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["lake-after-commit", "lake-mid-publish", "lake-before-manifest"])
def test_a_crash_while_publishing_shows_readers_the_lake_of_before_and_the_next_ingest_finishes_it(
    moment: str, workspace: Path, tmp_path: Path, bundle: Path
) -> None:
    init_workspace()
    first, second, third = tmp_path / "a.export.CSV", tmp_path / "b.export.CSV", tmp_path / "c.export.CSV"
    before = gdelt_years(bundle, first, 700_000_000, 1)
    crashed = gdelt_years(bundle, second, 800_000_000, 4)  # four years: four files to rename
    after = gdelt_years(bundle, third, 900_000_000, 1)
    assert _prevdip(workspace, bundle, "ingest", "gdelt", str(first), "--json").returncode == 0
    assert _count(workspace, bundle) == before

    killed = _prevdip(workspace, bundle, "ingest", "gdelt", str(second), "--json", crash=moment)
    assert killed.returncode == -9, killed.stderr
    runs = _runs(workspace, bundle)
    assert [run["accepted"] for run in runs] == [crashed, before]  # the run is committed...
    moved = len([p for p in (workspace / "lake" / "events").rglob("*.parquet") if str(runs[0]["id"]) in p.name])
    assert _count(workspace, bundle) == before  # ...and yet readers see the lake of before, whole

    assert _prevdip(workspace, bundle, "ingest", "gdelt", str(third), "--json").returncode == 0
    assert _count(workspace, bundle) == before + crashed + after
    files = len([p for p in event_files(workspace) if str(runs[0]["id"]) in p.name])
    assert files > 2 and moved == {"lake-after-commit": 0, "lake-mid-publish": 1, "lake-before-manifest": files}[moment]
    assert not list(staging_root(workspace).iterdir())
    repeat = json.loads(_prevdip(workspace, bundle, "ingest", "gdelt", str(second), "--json").stdout)
    assert (repeat["accepted"], repeat["duplicates"]) == (0, crashed)  # published once, not twice


def test_every_file_is_flushed_before_the_commit_and_every_rename_before_the_manifest(
    workspace: Path, tmp_path: Path, bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a power cut may not lose: the order of fsyncs, database commit, renames and the manifest's swap."""
    from prevdip import durability
    from prevdip.events import lake, runs

    init_workspace()
    path = tmp_path / "a.export.CSV"
    gdelt_years(bundle, path, 700_000_000, 3)
    log: list[str] = []
    real_fsync, real_commit, real_publish = os.fsync, runs.RunLedger.commit, lake.publish_run

    def fsync(descriptor: int) -> None:
        log.append("fsync " + os.readlink(f"/proc/self/fd/{descriptor}"))
        real_fsync(descriptor)

    def commit(self: runs.RunLedger, *args: object, **kwargs: object) -> None:
        log.append("commit")
        real_commit(self, *args, **kwargs)  # type: ignore[arg-type]

    def publish_run(*args: object, **kwargs: object) -> object:
        log.append("manifest")
        return real_publish(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(durability.os, "fsync", fsync)
    monkeypatch.setattr(runs.RunLedger, "commit", commit)
    monkeypatch.setattr(lake, "publish_run", publish_run)
    report = ingest("gdelt", [path])

    committed, manifest = log.index("commit"), log.index("manifest")
    staged = {f for f in log[:committed] if f.startswith("fsync ") and f.endswith(".parquet")}
    files = [p for p in event_files(workspace) if report.run_id in p.name]
    assert len(staged) == len(files) + 1 > 3  # the yearly event files and the listing, flushed before the commit
    assert all(report.run_id in f for f in staged)
    folders = {f.removeprefix("fsync ") for f in log[committed:manifest]}
    assert {str(p.parent) for p in event_files(workspace)} <= folders  # the renames, flushed before the manifest
    assert f"fsync {workspace / 'lake'}" in log[manifest:]  # and the manifest's own rename after it


def test_readers_refuse_a_missing_workspace(tmp_path: Path, bundle: Path) -> None:
    done = _prevdip(tmp_path / "nowhere", bundle, "events", "--json")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"prevdip: error: no prevdip workspace at {tmp_path / 'nowhere'} — run `prevdip init` "
        "(or set PREVDIP_WORKSPACE to an existing workspace)"
    ]


def test_a_lake_without_a_manifest_is_read_as_before_and_adopted_by_the_next_ingest(
    workspace: Path, tmp_path: Path, bundle: Path
) -> None:
    """A lake an older prevdip wrote: every file in the layout counts; the first ingest writes the manifest."""
    init_workspace()
    first = tmp_path / "a.export.CSV"
    gdelt_years(bundle, first, 700_000_000, 2)
    ingest("gdelt", [first])
    written = event_files(workspace)
    (workspace / "lake" / "manifest.json").unlink()
    for listing in (workspace / "lake" / "listing").iterdir():
        listing.unlink()
    older = lake_state(workspace)
    assert not older.managed and older.listing is None and older.event_files() == written
    assert _count(workspace, bundle) == 200

    second = tmp_path / "b.export.CSV"
    gdelt_years(bundle, second, 800_000_000, 1)
    ingest("gdelt", [second])
    state = lake_state(workspace)
    assert state.managed and set(written) < set(state.event_files()) and state.listing is not None
    assert _count(workspace, bundle) == 300


def test_event_files_are_written_in_page_order_with_the_canonical_schema(
    workspace: Path, tmp_path: Path, bundle: Path
) -> None:
    init_workspace()
    path = tmp_path / "a.export.CSV"
    gdelt_years(bundle, path, 700_000_000, 2)
    ingest("gdelt", [path])
    for file in event_files(workspace):
        assert pq.read_schema(file).equals(EVENT_SCHEMA, check_metadata=False)
        table = pq.read_table(file)
        keys = list(zip(table["date_start"].to_pylist(), table["source_event_id"].to_pylist(), strict=True))
        assert keys == sorted(keys, key=lambda k: (-k[0].toordinal(), k[1]))


def test_an_ingest_drops_listings_no_reader_can_reach(workspace: Path, tmp_path: Path, bundle: Path) -> None:
    """Each state's listing is kept while a reader may still be loading it (until the next ingest), then goes."""
    init_workspace()
    listings = []
    for number in range(3):
        path = tmp_path / f"{number}.export.CSV"
        gdelt_years(bundle, path, 700_000_000 + number * 1000, 1)
        ingest("gdelt", [path])
        listings.append(lake_state(workspace).listing)
    kept = sorted(p.relative_to(workspace / "lake").as_posix() for p in (workspace / "lake" / "listing").iterdir())
    assert kept == sorted(listings[1:])
