"""One road: events fetched after the country-month series ends extend the panel that forecasts and signals read.

The GED rows below are real rows of the bundle's official-schema sample (``ucdp/ged231_sample1000_official_schema
.csv``), **re-dated** by this test to months after the series' last month (2026-05) — the situation after a
``prevdip fetch ucdp`` of Candidate events the series has not caught up with. Their ids are kept, so they are the
same events in a later month, read by the real connector through ``prevdip ingest ucdp-ged``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from prevdip.cli.app import app
from prevdip.events import country_month_deaths, series_relation
from prevdip.forecast import DEATHS_TARGET, load_target
from prevdip.signals import signals_for, stage_panel

SAMPLE = "ucdp/ged231_sample1000_official_schema.csv"
AFTER = "2026-07"  # two months after the series ends: June has no figure from either source
INSIDE = "2026-03"  # a month the series covers


def _redated(bundle: Path, folder: Path) -> tuple[Path, dict[str, int]]:
    """Afghanistan's sample rows moved into ``AFTER``, Tajikistan's into ``INSIDE``; their best deaths by month."""
    with (bundle / SAMPLE).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        rows = [r for r in reader if r["country"] in ("Afghanistan", "Tajikistan")]
    moved, deaths = [], {"AFG": 0, "TJK": 0}
    for row in rows:
        month, iso3 = (AFTER, "AFG") if row["country"] == "Afghanistan" else (INSIDE, "TJK")
        day = f"{month}-{int(row['date_start'][8:10]) % 28 + 1:02d} 00:00:00.000"
        moved.append(row | {"year": month[:4], "date_start": day, "date_end": day})
        deaths[iso3] += int(row["best"])
    path = folder / "ged231_redated_after_the_series.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        writer.writerows(moved)
    return path, deaths


@pytest.fixture
def extended(series_workspace: Path, bundle: Path, tmp_path: Path) -> dict[str, int]:
    """The series lake with the re-dated GED rows ingested through the CLI."""
    path, deaths = _redated(bundle, tmp_path)
    result = CliRunner().invoke(app, ["ingest", "ucdp-ged", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["accepted"] > 100
    assert deaths["AFG"] > 25 and deaths["TJK"] > 0  # real fatalities, enough to matter
    return deaths


def _series_value(workspace: Path, iso3: str, month: str) -> int:
    con = duckdb.connect()
    rows = series_relation(con, "country_month_deaths", workspace=workspace).filter(
        f"iso3 = '{iso3}' AND month = DATE '{month}-01'"
    )
    return int(rows.fetchall()[0][2])


def test_events_after_the_series_extend_the_forecast_panel(
    extended: dict[str, int], series_workspace: Path, bundle: Path
) -> None:
    panel = load_target(DEATHS_TARGET, bundle=bundle, workspace=series_workspace)
    assert panel.months[-1] == pd.Timestamp(f"{AFTER}-01")
    assert panel.values[panel.unit_index("AFG"), panel.month_index(AFTER)] == extended["AFG"]
    assert panel.values[:, panel.month_index("2026-06")].sum() == 0  # no source has June
    # Inside the series' months the series decides: the re-dated Tajik events do not add to it.
    tjk = panel.values[panel.unit_index("TJK"), panel.month_index(INSIDE)]
    assert tjk == _series_value(series_workspace, "TJK", INSIDE)
    assert panel.lake  # the panel names the lake state it was read from


def test_events_after_the_series_extend_the_signals_panel(extended: dict[str, int], series_workspace: Path) -> None:
    countries = stage_panel("country", workspace=series_workspace)
    assert countries["month"].max() == pd.Timestamp(f"{AFTER}-01")
    afg = countries[(countries["unit"] == "AFG") & (countries["month"] == pd.Timestamp(f"{AFTER}-01"))].iloc[0]
    assert afg["series_deaths"] == extended["AFG"] and afg["stage"] == "war"
    reading = signals_for("AFG", AFTER, workspace=series_workspace)
    source = next(e["source"] for e in reading["evidence"] if e.get("series") == "country_month_deaths")
    assert source == "lake:events/ucdp-ged"  # the evidence says the figure came from the events
    before = signals_for("AFG", "2026-05", workspace=series_workspace)
    source = next(e["source"] for e in before["evidence"] if e.get("series") == "country_month_deaths")
    assert source == "lake:series/country_month_deaths"


def test_the_precedence_is_one_relation(extended: dict[str, int], series_workspace: Path) -> None:
    con = duckdb.connect()
    frame = country_month_deaths(con, workspace=series_workspace).df()
    by_source = frame.groupby("source")["month"].agg(["min", "max"])
    assert by_source.loc["ucdp-cm", "max"] == pd.Timestamp("2026-05-01")
    assert by_source.loc["ucdp-ged", "min"] == pd.Timestamp(f"{AFTER}-01")
    assert not frame.duplicated(["iso3", "month"]).any()  # never two figures for one country-month


def test_without_the_series_signals_and_forecasts_refuse_in_one_line(workspace: Path) -> None:
    for args in (["signals", "--country", "KGZ", "--month", "2022-09"], ["backtest", "--models", "zero"]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, result.output
        assert "the lake holds no country-month series" in result.stderr and "prevdip ingest bundle" in result.stderr
        assert "Traceback" not in result.output
