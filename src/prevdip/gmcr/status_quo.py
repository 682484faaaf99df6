"""Status-quo analysis: from where the conflict stands, which equilibria can it reach, and how?

The conflict moves along improvements: a decision maker's unilateral improvement or a coalition's joint
improvement (a state every member of the coalition strictly prefers, reached by their moves). Breadth-first
search from the status quo gives every reachable equilibrium and one shortest path to each (Li, Kilgour &
Hipel 2005 trace the same evolution).
"""

from __future__ import annotations

from collections import deque
from typing import Any

import numpy as np

from prevdip.errors import RefusedInput
from prevdip.gmcr.coalitions import JointImprovements
from prevdip.gmcr.model import GraphModel
from prevdip.gmcr.stability import CONCEPTS, Stability, analyse_stability

MAX_STATES = 5_000


def improvement_steps(model: GraphModel, state: int, joint: JointImprovements | None = None) -> list[int]:
    """Every state one improvement (unilateral or by a coalition) away from ``state``."""
    joint = joint or JointImprovements(model)
    out: set[int] = set()
    for i, mv in enumerate(model.moves):
        targets = mv.targets(state)
        out.update(int(t) for t in targets[model.payoffs[i][targets] > model.payoffs[i][state]])
    for group in joint.groups:
        out.update(joint.of(state, group))
    return sorted(out)


def status_quo(model: GraphModel, start: str, stability: Stability | None = None) -> dict[str, Any]:
    """``{"from", "reachable_equilibria": {concept: [labels]}, "paths": [[labels]], "coalition_improvements"}``."""
    if model.m > MAX_STATES:
        raise RefusedInput(
            f"status-quo analysis follows coalition moves state by state; {model.m} states is too many "
            f"(at most {MAX_STATES})",
            hint="aggregate don't-care states or analyse a smaller sub-conflict",
        )
    s0 = model.state_index(start)
    stability = stability or analyse_stability(model)
    joint = JointImprovements(model)
    parent: dict[int, int | None] = {s0: None}
    queue = deque([s0])
    while queue:
        s = queue.popleft()
        for t in improvement_steps(model, s, joint):
            if t not in parent:
                parent[t] = s
                queue.append(t)
    reached = sorted(parent)
    eq = {c: set(np.flatnonzero(stability.equilibria(c)).tolist()) for c in CONCEPTS}
    reachable = {c: [model.states[s] for s in reached if s in eq[c]] for c in CONCEPTS}
    targets = sorted({s for c in CONCEPTS for s in eq[c] if s in parent}, key=lambda s: _depth(parent, s))
    return {
        "from": model.states[s0],
        "reachable_equilibria": reachable,
        "paths": [[model.states[s] for s in _path(parent, t)] for t in targets],
        "coalition_improvements": {
            name: [model.states[s] for s in states] for name, states in joint.by_name(s0).items()
        },
    }


def _path(parent: dict[int, int | None], node: int) -> list[int]:
    out = []
    cur: int | None = node
    while cur is not None:
        out.append(cur)
        cur = parent[cur]
    return out[::-1]


def _depth(parent: dict[int, int | None], node: int) -> tuple[int, int]:
    return (len(_path(parent, node)), node)
