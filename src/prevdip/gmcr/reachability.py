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

import numpy as np

from prevdip.gmcr.model import FloatArray, Moves

INF = np.inf


def min_over_reach(members: Sequence[Moves], value: FloatArray) -> FloatArray:
    """For every state s, the minimum of ``value`` over the states the coalition can reach from s.

    ``members`` holds the arcs each coalition member may use (all moves, or only its improvements for SEQ).
    A state counts only if it is reached by at least one move; ``inf`` where the coalition cannot move at all.
    ``down[l][t]`` is the minimum over everything reachable from t when l moved last (t included).
    """
    k = len(members)
    down = [value.copy() for _ in range(k)]
    arc_targets = [mv.indices for mv in members]
    while True:
        after = [mv.reduce(down[j][arc_targets[j]], np.minimum, INF) for j, mv in enumerate(members)]
        changed = False
        for last in range(k):
            best = value
            for j in range(k):
                if j != last:
                    best = np.minimum(best, after[j])
            if not np.array_equal(best, down[last]):
                changed = True
                down[last] = best
        if not changed:
            break
    result = np.full(value.shape, INF)
    for j in range(k):
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
