"""``prevdip backtest`` and ``prevdip forecast`` through the CLI: one JSON object, exit 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from prevdip.cli.app import app

runner = CliRunner()


def test_backtest_json(series_workspace: Path) -> None:
    args = ["backtest", "--origins", "2023-01:2023-03", "--horizons", "1,3", "--models", "zero,last", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["origins"] == ["2023-01", "2023-03"] and data["n_units"] == 197
    assert set(data["scores"]) == {"conflictology12", "zero", "last"}
    assert set(data["scores"]["last"]["3"]) >= {"crps", "onset_auroc", "coverage90"}


def test_backtest_prints_tables_for_people(series_workspace: Path) -> None:
    result = runner.invoke(app, ["backtest", "--origins", "2023-01:2023-02", "--horizons", "1", "--models", "zero"])
    assert result.exit_code == 0, result.output
    assert "horizon 1" in result.stdout and "conflictology12" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["backtest", "--origins", "2018-01"], "not a range"),
        (["backtest", "--horizons", "0"], "≥ 1"),
        (["backtest", "--models", "oracle"], "unknown model"),
        (["backtest", "--target", "acled-events"], "unknown target"),
        (["forecast", "--month", "1989-05"], "too little history"),
        (["forecast", "--month", "2031-01"], "outside"),
    ],
)
def test_bad_input_exits_2_with_one_line(series_workspace: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


@pytest.mark.slow
def test_forecast_freezes_a_vintage_once(series_workspace: Path) -> None:
    first = runner.invoke(app, ["forecast", "--month", "2026-05", "--json"])
    assert first.exit_code == 0, first.output
    data = json.loads(first.stdout)
    assert data["written"] and data["origin"] == "2026-05" and data["model"] == "ensemble"
    assert Path(data["path"]).is_file() and Path(data["path"]).parent == series_workspace / "vintages"
    horizons = {r["horizon"] for r in data["forecasts"]}
    assert horizons == {1, 3, 6, 12}
    again = runner.invoke(app, ["forecast", "--month", "2026-05", "--json"])
    assert again.exit_code == 0 and json.loads(again.stdout)["vintage"] == data["vintage"]
    assert not json.loads(again.stdout)["written"]
