"""``prevdip water game`` and ``prevdip water deal``: the documented JSON and refusals of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from prevdip.cli.app import app
from prevdip.water import deal

runner = CliRunner()


def write(tmp_path: Path, data: object) -> str:
    path = tmp_path / "GAME.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_game_json_solves_the_published_example(tmp_path: Path) -> None:
    keys = ["1", "2", "3", "4", "1,2", "1,3", "1,4", "2,3", "2,4", "3,4"]
    values = dict(zip(keys, [0, 0, 0, 0, 5, 5, 8, 9, 10, 8], strict=True))
    values.update({"3,2,1": 13, "1,2,4": 15, "1,3,4": 16, "2,3,4": 17, "4,3,2,1": 21})
    result = runner.invoke(
        app, ["water", "game", write(tmp_path, {"players": list("1234"), "values": values}), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data["nucleolus"].values()) == pytest.approx([3.5, 4.5, 5.5, 7.5], abs=1e-6)
    assert data["core_nonempty"] is True and data["least_core_epsilon"] < 0
    assert sum(data["shapley"].values()) == pytest.approx(21)
    assert sum(data["nash_bargaining"].values()) == pytest.approx(21)
    assert set(data["propensity_to_disrupt"]) >= {"shapley", "nucleolus", "prenucleolus", "nash_bargaining"}


@pytest.mark.parametrize(
    ("game", "message"),
    [
        ({"players": ["A", "B"], "values": {"A": 1, "B": 0}}, "no value for coalition A,B"),
        ({"players": ["A", "B"], "values": {"A": 1, "B": 0, "A,C": 2}}, "unknown player(s) ['C']"),
        ({"players": ["A", "B"], "values": {"A": 1, "B": 0, "A,B": "lots"}}, "must be a number"),
        ({"players": "A,B", "values": {}}, "'players' must be a list"),
    ],
)
def test_bad_game_file_exits_2_with_a_clear_message(tmp_path: Path, game: dict, message: str) -> None:
    result = runner.invoke(app, ["water", "game", write(tmp_path, game)])
    assert result.exit_code == 2
    assert message in result.stderr


def test_game_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "GAME.json"
    path.write_text("{players: nope", encoding="utf-8")
    result = runner.invoke(app, ["water", "game", str(path)])
    assert result.exit_code == 2 and "not valid JSON" in result.stderr


@pytest.fixture(scope="module")
def syr_deal() -> dict:
    return deal("syr-darya", ["dry"])


def test_deal_has_the_documented_shape(syr_deal: dict) -> None:
    assert syr_deal["players"] == ["KGZ", "UZB", "TJK", "KAZ"]
    assert len(syr_deal["coalition_values"]) == 15 and "KGZ,UZB" in syr_deal["coalition_values"]
    for name in ("shapley", "nucleolus", "nash_bargaining", "kalai_smorodinsky", "proportional", "equal_split"):
        entry = syr_deal["allocations"][name]
        assert set(entry) >= {"payoff", "side_payments", "side_payments_energy_gwh", "in_core", "propensity_to_disrupt"}
        assert sum(entry["side_payments"].values()) == pytest.approx(0, abs=0.01)  # transfers balance
    assert syr_deal["most_stable"] in syr_deal["allocations"]


def test_deal_cli_takes_the_year_types(syr_deal: dict) -> None:
    result = runner.invoke(app, ["water", "deal", "syr-darya", "--year", "dry", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["years"] == ["dry"]
    assert data["coalition_values"] == syr_deal["coalition_values"]


def test_deal_values_are_consistent_with_the_basin_model(syr_deal: dict) -> None:
    values, d = syr_deal["coalition_values"], syr_deal["disagreement"]
    for player, payoff in d.items():
        assert values[player] >= payoff - 1e-3  # a player alone can always keep its disagreement strategy
    assert values["KGZ,UZB,TJK,KAZ"] >= sum(d.values()) - 1e-3
    assert syr_deal["gains_from_cooperation"] > 0
    shapley = syr_deal["allocations"]["shapley"]
    gwh = shapley["side_payments_energy_gwh"]["KGZ"]
    assert gwh == pytest.approx(
        shapley["side_payments"]["KGZ"] / syr_deal["prices"]["electricity_usd_per_kwh"], abs=0.1
    )
    assert shapley["payoff"]["KGZ"] > d["KGZ"]  # the upstream state is paid to change regime
    barter = syr_deal["barter_in_cooperative_plan_gwh"]
    assert sum(barter.values()) <= 0.1  # energy in kind only moves between riparians, less the 10 % line loss
