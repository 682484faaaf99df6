"""The unit of change of inverse GMCR: one state moved to another place in one decision maker's ranking.

A ranking is a payoff row (higher is preferred, equal is indifferent). Moving state x gives it a new value: equal
to an existing class (x joins that tie class) or strictly between two classes (x forms a class of its own there).
The number of states moved between two rankings is m minus the largest set of states whose order the two agree
on — the fewest pick-up-and-put-back steps from one to the other — and each move reads as one sentence: "UR
would have to come to value 8 as much as 5".

Which place matters? For the stability of a target state only x's standing against a few states matters: against
the target (is x liked more than it?) and against the states x's owner can move between with x (is the move an
improvement?). :func:`places` therefore offers one place per distinct standing against those states, the one
nearest to where x is now — the fewest comparisons changed for that effect.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from prevdip.gmcr.model import FloatArray


@dataclass(frozen=True, order=True)
class Move:
    """State ``state`` in decision maker ``dm``'s ranking takes the payoff ``value``."""

    dm: int
    state: int
    value: float


def apply(payoffs: FloatArray, moves: Iterable[Move]) -> FloatArray:
    out = payoffs.copy()
    for move in moves:
        out[move.dm, move.state] = move.value
    return out


def places(row: FloatArray, state: int, around: Sequence[int]) -> list[float]:
    """New values for ``state`` in ``row``: one per distinct standing (below, equal, above) against each state of
    ``around``, other than the standing it has now, each the nearest such place to where it is."""
    others = np.delete(row, state)
    marks = np.unique(row[[s for s in around if s != state]])
    here = row[state]
    out: list[float] = []
    for k, mark in enumerate(marks):
        if mark != here:
            out.append(float(mark))  # equal to this mark: join its class
        below = marks[k - 1] if k else -np.inf
        if not below < here < mark:  # the open interval (below, mark), entered from the nearer end
            out.append(_just_above(others, below) if here <= below else _just_below(others, mark))
    if marks.size and not here > marks[-1]:
        out.append(_just_above(others, marks[-1]))
    return out


def to_top(row: FloatArray) -> float:
    """A value above every other: the state alone in a new most preferred class (a tie with the top class would
    leave moves into it not strictly preferred, so not credible as threats)."""
    return float(row.max() + 1)


def _just_above(values: FloatArray, mark: float) -> float:
    """A value above ``mark`` and below every existing value above it (a new class right above ``mark``)."""
    higher = values[values > mark]
    return float((mark + higher.min()) / 2) if higher.size else float(mark + 1)


def _just_below(values: FloatArray, mark: float) -> float:
    lower = values[values < mark]
    return float((mark + lower.max()) / 2) if lower.size else float(mark - 1)


def comparisons_changed(before: FloatArray, after: FloatArray, moved: Sequence[int]) -> int:
    """Kemeny–Snell steps between two rows that differ only at ``moved``: a preference turned into indifference
    (or back) is one step, a reversal two."""
    if not moved:
        return 0
    idx = np.array(sorted(set(moved)))
    steps = np.abs(np.sign(before[idx, None] - before[None, :]) - np.sign(after[idx, None] - after[None, :]))
    inside = steps[:, idx].sum()  # pairs of two moved states were counted from both ends
    return int(steps.sum() - inside / 2)
