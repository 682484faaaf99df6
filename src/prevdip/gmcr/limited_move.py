"""Limited-move stability L_h for two decision makers (Kilgour, Hipel & Fraser 1987).

Each decision maker looks h moves ahead, expecting alternating replies. With G_0(i, s) = s and, for h ≥ 1,
M = {t ∈ R_i(s) : G_{h-1}(j, t) ≻_i s}, G_h(i, s) is s when M is empty and otherwise the outcome i likes best
among the anticipated G_{h-1}(j, t), t ∈ M. State s is L_h-stable for i when G_h(i, s) = s. When several
anticipated outcomes tie for i, the one with the lowest state index is taken (a fixed, documented convention:
the literature leaves it open). L_1 is Nash stability.
"""

from __future__ import annotations

import numpy as np

from prevdip.errors import RefusedInput
from prevdip.gmcr.model import BoolArray, GraphModel, IntArray


def anticipated_outcomes(model: GraphModel, horizon: int) -> list[IntArray]:
    """``out[h][i, s]`` = G_h(i, s) for h = 0..horizon (state indices)."""
    if model.n != 2:
        raise RefusedInput("limited-move stability is defined here for two decision makers only")
    if horizon < 1:
        raise RefusedInput("the horizon h must be at least 1")
    states = np.arange(model.m, dtype=np.int64)
    out = [np.vstack([states, states])]
    for _ in range(horizon):
        prev = out[-1]
        cur = np.vstack([states, states])
        for i in range(2):
            p, mv = model.payoffs[i], model.moves[i]
            outcome = prev[1 - i][mv.indices]
            gain = np.where(p[outcome] > p[mv.sources], p[outcome], -np.inf)
            best = mv.reduce(gain, np.maximum, -np.inf)  # the i-best anticipated outcome's payoff per source
            chosen = np.where((gain > -np.inf) & (gain == best[mv.sources]), outcome, np.inf)
            pick = mv.reduce(chosen, np.minimum, np.inf)  # ties: lowest state index
            moved = np.isfinite(pick)
            cur[i, moved] = pick[moved].astype(np.int64)
        out.append(cur)
    return out


def limited_move_stability(model: GraphModel, horizon: int) -> dict[int, BoolArray]:
    """``{h: stable[i, s]}`` for h = 1..horizon."""
    outcomes = anticipated_outcomes(model, horizon)
    states = np.arange(model.m)
    return {h: outcomes[h] == states[None, :] for h in range(1, horizon + 1)}
