"""The universe of the country-month target: every Gleditsch–Ward state alive in the month (issue 15).

The reference figures are the issue's, measured on the bundle with the decay-of-history baseline over origins
2018-01..2025-06: onset AUROC 0.716 / 0.704 / 0.688 on the series' 133 columns, 0.824 / 0.818 / 0.808 over every
GW state alive, and average precision 0.043 / 0.112 / 0.183.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from prevdip.errors import RefusedInput
from prevdip.forecast import BASELINES, TargetPanel, parse_origins, run_backtest
from prevdip.forecast.universe import in_state_system, state_system

ONSET_DECAY = {1: (0.824, 0.043), 3: (0.818, 0.112), 6: (0.808, 0.183)}


def test_every_state_alive_is_a_unit_with_zeros_where_ucdp_records_none(
    panel: TargetPanel, series: TargetPanel
) -> None:
    alive_2025 = panel.in_universe()[:, panel.month_index("2025-01")]
    assert alive_2025.sum() == 197
    assert {"KAZ", "TKM", "ISL", "MCO", "XAB"} <= {u for u, a in zip(panel.units, alive_2025, strict=True) if a}
    for unit in ("KAZ", "TKM"):
        assert unit not in series.units and (panel.values[panel.unit_index(unit)] == 0).all()
    tjk = panel.values[panel.unit_index("TJK")]
    assert np.array_equal(tjk, series.values[series.unit_index("TJK")])  # the series' own columns are kept
    assert panel.outside_system == ()  # every column of the bundle's series is a GW state


def test_a_state_is_in_the_universe_only_while_it_exists(panel: TargetPanel) -> None:
    alive = panel.in_universe()
    ssd = alive[panel.unit_index("SSD")]
    assert not ssd[panel.month_index("2011-06")] and ssd[panel.month_index("2011-07")]  # independence, 9 July 2011
    ddr = alive[panel.unit_index("DDR")]
    assert ddr[panel.month_index("1990-09")] and not ddr[panel.month_index("1990-11")]  # reunification
    srb = alive[panel.unit_index("SRB")]  # Yugoslavia (GW 345) and then Serbia (GW 340): one unit throughout
    assert srb[panel.month_index("2006-05")] and srb[panel.month_index("2006-07")]
    assert alive[panel.unit_index("KAZ"), panel.month_index("2026-05")]  # 2022's system carried past the table


def test_dead_states_are_neither_scored_nor_counted(panel: TargetPanel) -> None:
    result = run_backtest(panel, origins=parse_origins("1990-01:1990-03", panel), horizons=(12,), models=["zero"])
    units = {panel.units[i] for i in result.scored["zero"][12].unit}
    assert "DDR" not in units and "DEU" in units  # the GDR ended in October 1990, before origin + 12
    assert result.n_units == len(units)


def test_decay_baseline_reproduces_the_issue_on_the_whole_state_system(panel: TargetPanel) -> None:
    result = run_backtest(panel, origins=parse_origins("2018-01:2025-06", panel), horizons=(1, 3, 6), models=["decay"])
    scores = result.as_json()["scores"]["decay"]
    for h, (auroc, ap) in ONSET_DECAY.items():
        assert scores[str(h)]["onset_auroc"] == pytest.approx(auroc, abs=0.002)
        assert scores[str(h)]["onset_ap"] == pytest.approx(ap, abs=0.002)
        assert scores[str(h)]["onset_auroc_history"] < scores[str(h)]["onset_auroc"]  # never-violent states are easy


def test_decay_says_what_it_promises(panel: TargetPanel) -> None:
    history = panel.history(panel.month_index("2022-09"))
    forecast = BASELINES["decay"](history, panel.neighbours)
    p = forecast.prob_positive()
    assert p[panel.unit_index("TJK")] == 1.0  # a death in the origin month itself
    assert p[panel.unit_index("KAZ")] == 0.0  # never a UCDP death
    months_since = history.shape[1] - 1 - np.flatnonzero(history[panel.unit_index("UZB")] > 0).max()
    assert p[panel.unit_index("UZB")] == pytest.approx(2 ** (-months_since / 24))


def test_a_missing_state_table_is_refused(tmp_path: Path, series: TargetPanel) -> None:
    with pytest.raises(RefusedInput, match="gwstate_age.csv is missing"):
        state_system(tmp_path, pd.date_range("2000-01-01", periods=3, freq="MS"))
    (tmp_path / "covariates").mkdir()
    (tmp_path / "covariates" / "gwstate_age.csv").write_text("code,yr\n705,2020\n", encoding="utf-8")
    with pytest.raises(RefusedInput, match="no column gwcode, year"):
        in_state_system(series, tmp_path)
