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
