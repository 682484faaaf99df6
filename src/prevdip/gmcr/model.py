"""The graph form every analysis works on: decision makers, states, each one's moves and preferences.

Moves are kept per decision maker as sparse adjacency (CSR arrays over state indices), not as dense
state × state matrices, so that models with tens of thousands of states fit in memory and every step of
the stability analysis is a vectorised pass over the arcs. Preferences are kept as payoffs (higher is better):
a ranking with ties becomes "number of tie classes below", so equal payoff means indifference.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import NDArray

from prevdip.errors import RefusedInput

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class Moves:
    """One decision maker's arcs as CSR: the targets of state ``s`` are ``indices[indptr[s]:indptr[s+1]]``."""

    indptr: IntArray
    indices: IntArray

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
        counts = np.bincount(src, minlength=n_states)
        indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        return cls(indptr=indptr, indices=dst.astype(np.int64))

    @property
    def n_states(self) -> int:
        return int(self.indptr.size - 1)

    @property
    def sources(self) -> IntArray:
        """The source state of every arc, aligned with ``indices``."""
        return np.repeat(np.arange(self.n_states, dtype=np.int64), np.diff(self.indptr))

    def targets(self, state: int) -> IntArray:
        return self.indices[self.indptr[state] : self.indptr[state + 1]]

    def reduce(self, arc_values: FloatArray, ufunc: np.ufunc, empty: float) -> FloatArray:
        """Reduce per-arc values over each source state's arcs; ``empty`` is the ufunc's identity (0, inf, -inf)."""
        padded = np.append(arc_values.astype(np.float64), empty)
        out = ufunc.reduceat(padded, np.minimum(self.indptr[:-1], arc_values.size))
        return np.where(np.diff(self.indptr) > 0, out, empty)

    def keep(self, mask: BoolArray) -> Moves:
        """The sub-graph of the arcs where ``mask`` (aligned with ``indices``) is true."""
        counts = self.reduce(mask.astype(np.float64), np.add, 0.0).astype(np.int64)
        indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        return Moves(indptr=indptr, indices=self.indices[mask])

    def improvements(self, payoff: FloatArray) -> Moves:
        """The unilateral improvements: arcs whose target the mover strictly prefers to the source."""
        return self.keep(payoff[self.indices] > payoff[self.sources])

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
