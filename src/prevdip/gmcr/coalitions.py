"""Coalition analysis (Kilgour, Hipel, Fang & Peng 2001): what a group of decision makers can achieve together.

A coalition improvement from s is a state the coalition can reach by a legal sequence of its members' moves
(nobody twice in a row) that every member strictly prefers to s. A coalition of one is a decision maker's
unilateral improvements.
"""

from __future__ import annotations

from itertools import combinations

from prevdip.gmcr.model import GraphModel
from prevdip.gmcr.reachability import reachable_states


def coalitions(model: GraphModel, min_size: int = 2) -> list[tuple[int, ...]]:
    """Every coalition of at least ``min_size`` decision makers, smallest first, in decision-maker order."""
    return [c for k in range(min_size, model.n + 1) for c in combinations(range(model.n), k)]


def coalition_name(model: GraphModel, coalition: tuple[int, ...]) -> str:
    return "+".join(model.decision_makers[i] for i in coalition)


def coalition_improvements(model: GraphModel, state: int, coalition: tuple[int, ...]) -> list[int]:
    """States reachable by the coalition from ``state`` that every member strictly prefers (sorted indices)."""
    reach = reachable_states([model.moves[i] for i in coalition], state)
    p = model.payoffs
    return sorted(t for t in reach if all(p[i, t] > p[i, state] for i in coalition))


def all_coalition_improvements(model: GraphModel, state: int) -> dict[str, list[int]]:
    """``{"A+B": [states]}`` for every coalition of two or more decision makers (empty lists kept)."""
    return {coalition_name(model, c): coalition_improvements(model, state, c) for c in coalitions(model)}
