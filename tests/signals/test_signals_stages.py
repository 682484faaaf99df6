"""Stages on Lund's curve: the rule ladder, instruments, trend arrows, and the September 2022 border war."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prevdip.signals import INSTRUMENTS, RULES, STAGES, stage_panel
from prevdip.signals.panels import CATEGORY_COLUMNS
from prevdip.signals.stages import RULES_BY_ID, staged_sql

QUIET: dict[str, Any] = {
    **dict.fromkeys(CATEGORY_COLUMNS, 0),
    "events": 0,
    "deaths": 0,
    "cy_intensity": None,
    "cy_deaths": None,
    "months_since_1": None,
    "months_since_25": None,
}

# One row per rule that meets it and no rule above it.
TRIGGERS: dict[str, dict[str, Any]] = {
    "W1": {"deaths": 25, "months_since_1": 0, "months_since_25": 0},
    "W2": {"deaths": 3, "cy_intensity": 2, "months_since_1": 0},
    "W3": {"cy_intensity": 2, "months_since_25": 2, "months_since_1": 2},
    "C1": {"deaths": 1, "months_since_1": 0},
    "C2": {"n_battle": 1, "n_border_incident": 1},
    "P1": {"months_since_25": 24, "months_since_1": 24},
    "U1": {"months_since_1": 12},
    "U2": {"n_riot": 1, "n_threat": 1},
    "S1": {"months_since_1": 120},
    "S2": {"n_protest": 1},
    "D1": {"months_since_1": 121},
}


def _stage(rows: list[dict[str, Any]]) -> pd.DataFrame:
    cells = [{**QUIET, "unit": "X", "month": pd.Timestamp(2020, 1 + i, 1), **r} for i, r in enumerate(rows)]
    frame = pd.DataFrame(cells)
    con = duckdb.connect()
    con.register("panel", frame)
    return con.sql(staged_sql("panel")).df()


def test_every_rule_is_reachable_and_decides_its_stage() -> None:
    assert set(TRIGGERS) == {r.id for r in RULES}
    for rule_id, fields in TRIGGERS.items():
        row = _stage([fields]).iloc[0]
        assert row["stage_rule"] == rule_id, (rule_id, row["stage_rule"])
        assert row["stage"] == RULES_BY_ID[rule_id].stage
        assert row["instrument"] == INSTRUMENTS[row["stage"]]
    assert {RULES_BY_ID[r].stage for r in TRIGGERS} == set(STAGES)


@pytest.mark.parametrize(
    ("months", "trends"),
    [
        ([{}, {"deaths": 30, "months_since_25": 0, "months_since_1": 0}], ["unchanged", "deteriorated"]),
        (
            [{"deaths": 30, "months_since_25": 0, "months_since_1": 0}, {"months_since_25": 1, "months_since_1": 1}],
            ["unchanged", "improved"],
        ),
        (  # same stage (war), deaths more than doubled: deteriorated; then halved: improved; then steady
            [{"deaths": d, "months_since_25": 0, "months_since_1": 0} for d in (30, 90, 40, 45)],
            ["unchanged", "deteriorated", "improved", "unchanged"],
        ),
    ],
)
def test_trend_against_the_previous_month(months: list[dict[str, Any]], trends: list[str]) -> None:
    assert list(_stage(months)["trend"]) == trends


ROW = st.fixed_dictionaries(
    {
        "deaths": st.integers(0, 400),
        "cy_intensity": st.sampled_from([None, 1, 2]),
        "months_since_1": st.one_of(st.none(), st.integers(0, 300)),
        "months_since_25": st.one_of(st.none(), st.integers(0, 300)),
        "n_battle": st.integers(0, 3),
        "n_riot": st.integers(0, 3),
        "n_protest": st.integers(0, 2),
        "n_water_conflict": st.integers(0, 2),
    }
)


@settings(max_examples=30, deadline=None)
@given(st.lists(ROW, min_size=1, max_size=8))
def test_exactly_one_stage_instrument_and_trend_per_cell(rows: list[dict[str, Any]]) -> None:
    staged = _stage(rows)
    assert len(staged) == len(rows)
    assert staged["stage"].isin(STAGES).all()
    assert (staged["instrument"] == staged["stage"].map(INSTRUMENTS)).all()
    assert (staged["stage_rule"].map(lambda r: RULES_BY_ID[r].stage) == staged["stage"]).all()
    assert staged["trend"].isin(["deteriorated", "improved", "unchanged"]).all()
    assert (staged.loc[staged["deaths"] >= 25, "stage"] == "war").all()


def test_september_2022_border_war_from_the_series_alone(series_workspace: Path) -> None:
    """With no event in the lake, the bundle's series alone put the Kyrgyz-Tajik war where it belongs."""
    for kind, unit in (("country", "KGZ"), ("country", "TJK"), ("dyad", "KGZ-TJK")):
        panel = stage_panel(kind, workspace=series_workspace)  # type: ignore[arg-type]
        cell = panel[(panel["unit"] == unit) & (panel["month"] == pd.Timestamp("2022-09-01"))].iloc[0]
        assert cell["stage"] in ("crisis", "war"), (unit, cell["stage"])
        assert cell["trend"] == "deteriorated"
        before = panel[(panel["unit"] == unit) & (panel["month"] == pd.Timestamp("2022-08-01"))].iloc[0]
        assert before["stage"] not in ("crisis", "war")


def test_september_2022_with_events_in_the_lake(scene_workspace: Path) -> None:
    dyads = stage_panel("dyad", workspace=scene_workspace)
    cell = dyads[(dyads["unit"] == "KGZ-TJK") & (dyads["month"] == pd.Timestamp("2022-09-01"))].iloc[0]
    assert cell["stage"] == "war" and cell["instrument"] == "peacemaking" and cell["stage_rule"] == "W1"


def test_the_documentation_states_every_rule_and_threshold() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "stages.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"| {rule.id} |" in doc and rule.condition in doc, rule.id
    for stage, instrument in INSTRUMENTS.items():
        assert f"`{stage}`" in doc and f"`{instrument}`" in doc
