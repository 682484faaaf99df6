"""The backtest on a few origins: the JSON shape of issue 4, the horizon convention, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from prevdip.errors import RefusedInput
from prevdip.forecast import TargetPanel, parse_origins, run_backtest
from prevdip.forecast.backtest import JSON_SCORES

MODELS = ["zero", "last", "hurdle_glm"]


@pytest.fixture(scope="module")
def small(panel: TargetPanel, bundle: Path) -> dict:
    result = run_backtest(
        panel, origins=parse_origins("2024-01:2024-04", panel), horizons=(1, 3), models=MODELS, bundle=bundle
    )
    return result.as_json()


def test_json_has_exactly_the_issue_shape(small: dict) -> None:
    assert set(small) == {
        "target", "origins", "n_units", "scores", "skill_vs_conflictology12", "bar", "alarms", "calibration"
    }  # fmt: skip
    assert small["bar"] is None and small["alarms"] == {}  # both read the best model, which this did not run
    assert small["calibration"] == {}
    assert small["target"] == "ucdp-best"
    assert small["origins"] == ["2024-01", "2024-04"]
    assert small["n_units"] == 197  # every GW state alive in 2024, KAZ and TKM among them
    assert set(small["scores"]) == {"conflictology12", *MODELS}
    for model, by_h in small["scores"].items():
        assert set(by_h) == {"1", "3"}
        for scores in by_h.values():
            assert list(scores) == list(JSON_SCORES)
            assert scores["crps"] >= 0 and 0 <= scores["coverage90"] <= 1
        for skill in small["skill_vs_conflictology12"][model].values():
            assert set(skill) == {"crps_skill", "ci_low", "ci_high"}
            assert skill["ci_low"] <= skill["crps_skill"] <= skill["ci_high"]
    assert small["skill_vs_conflictology12"]["conflictology12"]["1"]["crps_skill"] == 0


def test_zero_scores_mean_absolute_deaths(small: dict, panel: TargetPanel) -> None:
    first = panel.month_index("2024-01")
    alive = panel.in_universe()[:, first]
    observed = panel.values[alive, first + 1 : first + 5]  # h = 1 scores origin + 1, states that exist only
    assert small["scores"]["zero"]["1"]["crps"] == pytest.approx(observed.mean())


def test_origins_beyond_the_data_are_dropped_per_horizon(panel: TargetPanel, bundle: Path) -> None:
    result = run_backtest(panel, origins=parse_origins("2026-03:2026-04", panel), horizons=(1,), models=["zero"])
    assert result.scored["zero"][1].observed.shape == (197 * 2,)
    with pytest.raises(RefusedInput, match="horizon 3"):
        run_backtest(panel, origins=parse_origins("2026-03:2026-04", panel), horizons=(3,), models=["zero"])


def test_bad_requests_are_refused(panel: TargetPanel) -> None:
    with pytest.raises(RefusedInput, match="unknown model"):
        run_backtest(panel, origins=[400], horizons=(1,), models=["oracle"])
    with pytest.raises(RefusedInput, match="not a range"):
        parse_origins("2018-01", panel)
    with pytest.raises(RefusedInput, match="backwards"):
        parse_origins("2020-01:2019-01", panel)
