"""The non-cooperative regime: unilateral operation, the Chardara winter rule and Arnasai spills."""

from __future__ import annotations

import pytest

from prevdip.errors import RefusedInput
from prevdip.water import characteristic_function, solve_basin
from prevdip.water.model import ICE_MONTHS
from prevdip.water.noncooperative import follower_order, holding, left_to_respond
from prevdip.water.scenarios import basin_lp


@pytest.mark.parametrize("year", ["normal", "wet"])
def test_energy_regime_spills_to_arnasai_and_cooperation_spills_less(year: str) -> None:
    energy = solve_basin("syr-darya", "energy", year).as_dict()
    cooperative = solve_basin("syr-darya", "cooperative", year).as_dict()
    assert energy["arnasai_spill_km3"] > 0.1
    assert cooperative["arnasai_spill_km3"] < energy["arnasai_spill_km3"] - 0.1


def test_spill_comes_in_the_ice_months_when_chardara_fills() -> None:
    solution = solve_basin("syr-darya", "energy", "wet").solution
    spill, storage = solution.terminal["arnasai"], solution.storage["chardara"]
    live = basin_lp("syr-darya").node("chardara").live_km3
    months = [t for t in range(12) if spill[t] > 1e-6]
    assert months and all(t in ICE_MONTHS for t in months)  # Dec–Feb, when the channel below is ice-bound
    # the spill is forced, not chosen: by the end of the ice months Chardara is full (when within them it spills
    # is a tie, since the same volume cannot be held either way)
    assert max(storage[t] for t in ICE_MONTHS) >= live - 1e-6


@pytest.mark.parametrize("year", ["dry", "normal", "wet"])
def test_chardara_keeps_its_october_storage_through_winter_only_when_alone(year: str) -> None:
    start = basin_lp("syr-darya").node("chardara").initial_km3
    energy = solve_basin("syr-darya", "energy", year).solution.storage["chardara"]
    assert min(energy[:6]) >= start - 1e-6
    cooperative = solve_basin("syr-darya", "cooperative", year).solution.storage["chardara"]
    assert min(cooperative[:6]) < start - 0.1  # with a schedule it empties ahead of the winter releases


def test_the_winter_rule_lifts_only_in_a_coalition_with_the_upstream_state() -> None:
    lp = basin_lp("syr-darya")
    assert holding(lp) == ["chardara"]
    assert holding(lp, ["KAZ", "UZB"]) == ["chardara"]
    assert holding(lp, ["KAZ", "KGZ"]) == []
    assert holding(lp, ["UZB", "KGZ"]) == ["chardara"]  # Kazakhstan outside is still alone


def test_a_best_response_leaves_free_only_what_it_affects_and_later_movers_decide() -> None:
    lp = basin_lp("syr-darya")
    tajik = set(left_to_respond(lp, "TJK", ["KAZ"]))
    assert "uzb_fergana" not in tajik  # above Kairakkum: its withdrawals stay fixed
    assert "uzb_tashkent" not in tajik  # a side valley Kairakkum does not touch
    assert {"uzb_hungry_steppe", "kaz_dustlik", "chardara"} <= tajik  # below it: they live with its choices
    assert "chardara" not in left_to_respond(lp, "TJK", [])  # an operator that has moved keeps its plan
    assert left_to_respond(lp, "KAZ", []) == []  # the last state down the river affects no one else's choices


@pytest.fixture(scope="module")
def normal_game() -> object:
    return characteristic_function("syr-darya", ["normal"])


def test_disagreement_is_the_sequential_unilateral_plan(normal_game: object) -> None:
    riparian = normal_game
    energy = solve_basin("syr-darya", "energy", "normal").solution
    for country, payoff in riparian.disagreement.items():  # type: ignore[attr-defined]
        assert payoff == pytest.approx(energy.benefit[country], abs=1e-6)
        assert riparian.game.v(frozenset([country])) >= payoff - 1e-3  # type: ignore[attr-defined]
    assert follower_order(basin_lp("syr-darya")) == ["UZB", "TJK", "KAZ"]  # river order below the leader


def test_non_cooperation_costs_the_downstream_states_and_cooperation_gains(normal_game: object) -> None:
    riparian = normal_game
    d, own = riparian.disagreement, riparian.cooperative  # type: ignore[attr-defined]
    assert sum(own.values()) - sum(d.values()) > 100  # M US$ a year, against 0.1 under perfect-foresight followers
    assert own["KAZ"] > d["KAZ"] + 100  # the last state downstream loses most to unilateral operation
    assert d["KGZ"] >= own["KGZ"] - 5  # the upstream state does at least as well alone: it must be paid to move


def test_an_infeasible_combination_is_refused_not_a_traceback() -> None:
    lp = basin_lp("syr-darya")
    drained = solve_basin("syr-darya", "cooperative", "normal").solution  # Chardara below its 1 October level
    with pytest.raises(RefusedInput, match="infeasible"):
        lp.solve(("normal",), fixed=(["KAZ"], drained), holding=["chardara"])


@pytest.mark.parametrize("year", ["dry", "normal"])  # in a wet year there is water enough for both
def test_tajikistan_alone_draws_kairakkum_down_and_cooperation_keeps_it_for_summer(year: str) -> None:
    # the 1999/2000 deals asked Tajikistan to hold 3.418 km³ by 31 May in exchange for spring energy from Uzbekistan
    may = 7  # index of May in an Oct..Sep year
    alone = solve_basin("syr-darya", "energy", year).solution
    together = solve_basin("syr-darya", "cooperative", year).solution
    assert alone.storage["kairakkum"][may] < together.storage["kairakkum"][may] - 0.5
    assert together.imports_gwh["TJK"][:7].sum() > 0  # the cooperative plan pays for it in energy, as the deals did
