"""Target (c): P(stage ≥ crisis) for Central Asia's countries and border dyads, from the signals stage panels."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from prevdip.cli.app import app
from prevdip.forecast import TargetPanel, parse_origins, run_backtest
from prevdip.forecast.stage_target import load_stage_crisis


@pytest.fixture(scope="module")
def stages(bundle: Path, series_lake: Path) -> TargetPanel:
    return load_stage_crisis(bundle, series_lake)


def test_countries_and_dyads_share_one_binary_panel(stages: TargetPanel) -> None:
    assert {"TJK", "KGZ", "UZB", "KGZ-TJK", "TJK-UZB"} <= set(stages.units)
    assert set(np.unique(stages.values)) <= {0.0, 1.0}
    sept_2022 = stages.month_index("2022-09")
    assert stages.values[stages.unit_index("KGZ-TJK"), sept_2022] == 1  # the border war: war stage
    near = {stages.units[i] for i in stages.neighbours[stages.unit_index("KGZ-TJK")]}
    assert "KGZ-UZB" in near and "TJK-UZB" in near and "KGZ" not in near
    assert "panel_events" in stages.covariates


def test_stage_backtest_scores_baselines_and_the_count_glm(stages: TargetPanel, bundle: Path) -> None:
    result = run_backtest(
        stages,
        origins=parse_origins("2021-01:2022-12", stages),
        horizons=(1, 3),
        models=["zero", "hurdle_glm"],
        bundle=bundle,
    ).as_json()
    assert result["target"] == "stage-crisis" and result["n_units"] == stages.n_units
    c12 = result["scores"]["conflictology12"]["1"]
    assert 0 <= c12["crps"] <= 1 and c12["auroc"] is not None and c12["auroc"] > 0.8
    assert result["scores"]["zero"]["1"]["crps"] > c12["crps"]


def test_cli_backtest_stage_crisis(series_workspace: Path) -> None:
    args = [
        "backtest",
        "--target",
        "stage-crisis",
        "--origins",
        "2022-01:2022-03",
        "--horizons",
        "1",
        "--models",
        "zero",
    ]
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["target"] == "stage-crisis"
