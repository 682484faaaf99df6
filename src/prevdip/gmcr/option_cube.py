"""One move of a decision maker computed over the 2^K option combinations instead of over its arcs.

In an option-form model (without merged states) a decision maker's move from s changes any non-empty subset of
its own options that irreversibility allows, to a feasible combination. "The lowest value one move of j can
reach from every state" is then a transform over the option cube: one pass per option of j, each a contiguous
min over the two halves of the cube, instead of a gather over all of j's arcs (2^k − 1 per state for k options).
At a million states and five options each this is the difference between most of the analysis time and a
small part of it. Infeasible combinations hold +inf, so they are never reached but may be jumped over (a move
changes its options at once, not one by one).

Why one pass per option suffices: whether an option may flip depends only on its own value, so the options j
may flip from s ⊕ b are those it may flip from s, b aside. After the passes over a set B of j's options,
``anywhere[c]`` is the minimum over all flips X ⊆ B allowed at c (X may be empty) and ``moved[c]`` the same over
non-empty X; adding option b: ``moved'[c] = min(moved[c], anywhere[c ⊕ b])`` where b may flip at c.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from prevdip.gmcr.model import Bits, IntArray, Values

INF = np.inf


@dataclass(frozen=True)
class OptionCube:
    """Where each state sits among the option combinations: its code (option k has value 2^k)."""

    n_options: int
    codes: IntArray  # code of state s; states are not merged, so every state is one combination
    dm_options: tuple[tuple[int, ...], ...]  # the options (bit numbers) of each decision maker
    only_taken: int  # bit mask of options that can only go N -> Y
    only_dropped: int  # bit mask of options that can only go Y -> N

    def min_after_move(self, dm: int, value: Values) -> Values:
        """For every state, the minimum of ``value`` over the states one move of ``dm`` reaches (+inf: none)."""
        return self._over_one_move(dm, value, np.minimum, INF, backwards=False)

    def max_after_move(self, dm: int, value: Values) -> Values:
        """For every state, the maximum of ``value`` over one move of ``dm`` (-inf where it cannot move)."""
        return -self.min_after_move(dm, -value)

    def union_before_move(self, dm: int, rows: Bits) -> Bits:
        """Row v: the OR of ``rows[u]`` over the states u from which one move of ``dm`` reaches v."""
        return self._over_one_move(dm, rows, np.bitwise_or, 0, backwards=True)

    def _over_one_move(self, dm: int, per_state: Any, combine: np.ufunc, identity: float, *, backwards: bool) -> Any:
        """Combine ``per_state`` rows over one move of ``dm``: forwards over the states a move reaches, or
        backwards over the states a move comes from (the same passes with the directions of change swapped)."""
        rest = per_state.shape[1:]
        anywhere = np.full((1 << self.n_options, *rest), identity, dtype=per_state.dtype)
        anywhere[self.codes] = per_state
        moved = np.full_like(anywhere, identity)
        for b in self.dm_options[dm]:
            may_take = not self.only_dropped >> b & 1  # N -> Y allowed
            may_drop = not self.only_taken >> b & 1  # Y -> N allowed
            if backwards:  # arriving at N by a move means leaving Y: the move dropped the option
                may_take, may_drop = may_drop, may_take
            shape = (-1, 2, 1 << b, *rest)  # axis 1 is option b: N, then Y
            here, there = anywhere.reshape(shape), moved.reshape(shape)
            no, yes = here[:, 0].copy(), here[:, 1].copy()
            if may_take:
                combine(there[:, 0], yes, out=there[:, 0])
                combine(here[:, 0], yes, out=here[:, 0])
            if may_drop:
                combine(there[:, 1], no, out=there[:, 1])
                combine(here[:, 1], no, out=here[:, 1])
        return moved[self.codes]


@dataclass(frozen=True)
class CubeMoves:
    """A decision maker's moves seen through the option cube: what :func:`min_over_reach` needs of a member."""

    cube: OptionCube
    dm: int

    def min_after_move(self, value: Values) -> Values:
        return self.cube.min_after_move(self.dm, value)

    def union_before_move(self, rows: Bits) -> Bits:
        return self.cube.union_before_move(self.dm, rows)
