"""Transferable-utility games among riparians: the characteristic function and the solutions a mediator can table.

A game is its players and ``v(S)`` for every non-empty coalition (``v(∅) = 0``). Coalitions are frozensets of player
names. The nucleolus family is computed by sequential LPs in HiGHS (scipy's ``linprog``): after each LP the
coalitions with a positive dual price are tight in *every* optimal solution (complementary slackness), so their
excess is fixed and the next LP minimises the largest remaining excess.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from scipy.optimize import linprog

from prevdip.errors import RefusedInput

TOL = 1e-7
Coalition = frozenset[str]


@dataclass(frozen=True)
class Game:
    """A TU game: ``values[S]`` for every non-empty coalition ``S`` of ``players``."""

    players: tuple[str, ...]
    values: Mapping[Coalition, float]

    def __post_init__(self) -> None:
        if len(set(self.players)) != len(self.players) or not self.players:
            raise RefusedInput("a game needs at least one player and no player twice")
        missing = [c for c in coalitions(self.players) if c not in self.values]
        if missing:
            raise RefusedInput(
                f"the game has no value for coalition {','.join(sorted(missing[0]))}",
                hint=f"give v(S) for all {2 ** len(self.players) - 1} non-empty coalitions ({len(missing)} missing)",
            )

    def v(self, coalition: Iterable[str]) -> float:
        key = frozenset(coalition)
        return 0.0 if not key else float(self.values[key])

    @property
    def grand(self) -> float:
        return self.v(self.players)


def coalitions(players: Sequence[str]) -> list[Coalition]:
    """Every non-empty coalition, singletons first."""
    return [frozenset(c) for size in range(1, len(players) + 1) for c in combinations(players, size)]


def shapley(game: Game) -> dict[str, float]:
    """Average marginal contribution over all orders of arrival."""
    n, result = len(game.players), {}
    for i in game.players:
        others = [p for p in game.players if p != i]
        total = 0.0
        for size in range(n):
            weight = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
            total += sum(weight * (game.v((*s, i)) - game.v(s)) for s in combinations(others, size))
        result[i] = total
    return result


def _excess_lp(
    game: Game, fixed: dict[Coalition, float], individual: bool
) -> tuple[float, np.ndarray, list[Coalition]]:
    """Minimise t with x(S) + t ≥ v(S) for free coalitions and x(S) = v(S) − e_S for fixed ones."""
    players, n = game.players, len(game.players)
    free = [c for c in coalitions(players)[:-1] if c not in fixed]
    row = {p: k for k, p in enumerate(players)}

    def incidence(c: Coalition) -> np.ndarray:
        vec = np.zeros(n + 1)
        vec[[row[p] for p in c]] = 1.0
        return vec

    a_ub = np.array([-(incidence(c) + np.eye(n + 1)[n]) for c in free]) if free else None
    b_ub = np.array([-game.v(c) for c in free]) if free else None
    eq = [(incidence(frozenset(players)), game.grand)] + [(incidence(c), game.v(c) - e) for c, e in fixed.items()]
    bounds = [(game.v({p}) if individual else None, None) for p in players] + [(None, None)]
    res = linprog(
        np.eye(n + 1)[n],
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=np.array([e[0] for e in eq]),
        b_eq=np.array([e[1] for e in eq]),
        bounds=bounds,
        method="highs",
    )
    if res.status != 0:
        raise RefusedInput("the nucleolus LP has no solution: the imputation set is empty (Σ v({i}) > v(N))")
    duals = -res.ineqlin.marginals if free else np.array([])
    tight = [c for c, y in zip(free, duals, strict=True) if y > TOL]
    return float(res.x[n]), res.x[:n], tight


def _sequential(game: Game, individual: bool) -> dict[str, float]:
    fixed: dict[Coalition, float] = {}
    players = game.players
    while True:
        t, x, tight = _excess_lp(game, fixed, individual)
        fixed.update(dict.fromkeys(tight, t))
        rows = [frozenset(players), *fixed]
        matrix = np.array([[p in c for p in players] for c in rows], dtype=float)
        if not tight or np.linalg.matrix_rank(matrix) >= len(players):
            break
    if tight and np.linalg.matrix_rank(matrix) >= len(players):  # the fixed excesses determine x exactly
        rhs = np.array([game.grand] + [game.v(c) - e for c, e in fixed.items()])
        x = np.linalg.lstsq(matrix, rhs, rcond=None)[0]
    return dict(zip(players, (float(v) for v in x), strict=True))


def nucleolus(game: Game) -> dict[str, float]:
    """The imputation lexicographically minimising the sorted excesses (Schmeidler 1969)."""
    if sum(game.v({p}) for p in game.players) > game.grand + TOL:
        raise RefusedInput("the nucleolus needs a non-empty imputation set: Σ v({i}) exceeds v(N)")
    return _sequential(game, individual=True)


def prenucleolus(game: Game) -> dict[str, float]:
    """The same lexicographic minimisation over all efficient payoff vectors (no individual rationality)."""
    return _sequential(game, individual=False)


def least_core_epsilon(game: Game) -> float:
    """The smallest ε such that some efficient x has x(S) ≥ v(S) − ε for every proper coalition; core ≠ ∅ iff ε ≤ 0."""
    if len(game.players) == 1:
        return 0.0
    return _excess_lp(game, {}, individual=False)[0]


def least_core(game: Game) -> dict[str, float]:
    """One point of the least core: efficient, with every proper coalition's excess at most the least-core ε."""
    if len(game.players) == 1:
        return {game.players[0]: game.grand}
    _, x, _ = _excess_lp(game, {}, individual=False)
    return dict(zip(game.players, (float(v) for v in x), strict=True))


def in_core(game: Game, x: Mapping[str, float], tol: float = 1e-6) -> bool:
    scale = max(1.0, abs(game.grand))
    if abs(sum(x.values()) - game.grand) > tol * scale:
        return False
    return all(sum(x[p] for p in c) >= game.v(c) - tol * scale for c in coalitions(game.players))


def nash_bargaining(
    game: Game, disagreement: Mapping[str, float], weights: Mapping[str, float] | None = None
) -> dict[str, float]:
    """TU Nash bargaining: the surplus over d split in proportion to the weights (equally if none)."""
    w = dict.fromkeys(game.players, 1.0) if weights is None else {p: float(weights[p]) for p in game.players}
    surplus = game.grand - sum(disagreement[p] for p in game.players)
    return {p: disagreement[p] + w[p] / sum(w.values()) * surplus for p in game.players}


def kalai_smorodinsky(game: Game, disagreement: Mapping[str, float]) -> dict[str, float]:
    """The efficient point on the segment from d towards the ideal point b_i = v(N) − v(N∖i)."""
    ideal = {p: game.grand - game.v(set(game.players) - {p}) for p in game.players}
    reach = {p: ideal[p] - disagreement[p] for p in game.players}
    room = sum(reach.values())
    surplus = game.grand - sum(disagreement.values())
    if room <= TOL:
        return nash_bargaining(game, disagreement)
    return {p: disagreement[p] + reach[p] / room * surplus for p in game.players}


def proportional(game: Game, basis: Mapping[str, float]) -> dict[str, float]:
    """v(N) split in proportion to each player's stand-alone value (or another non-negative basis)."""
    total = sum(basis[p] for p in game.players)
    if total <= 0:
        return equal_split(game)
    return {p: game.grand * basis[p] / total for p in game.players}


def equal_split(game: Game) -> dict[str, float]:
    return {p: game.grand / len(game.players) for p in game.players}


def propensity_to_disrupt(game: Game, x: Mapping[str, float]) -> dict[str, float | None]:
    """Gately: what the others lose if i walks out, over what i loses; ``None`` when i gains nothing by staying."""
    result: dict[str, float | None] = {}
    everyone = set(game.players)
    for i in game.players:
        others_loss = sum(x[j] for j in game.players if j != i) - game.v(everyone - {i})
        own_loss = x[i] - game.v({i})
        result[i] = None if abs(own_loss) <= TOL * max(1.0, abs(game.grand)) else others_loss / own_loss
    return result


def bankruptcy_game(estate: float, claims: Mapping[str, float]) -> Game:
    """O'Neill's bankruptcy game: v(S) = max(0, E − claims of the others); its nucleolus is the Talmud rule."""
    players = tuple(claims)
    total = sum(claims.values())
    values = {c: max(0.0, estate - (total - sum(claims[p] for p in c))) for c in coalitions(players)}
    return Game(players, values)
