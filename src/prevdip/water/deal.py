"""Benefit-sharing deals: the riparians' coalition game from the basin LP, and what each sharing rule pays whom.

The characteristic function (stated to users as :data:`ASSUMPTION`): the disagreement point is the ``energy``
scenario, in which every riparian runs its own reservoirs and withdrawals for itself, the upstream state first and the
others in river order (:mod:`prevdip.water.noncooperative`). For a coalition S the LP maximises the members' total
benefit with energy barter open among members only, while every non-member keeps its disagreement strategy — its
reservoirs' storage path and its zones' withdrawals — so a coalition can neither take a non-member's water nor be
helped by a non-member changing course. A coalition's reservoirs under the unilateral winter rule (Chardara) stay
under it unless the coalition includes the upstream state, whose release schedule would come with the agreement.
v(N) is the ``cooperative`` scenario. Values are million US$ per year, averaged over the year types of the horizon.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from prevdip.water import games
from prevdip.water.games import Game, coalitions
from prevdip.water.noncooperative import holding
from prevdip.water.scenarios import basin_lp, check_years, run
from prevdip.water.spec import load_basin, load_economics

ASSUMPTION = (
    "v(S): members maximise their joint benefit with energy barter among themselves; non-members keep their "
    "non-cooperative (energy-regime) storage paths and withdrawals; Chardara keeps its 1 October storage through "
    "March unless Kazakhstan is in a coalition with Kyrgyzstan; disagreement point = the energy regime, in which the "
    "upstream state maximises its own hydropower first and each downstream state then runs its own reservoirs and "
    "withdrawals for itself, in river order"
)
DEFAULT_YEARS = ("dry", "normal", "wet")


@dataclass(frozen=True)
class RiparianGame:
    """The coalition game of a basin with the two plans it is measured against (M US$ per year)."""

    game: Game
    disagreement: dict[str, float]
    cooperative: dict[str, float]  # each country's own benefit in the cooperative plan, before side payments
    barter_gwh: dict[str, float]  # net energy each country receives in kind in the cooperative plan, per year


def characteristic_function(
    basin: str, years: Sequence[str] = DEFAULT_YEARS, planned: Iterable[str] = ()
) -> RiparianGame:
    """v(S) for every coalition (2^n − 1 LPs, non-members at their energy-regime strategies) and the two plans,
    with the ``planned`` facilities built (Qosh Tepa makes Afghanistan's coalitions worth more)."""
    years = check_years(years)
    built = tuple(sorted(planned))
    spec, n = load_basin(basin), len(years)
    lp = basin_lp(basin, frozenset(built), len(years))
    disagreement = run(basin, "energy", years, built)
    cooperative = run(basin, "cooperative", years, built)
    values: dict[frozenset[str], float] = {}
    for coalition in coalitions(spec.players):
        if len(coalition) == len(spec.players):
            values[coalition] = cooperative.total / n
            continue
        outsiders = [c for c in spec.players if c not in coalition]
        sol = lp.solve(
            years,
            weights={c: float(c in coalition) for c in spec.players},
            trading=coalition,
            fixed=(outsiders, disagreement),
            holding=holding(lp, coalition),
        )
        values[coalition] = sum(sol.benefit[c] for c in coalition) / n
    return RiparianGame(
        game=Game(tuple(spec.players), values),
        disagreement={c: disagreement.benefit[c] / n for c in spec.players},
        cooperative={c: cooperative.benefit[c] / n for c in spec.players},
        barter_gwh={c: float(cooperative.imports_gwh[c].sum()) / n for c in spec.players},
    )


def allocations(game: Game, d: Mapping[str, float], weights: Mapping[str, float]) -> dict[str, dict[str, float]]:
    """Every sharing rule the centre tables, keyed by name."""
    rules: dict[str, dict[str, float]] = {
        "shapley": games.shapley(game),
        "nucleolus": games.nucleolus(game),
        "prenucleolus": games.prenucleolus(game),
        "nash_bargaining": games.nash_bargaining(game, d),
        "nash_bargaining_weighted": games.nash_bargaining(game, d, weights),
        "kalai_smorodinsky": games.kalai_smorodinsky(game, d),
        "proportional": games.proportional(game, d),
        "equal_split": games.equal_split(game),
    }
    return rules


def _instability(game: Game, entry: Mapping[str, Any]) -> tuple[float, float]:
    """Rank allocations: first by the largest coalition complaint max_S v(S) − x(S) (≤ 0 in the core), then by the
    largest propensity to disrupt (a player who gains nothing by staying counts as infinitely disruptive)."""
    x = entry["payoff"]
    complaint = max(game.v(c) - sum(x[p] for p in c) for c in coalitions(game.players)[:-1])
    ptd = [math.inf if v is None else v for v in entry["propensity_to_disrupt"].values()]
    return (round(max(complaint, 0.0), 3), max(ptd))


def deal(basin: str, years: Sequence[str] = DEFAULT_YEARS, planned: Iterable[str] = ()) -> dict[str, Any]:
    """The ``prevdip water deal`` report: coalition values, allocations, side payments, stability (with the
    ``planned`` facilities built, when given)."""
    spec, econ = load_basin(basin), load_economics()
    built = tuple(sorted(planned))
    riparian = characteristic_function(basin, years, built)
    game, d, own = riparian.game, riparian.disagreement, riparian.cooperative
    prices = econ.equivalents
    rounded = lambda xs: {p: round(float(v), 3) for p, v in xs.items()}  # noqa: E731
    report: dict[str, dict[str, Any]] = {}
    for name, payoff in allocations(game, d, econ.nash_weights(basin)).items():
        side = {p: payoff[p] - own[p] for p in game.players}
        ptd = games.propensity_to_disrupt(game, payoff)
        report[name] = {
            "payoff": rounded(payoff),
            "side_payments": rounded(side),
            "side_payments_energy_gwh": {p: round(v / prices["electricity_usd_per_kwh"], 1) for p, v in side.items()},
            "side_payments_coal_kt": {p: round(v * 1e3 / prices["coal_usd_per_tonne"], 1) for p, v in side.items()},
            "side_payments_gas_mcm": {p: round(v * 1e3 / prices["gas_usd_per_1000_m3"], 1) for p, v in side.items()},
            "in_core": games.in_core(game, payoff),
            "propensity_to_disrupt": {p: None if v is None else round(v, 4) for p, v in ptd.items()},
        }
    most_stable = min(report, key=lambda k: _instability(game, report[k]))
    epsilon = games.least_core_epsilon(game)
    return {
        "basin": spec.name,
        "players": list(game.players),
        "years": list(check_years(years)),
        "planned": list(built),
        "disagreement": rounded(d),
        "cooperative_benefit": rounded(own),
        "barter_in_cooperative_plan_gwh": {p: round(v, 1) for p, v in riparian.barter_gwh.items()},
        "coalition_values": {
            ",".join(p for p in game.players if p in c): round(game.v(c), 3) for c in coalitions(game.players)
        },
        "gains_from_cooperation": round(game.grand - sum(d.values()), 3),
        "core_nonempty": epsilon <= games.TOL * max(1.0, abs(game.grand)),
        "least_core_epsilon": round(epsilon, 6),
        "allocations": report,
        "most_stable": most_stable,
        "assumption": ASSUMPTION,
        "prices": {k: v for k, v in prices.items() if k not in ("source", "assumption")},
        "units": (
            "million US$ per year; side payment = payoff − own benefit in the cooperative plan (+ receives), on top "
            "of the energy the plan already delivers in kind (barter_in_cooperative_plan_gwh, + receives)"
        ),
    }
