"""Coalition analysis (Kilgour, Hipel, Fang & Peng 2001): what a group of decision makers can achieve together.

A coalition improvement from s is a state the coalition can reach by a legal sequence of its members' moves
(nobody twice in a row) that every member strictly prefers to s. A coalition of one is a decision maker's
unilateral improvements.

:func:`coalition_improvements` applies the definition literally (a search from one state), the reading the tests
hold the faster :class:`JointImprovements` to; the latter answers any state from reach tables built once per
coalition, which is what status-quo analysis needs when it asks of thousands of states.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from prevdip.gmcr.coalition_reach import ReachTable, coalition_reach
from prevdip.gmcr.model import GraphModel, preference_ranks
from prevdip.gmcr.reachability import all_moves, reachable_states


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


class JointImprovements:
    """Every coalition's improvements from any state, from one reach table per coalition (m²/8 bytes each)."""

    def __init__(self, model: GraphModel, groups: list[tuple[int, ...]] | None = None) -> None:
        self.model = model
        self.groups = groups if groups is not None else coalitions(model)
        moves = all_moves(model)
        self._reach: dict[tuple[int, ...], ReachTable] = {
            group: coalition_reach([moves[i] for i in group], model.m) for group in self.groups
        }
        self._ranks = np.vstack([preference_ranks(p) for p in model.payoffs])

    def of(self, state: int, group: tuple[int, ...]) -> list[int]:
        """The states ``group`` can reach from ``state`` that all its members strictly prefer (sorted)."""
        ranks = self._ranks[list(group)]
        better = np.all(ranks > ranks[:, state : state + 1], axis=0)
        return [int(t) for t in np.flatnonzero(self._reach[group].row(state) & better)]

    def by_name(self, state: int) -> dict[str, list[int]]:
        """``{"A+B": [states]}`` for every coalition, as :func:`all_coalition_improvements`."""
        return {coalition_name(self.model, group): self.of(state, group) for group in self.groups}
