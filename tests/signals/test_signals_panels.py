"""Country, border-dyad and admin1 panels over a hand-written lake and the bundle's real series."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from prevdip.geo import BORDER_DYADS, region
from prevdip.signals import admin1_panel, stage_panel
from prevdip.signals.panels import CATEGORY_COLUMNS, GROUP_COLUMNS


def _cell(frame: pd.DataFrame, unit: str, month: str) -> pd.Series:
    rows = frame[(frame["unit"] == unit) & (frame["month"] == pd.Timestamp(month))]
    assert len(rows) == 1, f"{unit} {month}: {len(rows)} rows"
    return rows.iloc[0]


@pytest.fixture
def country(scene_workspace: Path) -> pd.DataFrame:
    return stage_panel("country", workspace=scene_workspace)


def test_country_panel_is_a_complete_grid(country: pd.DataFrame) -> None:
    units = set(region("neighbours").iso3s)
    assert set(country["unit"]) == units
    months = country["month"].drop_duplicates().sort_values()
    assert months.iloc[0] == pd.Timestamp("1989-01-01")
    assert months.iloc[-1] == pd.Timestamp("2026-05-01")  # the series reach further than the events
    assert len(country) == len(units) * len(months)
    assert not country.duplicated(["unit", "month"]).any()
    for column in (*CATEGORY_COLUMNS, *GROUP_COLUMNS, "events", "deaths", "decay_1", "decay_5", "decay_25"):
        assert country[column].notna().all(), column


def test_cells_count_categories_groups_fatalities_and_goldstein(country: pd.DataFrame) -> None:
    tjk = _cell(country, "TJK", "2022-09")
    assert tjk["events"] == 2  # the Vorukh battle and the Panj heroin seizure
    assert tjk["n_battle"] == 1 and tjk["n_strategic_development"] == 1
    assert tjk["event_deaths"] == 10
    assert tjk["pg_border_disputes"] == 1 and tjk["pg_cross_border_threats"] == 1
    assert tjk["series_deaths"] == 83  # the series' figure, larger than the events' ...
    assert tjk["deaths"] == 83  # ... so it is the cell's deaths (no double counting)
    kgz = _cell(country, "KGZ", "2022-09")
    assert kgz["n_agreement"] == 1 and kgz["unclassified"] == 1
    assert kgz["goldstein_sum"] == 9.0 and kgz["goldstein_mean"] == 9.0
    kaz = _cell(country, "KAZ", "1999-09")
    assert kaz["bar_water_score"] == 1 and kaz["water_events"] == 1 and kaz["pg_environment_water_energy"] == 1
    afg = _cell(country, "AFG", "2022-09")
    assert afg["pg_afghanistan_spillover"] == 1 and afg["pg_cross_border_threats"] == 1


def test_months_since_and_decay(country: pd.DataFrame) -> None:
    kgz = country[country["unit"] == "KGZ"].set_index("month")
    assert kgz.loc["2022-09-01", "months_since_25"] == 0
    assert kgz.loc["2023-03-01", "months_since_25"] == 6
    assert kgz.loc["2023-03-01", "decay_25"] == pytest.approx(2 ** (-6 / 24))
    assert kgz.loc["2023-03-01", "months_since_1"] <= kgz.loc["2023-03-01", "months_since_25"]
    never = country[country["unit"] == "KAZ"]  # UCDP records no fatality in Kazakhstan
    assert never["months_since_1"].isna().all() and (never["decay_1"] == 0).all()


def test_spatial_lag_sums_the_neighbours_deaths(country: pd.DataFrame) -> None:
    units = set(country["unit"])
    neighbours = {d.b for d in BORDER_DYADS if d.a == "KGZ" and d.b in units}
    neighbours |= {d.a for d in BORDER_DYADS if d.b == "KGZ" and d.a in units}
    sep = country[country["month"] == pd.Timestamp("2022-09-01")].set_index("unit")
    assert _cell(country, "KGZ", "2022-09")["neighbours_deaths"] == sep.loc[sorted(neighbours), "deaths"].sum()
    assert sep.loc["TJK", "deaths"] > 0 and "TJK" in neighbours


def test_dyad_panel_counts_interstate_and_near_border_events(scene_workspace: Path) -> None:
    dyads = stage_panel("dyad", workspace=scene_workspace)
    cell = _cell(dyads, "KGZ-TJK", "2022-09")
    assert cell["events"] == 1  # Vorukh: interstate and on the line, counted once; Bishkek is far from any border
    assert cell["event_deaths"] == 10
    assert cell["cy_interstate"] and cell["cy_deaths"] == 150  # UCDP BRD 25.1, dyad 14236
    assert cell["deaths"] == 150  # both countries' series attributed to the dyad in its conflict year
    afg_tjk = _cell(dyads, "AFG-TJK", "2022-09")
    assert afg_tjk["events"] == 2  # the ISKP attack near the line and the Panj seizure
    assert _cell(dyads, "KGZ-UZB", "2022-09")["events"] == 0


def test_admin1_panel_places_events_in_provinces(scene_workspace: Path) -> None:
    panel = admin1_panel(workspace=scene_workspace)
    assert {"TJK:Khatlon", "AFG:Kunduz", "KAZ:Almaty", "KGZ:Bishkek"} <= set(panel["unit"])
    assert _cell(panel, "AFG:Kunduz", "2022-09")["event_deaths"] == 3
    assert _cell(panel, "TJK:Khatlon", "2022-09")["pg_cross_border_threats"] == 1
    # every event placed below the country is in exactly one cell (the BAR event names only a river)
    assert panel["events"].sum() == 5


def test_a_callers_connection_keeps_the_panel_tables(scene_workspace: Path) -> None:
    import duckdb

    con = duckdb.connect()
    dyads = stage_panel("dyad", workspace=scene_workspace, con=con)
    assert len(dyads) == con.execute("SELECT count(*) FROM dyad_panel").fetchall()[0][0]
    assert con.execute("SELECT count(*) FROM event_groups").fetchall()[0][0] > 0  # for further SQL by the caller
