"""Scenario behaviour of the basin LP that could fail: regimes, reversal, cooperation, mass balance, data."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from prevdip.cli.app import app
from prevdip.errors import RefusedInput
from prevdip.water import BASINS, SCENARIOS, YEARS, build_network, load_basin, solve_basin
from prevdip.water.spec import BasinSpec, NodeKind

runner = CliRunner()


@pytest.fixture(scope="module")
def results() -> dict[tuple[str, str, str], dict]:
    return {(b, s, y): solve_basin(b, s, y).as_dict() for b in BASINS for s in SCENARIOS for y in YEARS}


@pytest.mark.parametrize("year", YEARS)
def test_irrigation_regime_keeps_toktogul_in_soviet_mode(results: dict, year: str) -> None:
    toktogul = results["syr-darya", "irrigation", year]["reservoirs"]["toktogul"]
    assert toktogul["summer_release_share"] >= 0.75 - 1e-6
    assert max(toktogul["release_m3s_by_month"][:6]) <= 180.0 + 0.1


@pytest.mark.parametrize("year", YEARS)
def test_energy_regime_reverses_the_winter_summer_split(results: dict, year: str) -> None:
    energy = results["syr-darya", "energy", year]["reservoirs"]["toktogul"]
    irrigation = results["syr-darya", "irrigation", year]["reservoirs"]["toktogul"]
    assert energy["summer_release_share"] < 0.5 < irrigation["summer_release_share"]
    assert max(energy["release_m3s_by_month"][:6]) > 400  # published energy mode: 700–750 m³/s peaks
    nurek = results["amu-darya", "energy", year]["reservoirs"]["nurek"]
    assert (
        nurek["summer_release_share"]
        < results["amu-darya", "irrigation", year]["reservoirs"]["nurek"]["summer_release_share"]
    )


@pytest.mark.parametrize("basin", BASINS)
@pytest.mark.parametrize("year", YEARS)
def test_cooperative_total_is_at_least_every_other_regime(results: dict, basin: str, year: str) -> None:
    cooperative = results[basin, "cooperative", year]["total_benefit"]
    for scenario in ("irrigation", "energy"):
        assert cooperative >= results[basin, scenario, year]["total_benefit"] - 0.01


@pytest.mark.parametrize("year", YEARS)
def test_energy_regime_moves_kyrgyz_hydropower_into_winter_and_naryn_water_out_of_summer(year: str) -> None:
    energy = solve_basin("syr-darya", "energy", year).solution
    irrigation = solve_basin("syr-darya", "irrigation", year).solution
    assert energy.energy_gwh["KGZ"][:6].sum() > irrigation.energy_gwh["KGZ"][:6].sum() + 1000
    assert energy.release["toktogul"][6:].sum() < irrigation.release["toktogul"][6:].sum() - 2.0
    assert irrigation.imports_gwh["KGZ"][:6].sum() > 0  # the Soviet regime made up Kyrgyz winter power with fuel
    assert energy.imports_gwh["KGZ"].sum() == 0  # the energy regime has no barter


@pytest.mark.parametrize("basin", BASINS)
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_mass_balance_closes(basin: str, scenario: str) -> None:
    for year in YEARS:
        assert solve_basin(basin, scenario, year).solution.mass_balance_error_km3() == pytest.approx(0, abs=1e-6)


def test_wetter_years_deliver_more_water(results: dict) -> None:
    totals = [sum(results["syr-darya", "cooperative", y]["deliveries_by_country_km3"].values()) for y in YEARS]
    assert totals[0] < totals[1] <= totals[2] + 1e-9


def test_several_years_carry_storage_over() -> None:
    result = solve_basin("syr-darya", "energy", years=["wet", "dry", "dry"])
    storage = result.solution.storage["toktogul"]
    assert len(storage) == 36
    assert storage[-1] >= load_basin("syr-darya").node("toktogul").initial_km3 - 1e-6
    assert result.solution.mass_balance_error_km3() == pytest.approx(0, abs=1e-6)
    assert result.as_dict()["year"] == ["wet", "dry", "dry"]


def test_rogun_as_a_scenario_adds_tajik_energy() -> None:
    without = solve_basin("amu-darya", "energy", "normal").as_dict()
    with_rogun = solve_basin("amu-darya", "energy", "normal", planned=["rogun"]).as_dict()
    assert "rogun" in with_rogun["reservoirs"] and "rogun" not in without["reservoirs"]
    assert with_rogun["energy_by_country_gwh"]["TJK"] > without["energy_by_country_gwh"]["TJK"] + 1000


def test_network_is_typed_and_every_number_has_a_source() -> None:
    for basin in BASINS:
        spec = load_basin(basin)
        graph = build_network(spec)
        kinds = {k for _, k in graph.nodes(data="kind")}
        assert {NodeKind.INFLOW, NodeKind.RESERVOIR, NodeKind.DEMAND, NodeKind.SINK, NodeKind.POWER} <= kinds
        assert all(len(n.source) > 10 for n in spec.nodes)
    syr = build_network(load_basin("syr-darya"))
    assert syr.has_edge("chardara", "arnasai") and syr.has_edge("toktogul", "power:KGZ")


def test_a_profile_that_does_not_sum_to_one_is_refused() -> None:
    data = load_basin("syr-darya").model_dump(by_alias=True)
    data["profiles"]["naryn"]["shares"][0] += 0.2
    with pytest.raises(ValidationError, match="sum to 1"):
        BasinSpec.model_validate(data)


def test_unknown_planned_facility_is_refused() -> None:
    with pytest.raises(RefusedInput, match="unknown planned facility"):
        solve_basin("syr-darya", "energy", planned=["three_gorges"])


def test_basin_cli_prints_the_documented_shape() -> None:
    result = runner.invoke(app, ["water", "basin", "syr-darya", "--scenario", "irrigation", "--year", "dry", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("basin", "scenario", "year", "total_benefit", "benefit_by_country", "reservoirs"):
        assert key in data
    for key in ("deliveries_by_country_km3", "energy_by_country_gwh", "arnasai_spill_km3"):
        assert key in data
    assert (data["basin"], data["scenario"], data["year"]) == ("syr-darya", "irrigation", "dry")
    toktogul = data["reservoirs"]["toktogul"]
    assert len(toktogul["release_m3s_by_month"]) == 12 and len(toktogul["storage_km3_by_month"]) == 12
    assert set(data["benefit_by_country"]) == {"KGZ", "UZB", "TJK", "KAZ"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["water", "basin", "nile", "--scenario", "energy"], "unknown basin 'nile'"),
        (["water", "basin", "syr-darya", "--scenario", "war"], "unknown scenario 'war'"),
        (["water", "basin", "syr-darya", "--year", "monsoon"], "unknown year type 'monsoon'"),
        (["water", "deal", "volga"], "unknown basin 'volga'"),
    ],
)
def test_bad_basin_input_exits_2_with_one_line(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
