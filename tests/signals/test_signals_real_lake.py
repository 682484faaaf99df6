"""Signals over the whole reference bundle ingested into the lake (slow: one ingest per session)."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest

from prevdip.signals import STAGES, classify_events, episode_record, signals_for, stage_panel

pytestmark = pytest.mark.slow


def _cell(frame: pd.DataFrame, unit: str, month: str) -> pd.Series:
    return frame[(frame["unit"] == unit) & (frame["month"] == pd.Timestamp(month))].iloc[0]


def test_september_2022_from_the_ingested_series(real_lake: Path) -> None:
    countries = stage_panel("country", workspace=real_lake)
    dyads = stage_panel("dyad", workspace=real_lake)
    for frame, unit in ((countries, "KGZ"), (countries, "TJK"), (dyads, "KGZ-TJK")):
        assert _cell(frame, unit, "2022-09")["stage"] in ("crisis", "war"), unit
    reading = signals_for("KGZ-TJK", "2022-09", workspace=real_lake)
    series = [e for e in reading["evidence"] if e["kind"] == "series"]
    assert {e["source"] for e in series} == {"lake:series/country_month_deaths", "lake:series/conflict_years"}


def test_the_imu_incursions_come_from_ged_events(real_lake: Path) -> None:
    countries = stage_panel("country", workspace=real_lake)
    for unit in ("KGZ", "UZB"):
        cell = _cell(countries, unit, "2000-08")
        assert cell["stage"] == "war" and cell["events"] > 0 and cell["event_deaths"] > 25
        assert cell["pg_cross_border_threats"] > 0  # IMU is named in the taxonomy
    dyads = stage_panel("dyad", workspace=real_lake)
    batken = _cell(dyads, "KGZ-TJK", "2000-08")  # the incursion came through the Batken border area
    assert batken["cross_border_deaths"] > 0 and batken["stage"] in ("crisis", "war")


def test_every_regional_event_is_classified_or_unclassified(real_lake: Path) -> None:
    frame = classify_events(workspace=real_lake)
    assert frame["event_uid"].nunique() > 20_000  # the regional GED events, BAR water events, GDELT rows
    groups = frame.groupby("event_uid")["priority_group"].agg(set)
    assert all(g == {"unclassified"} or "unclassified" not in g for g in groups)
    imu = frame[frame["rule_id"] == "terror-actor"]
    assert len(imu) > 100
    bar = frame[frame["source"] == "tfdd-bar"].groupby("event_uid")["priority_group"].agg(set)
    assert len(bar) > 300 and all("environment_water_energy" in g for g in bar)  # every BAR event is about water


def test_the_honest_record_on_real_data(real_lake: Path) -> None:
    start = time.perf_counter()
    record = episode_record(workspace=real_lake)
    assert time.perf_counter() - start < 30
    for episode in record:
        for entry in episode["record"].values():
            assert entry["at_start"]["stage"] in STAGES
            assert all(lead["stage"] in STAGES for lead in entry["before"].values())
    war = next(e for e in record if e["id"] == "kgz-tjk-border-2022")
    assert war["record"]["KGZ-TJK"]["at_start"]["stage"] == "war"


MAY_2026 = {"KAZ": "durable_peace", "KGZ": "stable_peace", "TJK": "unstable_peace", "TKM": "durable_peace",
            "UZB": "stable_peace", "AFG": "crisis"}  # fmt: skip


def test_past_the_event_sources_the_evidence_cites_the_newest_events_and_the_stages_stand(real_lake: Path) -> None:
    """2026-05 is past every event file of the bundle: the stages (from the series) are the demo's, and the evidence
    cites the newest events the lake holds for each country, dated, after a sentence saying why they are older."""
    countries = stage_panel("country", workspace=real_lake)
    assert {unit: _cell(countries, unit, "2026-05")["stage"] for unit in MAY_2026} == MAY_2026
    for unit, stage in MAY_2026.items():
        reading = signals_for(unit, "2026-05", workspace=real_lake)
        assert reading["stage"] == stage
        cited = [e for e in reading["evidence"] if e["kind"] == "event"]
        (why,) = [e for e in reading["evidence"] if e["kind"] == "coverage"]
        assert cited, unit  # every country of the region has events in the bundle
        months = {e["date"][:7] for e in cited}
        assert months == {why["newest"]} and why["newest"] < "2026-05"
        assert {gap["source"] for gap in why["ended"]} >= {"ucdp-ged"}
        assert reading["evidence"].index(why) < reading["evidence"].index(cited[0])
    kyrgyz = signals_for("KGZ", "2026-05", workspace=real_lake)
    newest = [e for e in kyrgyz["evidence"] if e["kind"] == "coverage"][0]["newest"]
    assert signals_for("KGZ", newest, workspace=real_lake)["evidence"][-1]["kind"] == "event"  # its own month: no gap
    assert not [e for e in kyrgyz["evidence"] if e["kind"] == "event" and e["date"][:7] > "2026-05"]
