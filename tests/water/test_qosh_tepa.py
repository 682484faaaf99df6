"""The Qosh Tepa canal on the Amu Darya: its published readings as variants, what it takes downstream, and the deal.

The canal is a planned Afghan demand zone at its intake in Kaldar (Balkh), below the Kafirnigan confluence and above
Termez; each published figure is a variant in ``amu_darya.toml`` with its source.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from prevdip.cli.app import app
from prevdip.errors import RefusedInput
from prevdip.water import YEARS, characteristic_function, load_basin, planned_options, solve_basin
from prevdip.water.model import km3_per_month
from prevdip.water.scenarios import basin_lp

VARIANTS = ("qosh_tepa_phase_1", "qosh_tepa", "qosh_tepa_share_20", "qosh_tepa_share_25")
DOWNSTREAM = ("UZB", "TKM")


@pytest.fixture(scope="module")
def energy_runs() -> dict[tuple[str, str], dict]:
    """The non-cooperative regime (Afghanistan acting for itself) with each variant, by variant and year type."""
    return {
        (v, y): solve_basin("amu-darya", "energy", y, planned=[v] if v else [], effect=False).as_dict()
        for v in ("", *VARIANTS)
        for y in YEARS
    }


def downstream_km3(run: dict) -> float:
    """Water reaching Uzbekistan's and Turkmenistan's zones and the delta, km³ per year."""
    return sum(run["deliveries_by_country_km3"][c] for c in DOWNSTREAM) + run["terminal_inflow_km3"]["aral_delta"]


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("variant", VARIANTS)
def test_downstream_deliveries_fall_by_what_the_canal_takes(energy_runs: dict, variant: str, year: str) -> None:
    without, with_canal = energy_runs["", year], energy_runs[variant, year]
    diverted = with_canal["deliveries_by_zone_km3"]["qosh_tepa"]
    assert diverted > 3.0
    lost = downstream_km3(without) - downstream_km3(with_canal)
    assert lost > 0.5 * diverted  # most of the diversion is water Uzbekistan, Turkmenistan or the delta had
    for country in DOWNSTREAM:
        assert with_canal["deliveries_by_country_km3"][country] <= without["deliveries_by_country_km3"][country] + 1e-6
    assert with_canal["terminal_inflow_km3"]["aral_delta"] <= without["terminal_inflow_km3"]["aral_delta"] + 1e-6


@pytest.mark.parametrize("year", YEARS)
def test_the_readings_are_ordered_from_the_first_phase_to_a_quarter_of_the_flow(energy_runs: dict, year: str) -> None:
    diverted = [energy_runs[v, year]["deliveries_by_zone_km3"]["qosh_tepa"] for v in VARIANTS]
    assert diverted == sorted(diverted) and diverted[0] < diverted[-1] - 5.0
    assert diverted[1] == pytest.approx(9.87, abs=0.01)  # 10 km³ less what July's 650 m³/s cannot carry


def test_a_dry_year_takes_from_the_zones_and_a_normal_year_from_the_delta(energy_runs: dict) -> None:
    """In a normal year the delta's surplus above its minimum absorbs most of the design diversion; in a dry year the
    delta is at its minimum already and Turkmenistan's and Uzbekistan's zones carry the loss."""
    effect = solve_basin("amu-darya", "energy", "normal", planned=["qosh_tepa"]).as_dict()["planned_effect_by_year"]
    assert set(effect) == set(YEARS)
    normal, dry = effect["normal"], effect["dry"]
    assert -normal["terminal_inflow_km3"]["aral_delta"] > 0.8 * normal["diverted_km3"]["qosh_tepa"]
    zones = -sum(dry["deliveries_by_country_km3"][c] for c in DOWNSTREAM)
    assert zones > 5.0 > -dry["terminal_inflow_km3"]["aral_delta"]
    assert dry["benefit_by_country"]["TKM"] < -100.0 and dry["benefit_by_country"]["AFG"] > 1000.0
    assert normal["deliveries_by_zone_km3"]["qosh_tepa"] == normal["diverted_km3"]["qosh_tepa"]


@pytest.mark.parametrize("scenario", ["irrigation", "energy", "cooperative"])
def test_the_mass_balance_closes_at_every_node_and_month(scenario: str) -> None:
    for variant in VARIANTS:
        for year in YEARS:
            solution = solve_basin("amu-darya", scenario, year, planned=[variant], effect=False).solution
            residuals = solution.balance_residuals_km3()
            assert "qosh_tepa" in residuals and len(residuals) >= 14
            assert max(float(np.abs(r).max()) for r in residuals.values()) < 1e-6
            assert solution.mass_balance_error_km3() == pytest.approx(0.0, abs=1e-6)


def test_the_canal_never_carries_more_than_its_design_discharge() -> None:
    for scenario in ("energy", "cooperative"):
        taken = solve_basin(
            "amu-darya", scenario, "wet", planned=["qosh_tepa_share_25"], effect=False
        ).solution.withdrawal
        capacity = [km3_per_month(650.0, t) for t in range(12)]
        assert all(q <= cap + 1e-9 for q, cap in zip(taken["qosh_tepa"], capacity, strict=True))
        assert max(q / cap for q, cap in zip(taken["qosh_tepa"], capacity, strict=True)) > 0.999  # it binds


def test_without_the_canal_the_river_is_the_basin_before_it() -> None:
    """An unbuilt canal is no node of the river: the LP, and so every figure, is the one before the canal."""
    assert "qosh_tepa" not in basin_lp("amu-darya").graph
    assert "qosh_tepa" in basin_lp("amu-darya", frozenset({"qosh_tepa"})).graph
    assert solve_basin("amu-darya", "energy", "normal").as_dict()["total_benefit"] == pytest.approx(7748.36, abs=0.01)


def test_every_reading_is_sourced_and_named() -> None:
    spec = load_basin("amu-darya")
    canal = spec.node("qosh_tepa")
    assert canal.planned and canal.max_m3s == 650.0 and canal.return_fraction == 0.0
    assert "10 km³" in canal.source and "650 m³/s" in canal.source
    options = planned_options("amu-darya")
    assert set(VARIANTS) <= set(options) and "rogun" in options
    for variant in spec.variants:
        assert variant.of == "qosh_tepa" and len(variant.source) > 40 and variant.assumption
        annual = (variant.growing_km3 or 0.0) + (variant.nongrowing_km3 or 0.0)
        assert 4.0 < annual < 16.0
    share = {v.id: (v.growing_km3 or 0.0) + (v.nongrowing_km3 or 0.0) for v in spec.variants}
    assert share["qosh_tepa_share_20"] == pytest.approx(0.20 * 63.6, abs=0.01)  # of the mean flow at Termez
    assert share["qosh_tepa_share_25"] == pytest.approx(0.25 * 63.6, abs=0.01)


def test_two_readings_of_one_canal_are_refused() -> None:
    with pytest.raises(RefusedInput, match="another variant of 'qosh_tepa'"):
        solve_basin("amu-darya", "energy", planned=["qosh_tepa", "qosh_tepa_phase_1"])
    with pytest.raises(RefusedInput, match="choose from rogun, qosh_tepa, qosh_tepa_phase_1"):
        solve_basin("amu-darya", "energy", planned=["qosh_tepa_phase_3"])


def test_afghanistan_coalition_values_change_with_the_canal() -> None:
    before = characteristic_function("amu-darya", ["normal"])
    after = characteristic_function("amu-darya", ["normal"], ["qosh_tepa"])
    assert before.game.players == after.game.players
    for coalition, value in after.game.values.items():
        if "AFG" in coalition:
            assert value > before.game.v(coalition) + 500.0  # the canal's water is Afghanistan's to bring
    assert after.disagreement["AFG"] > before.disagreement["AFG"] + 1000.0
    assert after.disagreement["TKM"] < before.disagreement["TKM"]


def test_basin_and_deal_commands_take_the_canal() -> None:
    runner = CliRunner()
    basin = runner.invoke(app, ["water", "basin", "amu-darya", "--with", "qosh_tepa", "--json"])
    assert basin.exit_code == 0, basin.output
    data = json.loads(basin.stdout)
    assert data["planned"] == ["qosh_tepa"] and data["names"]["qosh_tepa"] == "Qosh Tepa canal"
    assert set(data["planned_effect_by_year"]) == set(YEARS)
    deal = runner.invoke(app, ["water", "deal", "amu-darya", "--year", "normal", "--with", "qosh_tepa", "--json"])
    assert deal.exit_code == 0, deal.output
    report = json.loads(deal.stdout)
    assert report["planned"] == ["qosh_tepa"] and report["players"] == ["TJK", "AFG", "UZB", "TKM"]
    assert report["coalition_values"]["AFG"] > 1000.0
    shown = runner.invoke(app, ["water", "basin", "amu-darya", "--with", "qosh_tepa_phase_1"])
    assert shown.exit_code == 0 and "what qosh_tepa_phase_1 changes" in shown.stdout
    refused = runner.invoke(app, ["water", "basin", "amu-darya", "--with", "qosh_tepa", "--with", "qosh_tepa_share_20"])
    assert refused.exit_code == 2 and "another variant" in refused.stderr
