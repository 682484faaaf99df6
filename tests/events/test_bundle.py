"""The done-when figures: the reference bundle loaded, every row accounted for, a second run adds nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from prevdip.events import events_relation, ingest, series_relation

pytestmark = pytest.mark.slow


def _run(result: dict[str, Any], source: str) -> dict[str, Any]:
    return next(r for r in result["runs"] if r["source"] == source)


def test_every_row_is_accounted_for(bundle_lake: dict[str, Any]) -> None:
    for result in (bundle_lake["first"], bundle_lake["second"]):
        for run in result["runs"]:
            assert run["rows"] == run["accepted"] + run["duplicates"] + run["quarantined"], run
            assert sum(run["reasons"].values()) == run["quarantined"]


def test_ged_figures(bundle_lake: dict[str, Any]) -> None:
    ged = _run(bundle_lake["first"], "ucdp-ged")
    # 1,000 official rows + 176,579 reduced global + 24,077 regional (a subset of the global: all duplicates).
    assert ged["rows"] == 1_000 + 176_579 + 24_077
    assert ged["accepted"] == 1_000 + 176_579
    assert ged["duplicates"] == 24_077
    con = duckdb.connect()
    events = events_relation(con, workspace=bundle_lake["workspace"])
    by_version = dict(events.filter("source = 'ucdp-ged'").aggregate("source_version, count(*)").fetchall())
    # 563 sample events are also in the 21.1 extract: the 23.1 version supersedes them.
    assert by_version == {"23.1": 1_000, "21.1": 176_579 - 563}
    tjk = events.filter("source = 'ucdp-ged' and country_iso3 = 'TJK'").count("*")
    assert tjk.fetchall()[0][0] == 181  # 179 of GED 21.1 and the 2 of the 23.1 sample


def test_other_sources(bundle_lake: dict[str, Any]) -> None:
    first = bundle_lake["first"]
    gdelt = _run(first, "gdelt")
    assert (gdelt["rows"], gdelt["accepted"]) == (300, 300)
    bar = _run(first, "tfdd-bar")
    assert bar["rows"] == 7_128
    assert bar["quarantined"] == bar["reasons"]["bad date"] == 18
    acd = _run(first, "ucdp-acd")
    assert acd["reasons"] == {"broken record": 1}
    con = duckdb.connect()
    years = series_relation(con, "conflict_years", workspace=bundle_lake["workspace"])
    kgz_tjk = years.filter("source = 'ucdp-brd' and iso3_a = 'KGZ' and iso3_b = 'TJK'").order("year")
    assert kgz_tjk.project("year, best_deaths").fetchall() == [(2021, 56), (2022, 150)]
    latest = years.filter("source = 'ucdp-acd'").aggregate("max(year)").fetchall()[0][0]
    assert latest == 2024  # ACD 25.1 supersedes 22.1
    deaths = series_relation(con, "country_month_deaths", workspace=bundle_lake["workspace"])
    assert deaths.filter("iso3 = 'KGZ' and month = DATE '2022-09-01'").project("best_deaths").fetchall()[0][0] > 0
    aral = events_relation(con, workspace=bundle_lake["workspace"]).filter("source_sub_event_type = 'ARAL'")
    assert aral.count("*").fetchall()[0][0] == 229 - 10  # the Aral basin's 229 events, 10 of them undated


def test_second_run_accepts_nothing_new(bundle_lake: dict[str, Any]) -> None:
    second = bundle_lake["second"]
    assert second["accepted"] == 0
    for run in second["runs"]:
        assert run["duplicates"] == run["rows"] - run["quarantined"]


def test_official_sample_alone(workspace: Path, bundle: Path) -> None:
    report = ingest("ucdp-ged", [bundle / "ucdp" / "ged231_sample1000_official_schema.csv"])
    assert (report.rows, report.accepted, report.quarantined) == (1_000, 1_000, 0)
    again = ingest("auto", [bundle / "ucdp" / "ged231_sample1000_official_schema.csv"])
    assert (again.accepted, again.duplicates) == (0, 1_000)


def test_lake_uids_are_the_schema_hash(bundle_lake: dict[str, Any]) -> None:
    from prevdip.events import event_uid

    con = duckdb.connect()
    rows = (
        events_relation(con, workspace=bundle_lake["workspace"])
        .project("event_uid, source, source_event_id, source_version")
        .limit(50)
        .fetchall()
    )
    assert rows and all(uid == event_uid(s, i, v) for uid, s, i, v in rows)


def test_skip_loaded_passes_over_sources_already_read(
    bundle_lake: dict[str, Any], bundle: Path, pointing_at: Any
) -> None:
    from prevdip.events.bundle import ingest_bundle

    with pointing_at(bundle_lake["workspace"], bundle):
        third = ingest_bundle(bundle, skip_loaded=True)
    assert third["runs"] == []
    assert set(third["skipped"]) == {"ucdp-ged", "ucdp-acd", "ucdp-brd", "ucdp-cm", "gdelt", "tfdd-bar"}
