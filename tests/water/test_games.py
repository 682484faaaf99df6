"""Cooperative-game solutions against published worked examples and their defining properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prevdip.errors import RefusedInput
from prevdip.water import games
from prevdip.water.games import Game, coalitions

FOUR = ("1", "2", "3", "4")


def make_game(players: tuple[str, ...], values: list[float]) -> Game:
    return Game(players, dict(zip(coalitions(players), values, strict=True)))


def approx(x: dict[str, float], expected: list[float], abs_tol: float = 1e-6) -> None:
    assert list(x.values()) == pytest.approx(expected, abs=abs_tol)


def test_nucleolus_of_the_r_coopgame_example() -> None:
    game = make_game(FOUR, [0, 0, 0, 0, 5, 5, 8, 9, 10, 8, 13, 15, 16, 17, 21])
    approx(games.nucleolus(game), [3.5, 4.5, 5.5, 7.5])
    approx(games.prenucleolus(game), [3.5, 4.5, 5.5, 7.5])


def test_nucleolus_and_prenucleolus_differ_when_individual_rationality_binds() -> None:
    players = ("1", "2", "3")
    values = dict.fromkeys(coalitions(players), 0.0)
    values[frozenset({"1", "2"})] = 10.0
    values[frozenset(players)] = 2.0
    game = Game(players, values)
    approx(games.nucleolus(game), [1, 1, 0])
    approx(games.prenucleolus(game), [3, 3, -4])


@pytest.mark.parametrize(
    ("estate", "talmud"), [(100, [100 / 3, 100 / 3, 100 / 3]), (200, [50, 75, 75]), (300, [50, 100, 150])]
)
def test_nucleolus_of_the_bankruptcy_game_is_the_talmud_rule(estate: float, talmud: list[float]) -> None:
    game = games.bankruptcy_game(estate, {"a": 100, "b": 200, "c": 300})
    approx(games.nucleolus(game), talmud)


def test_majority_game_has_an_empty_core_with_least_core_one_third() -> None:
    players = ("a", "b", "c")
    game = Game(players, {c: float(len(c) >= 2) for c in coalitions(players)})
    assert games.least_core_epsilon(game) == pytest.approx(1 / 3)
    point = games.least_core(game)
    assert all(game.v(c) - sum(point[p] for p in c) <= 1 / 3 + 1e-9 for c in coalitions(players)[:-1])
    approx(games.nucleolus(game), [1 / 3, 1 / 3, 1 / 3])
    assert not games.in_core(game, games.nucleolus(game))


def test_nash_bargaining_splits_the_surplus_over_the_disagreement_point() -> None:
    game = make_game(("a", "b"), [1, 2, 9])
    d = {"a": 1.0, "b": 2.0}
    assert games.nash_bargaining(game, d) == pytest.approx({"a": 4.0, "b": 5.0})
    assert games.nash_bargaining(game, d, {"a": 1, "b": 2}) == pytest.approx({"a": 3.0, "b": 6.0})
    # Kalai–Smorodinsky: ideal points are v(N) − v(other) = 7 and 8; gains 6 and 6 → split 6·(6/12) each
    assert games.kalai_smorodinsky(game, d) == pytest.approx({"a": 4.0, "b": 5.0})


def test_propensity_to_disrupt_is_gately_ratio() -> None:
    game = make_game(("a", "b", "c"), [0, 0, 0, 2, 2, 2, 6])
    ptd = games.propensity_to_disrupt(game, {"a": 2.0, "b": 2.0, "c": 2.0})
    assert ptd == pytest.approx({"a": 1.0, "b": 1.0, "c": 1.0})  # (4 − 2) / (2 − 0)
    assert games.propensity_to_disrupt(game, {"a": 0.0, "b": 3.0, "c": 3.0})["a"] is None


def test_missing_coalition_is_refused_with_its_name() -> None:
    with pytest.raises(RefusedInput, match="no value for coalition a,b"):
        Game(("a", "b"), {frozenset({"a"}): 0.0, frozenset({"b"}): 0.0})


values_st = st.integers(min_value=-20, max_value=40).map(float)


@st.composite
def tu_games(draw: st.DrawFn, n: int | None = None) -> Game:
    size = draw(st.integers(2, 4)) if n is None else n
    players = tuple("ABCD"[:size])
    return make_game(players, draw(st.lists(values_st, min_size=2**size - 1, max_size=2**size - 1)))


@settings(max_examples=40, deadline=None)
@given(tu_games())
def test_shapley_is_efficient(game: Game) -> None:
    assert sum(games.shapley(game).values()) == pytest.approx(game.grand)


@settings(max_examples=40, deadline=None)
@given(tu_games(n=3), st.integers(-5, 5))
def test_shapley_treats_symmetric_players_equally_and_null_players_as_zero(game: Game, k: int) -> None:
    # make A and B symmetric: v(S ∪ A) = v(S ∪ B) for S without both; make C a null player in a derived game
    values = dict(game.values)
    values[frozenset("B")] = values[frozenset("A")]
    values[frozenset("BC")] = values[frozenset("AC")]
    sym = Game(game.players, values)
    phi = games.shapley(sym)
    assert phi["A"] == pytest.approx(phi["B"])
    null = Game(game.players, {c: game.v(c - {"C"}) for c in coalitions(game.players)})
    assert games.shapley(null)["C"] == pytest.approx(0.0, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(tu_games(n=3), tu_games(n=3))
def test_shapley_is_additive(g: Game, h: Game) -> None:
    total = Game(g.players, {c: g.v(c) + h.v(c) for c in coalitions(g.players)})
    phi_g, phi_h, phi = games.shapley(g), games.shapley(h), games.shapley(total)
    assert phi == pytest.approx({p: phi_g[p] + phi_h[p] for p in g.players})


@settings(max_examples=40, deadline=None)
@given(tu_games())
def test_nucleolus_lies_in_the_core_whenever_the_core_is_non_empty(game: Game) -> None:
    if sum(game.v({p}) for p in game.players) > game.grand:
        return  # no imputations: the nucleolus is undefined
    x = games.nucleolus(game)
    assert sum(x.values()) == pytest.approx(game.grand)
    if games.least_core_epsilon(game) <= 1e-9:
        assert games.in_core(game, x)
    else:
        assert not games.in_core(game, x)  # nothing is in an empty core


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=3, max_size=4))
def test_convex_games_have_shapley_and_nucleolus_in_the_core(weights: list[int]) -> None:
    players = tuple("ABCD"[: len(weights)])
    w = dict(zip(players, weights, strict=True))
    game = Game(players, {c: float(sum(w[p] for p in c) ** 2) for c in coalitions(players)})  # supermodular
    assert games.least_core_epsilon(game) <= 1e-9
    assert games.in_core(game, games.shapley(game))
    assert games.in_core(game, games.nucleolus(game))
