"""The graph form every analysis works on: decision makers, states, each one's moves and preferences.

Moves are kept per decision maker as sparse adjacency (CSR arrays over state indices), not as dense
state × state matrices, so that models with tens of thousands of states fit in memory and every step of
the stability analysis is a vectorised pass over the arcs. Preferences are kept as payoffs (higher is better):
a ranking with ties becomes "number of tie classes below", so equal payoff means indifference.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from prevdip.errors import RefusedInput

if TYPE_CHECKING:
    from prevdip.gmcr.option_cube import OptionCube

IntArray = NDArray[np.int64]
StateArray = NDArray[np.int32]  # state indices of arcs: half the memory of int64 at a hundred million arcs
FloatArray = NDArray[np.float64]
Values = NDArray[np.floating[Any]]  # per-state or per-arc values, one column or several
BoolArray = NDArray[np.bool_]
Bits = NDArray[np.uint8]  # sets of states as packed bit rows (bit order little)


GATHER_BYTES = 64_000_000  # bound on the rows gathered at once over the arcs


@dataclass(frozen=True)
class Moves:
    """One decision maker's arcs as CSR: the targets of state ``s`` are ``indices[indptr[s]:indptr[s+1]]``."""

    indptr: IntArray
    indices: StateArray

    @classmethod
    def from_pairs(cls, n_states: int, sources: Iterable[int], targets: Iterable[int]) -> Moves:
        src = np.fromiter(sources, dtype=np.int64)
        dst = np.fromiter(targets, dtype=np.int64)
        return cls.from_arrays(n_states, src, dst)

    @classmethod
    def from_arrays(cls, n_states: int, src: IntArray, dst: IntArray) -> Moves:
        """Build from arc arrays; duplicate arcs collapse and targets come sorted within each source."""
        if src.size:
            key = np.sort(src.astype(np.int64) * n_states + dst.astype(np.int64))
            key = key[np.concatenate([[True], key[1:] != key[:-1]])]  # sort-based unique: fast for ints
            src, dst = key // n_states, key % n_states
        return cls.from_sorted_unique(n_states, src, dst)

    @classmethod
    def from_sorted_unique(cls, n_states: int, src: IntArray, dst: IntArray) -> Moves:
        """Build from arcs already sorted by source and free of duplicates (no sorting needed)."""
        return cls.from_counts(np.bincount(src, minlength=n_states), dst)

    @classmethod
    def from_counts(cls, counts: IntArray, dst: NDArray[np.integer[Any]]) -> Moves:
        """Build from each state's number of arcs (in state order) and all targets, already in CSR order."""
        indptr = np.concatenate([[0], np.cumsum(counts, dtype=np.int64)])
        return cls(indptr=indptr, indices=dst.astype(np.int32, copy=False))

    @property
    def n_states(self) -> int:
        return int(self.indptr.size - 1)

    @property
    def sources(self) -> IntArray:
        """The source state of every arc, aligned with ``indices``."""
        return np.repeat(np.arange(self.n_states, dtype=np.int64), np.diff(self.indptr))

    def targets(self, state: int) -> StateArray:
        return self.indices[self.indptr[state] : self.indptr[state + 1]]

    @cached_property
    def _busy(self) -> tuple[BoolArray, IntArray]:
        """States with at least one arc, and where their arcs start (strictly increasing, for ``reduceat``)."""
        busy = self.indptr[1:] > self.indptr[:-1]
        return busy, self.indptr[:-1][busy]

    def reduce(self, arc_values: Values, ufunc: np.ufunc, empty: float) -> Values:
        """Reduce per-arc values (one row per arc, one or more columns) over each source state's arcs.

        ``empty`` is the ufunc's identity (0, inf, -inf), given to states without arcs. Only states with arcs are
        reduced, so no padded copy of the (possibly hundred-million long) arc array is made: at a million states
        such copies, not the reductions, were most of the analysis time.
        """
        values = np.asarray(arc_values)
        out = np.full((self.n_states, *values.shape[1:]), empty, dtype=values.dtype)
        busy, starts = self._busy
        if starts.size:
            out[busy] = ufunc.reduceat(values, starts, axis=0)
        return out

    def min_after_move(self, value: Values) -> Values:
        """For every state, the minimum of ``value`` over the targets of its arcs (+inf where there are none)."""
        return self.reduce(value[self.indices], np.minimum, np.inf)

    @cached_property
    def _inbound(self) -> tuple[IntArray, BoolArray, IntArray]:
        """The arcs grouped by target: their sources, the targets that have any, and where each group starts."""
        order = np.argsort(self.indices, kind="stable")
        counts = np.bincount(self.indices, minlength=self.n_states)
        busy = counts > 0
        first = np.concatenate([[0], np.cumsum(counts)[:-1]])
        return self.sources[order], busy, first[busy]

    def union_before_move(self, rows: Bits) -> Bits:
        """Row v: the OR of ``rows[u]`` over the arcs u -> v (column blocks bound the memory of the gather)."""
        sources, busy, starts = self._inbound
        out = np.zeros_like(rows)
        width = max(1, GATHER_BYTES // max(sources.size, 1))
        for lo in range(0, rows.shape[1] if sources.size else 0, width):
            gathered = rows[sources, lo : lo + width]
            out[busy, lo : lo + width] = np.bitwise_or.reduceat(gathered, starts, axis=0)
        return out

    def keep(self, mask: BoolArray) -> Moves:
        """The sub-graph of the arcs where ``mask`` (aligned with ``indices``) is true."""
        counts = np.zeros(self.n_states, dtype=np.int64)
        busy, starts = self._busy
        if starts.size:
            counts[busy] = np.add.reduceat(mask.view(np.uint8), starts, dtype=np.int64)
        return Moves.from_counts(counts, self.indices[mask])

    def improvements(self, payoff: FloatArray) -> Moves:
        """The unilateral improvements: arcs whose target the mover strictly prefers to the source."""
        rank = preference_ranks(payoff)
        return self.keep(rank[self.indices] > np.repeat(rank, np.diff(self.indptr)))

    def relabel(self, perm: IntArray) -> Moves:
        """The same arcs after state ``s`` is renamed ``perm[s]``."""
        return Moves.from_arrays(self.n_states, perm[self.sources], perm[self.indices])


@dataclass(frozen=True)
class OptionInfo:
    """What an option-form model keeps for display: options, owners and each state's Y/N/- vector."""

    names: tuple[str, ...]
    owners: tuple[str, ...]
    vectors: tuple[str, ...]  # one string per state, one character (Y, N or -) per option

    def as_dict(self, states: Sequence[str]) -> dict[str, dict[str, str]]:
        return {label: dict(zip(self.names, vec, strict=True)) for label, vec in zip(states, self.vectors, strict=True)}


@dataclass(frozen=True)
class GraphModel:
    """A conflict in graph form; states are indexed 0..m-1 and carry the labels a mediator sees."""

    name: str
    decision_makers: tuple[str, ...]
    states: tuple[str, ...]
    moves: tuple[Moves, ...]
    payoffs: FloatArray  # shape (n, m): higher is preferred, equal is indifferent
    options: OptionInfo | None = None
    description: str = ""
    status_quo: str | None = None
    notes: tuple[str, ...] = field(default=())
    cube: OptionCube | None = None  # option-form models without merged states: moves over the option cube

    @property
    def n(self) -> int:
        return len(self.decision_makers)

    @property
    def m(self) -> int:
        return len(self.states)

    def dm_index(self, name: str) -> int:
        return self.decision_makers.index(name)

    def state_index(self, label: str) -> int:
        """A state by its label or, in option-form models, by its full Y/N option vector (e.g. "YNNN")."""
        label = str(label)
        if label in self.states:
            return self.states.index(label)
        if self.options is not None and label in self.options.vectors:
            return self.options.vectors.index(label)
        raise RefusedInput(
            f"state {label!r} is not a state of model {self.name!r}",
            hint=f"use one of: {', '.join(self.states[:20])}{' ...' if self.m > 20 else ''}",
        )

    def improvements(self) -> tuple[Moves, ...]:
        return tuple(mv.improvements(self.payoffs[i]) for i, mv in enumerate(self.moves))

    def ranking(self, dm: int) -> list[list[str]]:
        """Tie classes of ``dm``, most preferred first (the graph-form file's preference shape)."""
        return [[self.states[s] for s in cls] for cls in tie_classes(self.payoffs[dm])]

    def with_payoffs(self, payoffs: FloatArray) -> GraphModel:
        return replace(self, payoffs=payoffs)


def preference_ranks(payoff: FloatArray) -> Values:
    """A payoff vector as dense ranks in float32: the same order (all stability looks at), and a fifth of the
    time of float64 in the arc-sized gathers; exact for up to 16 million distinct values."""
    return np.unique(payoff, return_inverse=True)[1].reshape(-1).astype(np.float32)


def tie_classes(payoff: FloatArray) -> list[list[int]]:
    """Group state indices by equal payoff, best class first; states inside a class in index order."""
    values = np.unique(payoff)[::-1]
    return [[int(s) for s in np.flatnonzero(payoff == v)] for v in values]


def payoff_from_classes(classes: Sequence[Sequence[int]], n_states: int) -> FloatArray:
    """A ranking with ties (best class first) as payoffs: each state scores the number of classes below it."""
    payoff = np.zeros(n_states, dtype=np.float64)
    for rank, cls in enumerate(classes):
        payoff[list(cls)] = len(classes) - 1 - rank
    return payoff
