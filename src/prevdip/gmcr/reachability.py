"""What a coalition can reach by a legal sequence of moves: no member moves twice in a row (any number of times).

Two views of the same definition (reference §2.2):

* :func:`min_over_reach` answers, for every start state at once, "what is the lowest value the coalition can bring
  the conflict to?". Stability only ever asks whether *some* reachable state is bad enough for the focal decision
  maker, so the minimum is all that is needed. It runs a fixpoint over (state, last mover) pairs, one vectorised
  pass over each member's arcs per round, instead of materialising reachable sets.
* :func:`sanction_path` searches breadth-first for one concrete shortest sequence from a start to a state that
  satisfies a test: the sentence a mediator reads in an explanation.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from prevdip.gmcr.model import Bits, GraphModel, Moves, Values
from prevdip.gmcr.option_cube import CubeMoves

INF = np.inf


class Mover(Protocol):
    """What the reach computations need of a coalition member: the lowest value one of its moves can reach, and
    where its moves come from."""

    def min_after_move(self, value: Values) -> Values: ...

    def union_before_move(self, rows: Bits) -> Bits: ...


def all_moves(model: GraphModel) -> list[Mover]:
    """Every decision maker's moves, through the option cube when the model has one (much faster), else its arcs."""
    if model.cube is None:
        return list(model.moves)
    return [CubeMoves(model.cube, j) for j in range(model.n)]


def min_over_reach(members: Sequence[Mover], value: Values) -> Values:
    """For every state s, the minimum of ``value`` over the states the coalition can reach from s.

    ``members`` holds the arcs each coalition member may use (all moves, or only its improvements for SEQ);
    ``value`` has one row per state and one or more columns (each column is minimised on its own).
    A state counts only if it is reached by at least one move; ``inf`` where the coalition cannot move at all.
    ``down[l][t]`` is the minimum over everything reachable from t when l moved last (t included), and
    ``after[j][s]`` over everything reachable from s by a sequence j starts.
    """
    k = len(members)
    down = [value for _ in range(k)]
    after = [np.full(value.shape, INF, dtype=value.dtype) for _ in range(k)]
    pending = list(range(k))
    while pending:  # values only fall, so each member's news is folded in as soon as it is known
        j = pending.pop(0)
        reached = members[j].min_after_move(down[j])
        if np.array_equal(reached, after[j]):
            continue
        after[j] = reached
        for last in range(k):
            if last != j:
                lower = np.minimum(down[last], reached)
                if not np.array_equal(lower, down[last]):
                    down[last] = lower
                    if last not in pending:
                        pending.append(last)
    result = after[0]
    for j in range(1, k):
        result = np.minimum(result, after[j])
    return result


Step = tuple[int, int]  # (mover position in the coalition, state reached)


def sanction_path(members: Sequence[Moves], start: int, accept: Callable[[int], bool]) -> list[Step] | None:
    """A shortest legal sequence from ``start`` to a state passing ``accept``, as (member, state) steps.

    Breadth-first over (state, last mover) pairs, so every pair is visited at most once; ``None`` when the whole
    reachable set holds no such state.
    """
    parent: dict[tuple[int, int], tuple[int, int] | None] = {}
    queue: deque[tuple[int, int]] = deque()
    for j, mv in enumerate(members):
        for t in mv.targets(start):
            node = (int(t), j)
            if node not in parent:
                parent[node] = None
                queue.append(node)
    while queue:
        node = queue.popleft()
        state, last = node
        if accept(state):
            return _unwind(parent, node)
        for j, mv in enumerate(members):
            if j == last:
                continue
            for t in mv.targets(state):
                nxt = (int(t), j)
                if nxt not in parent:
                    parent[nxt] = node
                    queue.append(nxt)
    return None


def reachable_states(members: Sequence[Moves], start: int) -> set[int]:
    """Every state the coalition can reach from ``start`` by a legal sequence of at least one move."""
    seen: set[tuple[int, int]] = set()
    stack = [(int(t), j) for j, mv in enumerate(members) for t in mv.targets(start)]
    seen.update(stack)
    while stack:
        state, last = stack.pop()
        for j, mv in enumerate(members):
            if j != last:
                for t in mv.targets(state):
                    nxt = (int(t), j)
                    if nxt not in seen:
                        seen.add(nxt)
                        stack.append(nxt)
    return {state for state, _ in seen}


def _unwind(parent: dict[tuple[int, int], tuple[int, int] | None], node: tuple[int, int]) -> list[Step]:
    steps: list[Step] = []
    cur: tuple[int, int] | None = node
    while cur is not None:
        steps.append((cur[1], cur[0]))
        cur = parent[cur]
    return steps[::-1]
