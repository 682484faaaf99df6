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

import numpy as np

from prevdip.gmcr.model import IntArray, Values

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
        anywhere = np.full(1 << self.n_options, INF, dtype=value.dtype)
        anywhere[self.codes] = value
        moved = np.full_like(anywhere, INF)
        for b in self.dm_options[dm]:
            shape = (-1, 2, 1 << b)  # axis 1 is option b: N, then Y
            here, there = anywhere.reshape(shape), moved.reshape(shape)
            no, yes = here[:, 0, :].copy(), here[:, 1, :].copy()
            if not self.only_dropped >> b & 1:  # may be taken (N -> Y)
                np.minimum(there[:, 0, :], yes, out=there[:, 0, :])
                np.minimum(here[:, 0, :], yes, out=here[:, 0, :])
            if not self.only_taken >> b & 1:  # may be dropped (Y -> N)
                np.minimum(there[:, 1, :], no, out=there[:, 1, :])
                np.minimum(here[:, 1, :], no, out=here[:, 1, :])
        return moved[self.codes]

    def max_after_move(self, dm: int, value: Values) -> Values:
        """For every state, the maximum of ``value`` over one move of ``dm`` (-inf where it cannot move)."""
        return -self.min_after_move(dm, -value)


@dataclass(frozen=True)
class CubeMoves:
    """A decision maker's moves seen through the option cube: what :func:`min_over_reach` needs of a member."""

    cube: OptionCube
    dm: int

    def min_after_move(self, value: Values) -> Values:
        return self.cube.min_after_move(self.dm, value)
