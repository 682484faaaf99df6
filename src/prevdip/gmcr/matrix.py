"""The matrix method of Xu, Hipel & Kilgour (2009): a second, independent implementation of stability.

It works on dense m × m 0/1 matrices (J_i, P_i^+, P_i^{-,=}) and matrix products, exactly as the paper writes
the definitions, so it shares no code with the logical implementation in :mod:`prevdip.gmcr.stability` and the
two can check each other. Dense products cost O(m³): fine for published models and test models, not for the
65,536-state benchmark (the logical implementation is the one to use there).

One documented deviation from the paper: P_i^{-,=} here keeps the diagonal (q ⪯_i s including q = s), so a
sanction that returns the conflict to s itself counts, as in the logical definitions (reference §2.5 caveat).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from prevdip.gmcr.model import GraphModel
from prevdip.gmcr.stability import Stability

Matrix = NDArray[np.float64]


def _sign(x: Matrix) -> Matrix:
    return (x > 0).astype(np.float64)


def adjacency(model: GraphModel, i: int) -> Matrix:
    """J_i: J_i[s, q] = 1 iff decision maker i can move from s to q."""
    j = np.zeros((model.m, model.m))
    mv = model.moves[i]
    j[mv.sources, mv.indices] = 1.0
    return j


def preferred(model: GraphModel, i: int) -> Matrix:
    """P_i^+: P_i^+[s, q] = 1 iff i strictly prefers q to s."""
    p = model.payoffs[i]
    return (p[None, :] > p[:, None]).astype(np.float64)


def coalition_reach(js: list[Matrix]) -> Matrix:
    """M_H: M_H[s, q] = 1 iff the coalition can move from s to q by a legal sequence (no member twice in a row).

    C(j) holds the pairs reachable by sequences whose first mover is j:
    C(j) = sign(J_j + J_j · Σ_{l ≠ j} C(l)), iterated to its fixpoint (Xu's first-mover recursion, cumulated).
    """
    if not js:
        return np.zeros((0, 0))
    first = [jj.copy() for jj in js]
    while True:
        total = np.sum(first, axis=0)
        new = [_sign(jj + jj @ (total - first[k])) for k, jj in enumerate(js)]
        if all(np.array_equal(a, b) for a, b in zip(new, first, strict=True)):
            return _sign(np.sum(first, axis=0))
        first = new


def matrix_stability(model: GraphModel) -> Stability:
    """Nash, GMR, SMR and SEQ by the matrix formulas: s is stable for i iff the diagonal entry is 0."""
    m, n = model.m, model.n
    e = np.ones((m, m))
    js = [adjacency(model, i) for i in range(n)]
    ps = [preferred(model, i) for i in range(n)]
    jplus = [js[i] * ps[i] for i in range(n)]
    stable = {c: np.zeros((n, m), dtype=bool) for c in ("nash", "gmr", "smr", "seq")}
    for i in range(n):
        others = [j for j in range(n) if j != i]
        reach = coalition_reach([js[j] for j in others])
        reach_plus = coalition_reach([jplus[j] for j in others])
        not_better = e - ps[i]  # P_i^{-,=} with the diagonal kept
        stable["nash"][i] = np.diag(jplus[i] @ e) == 0
        gmr = jplus[i] @ (e - _sign(reach @ not_better.T))
        stable["gmr"][i] = np.diag(gmr) == 0
        no_escape = e - _sign(js[i] @ ps[i].T)
        smr = jplus[i] @ (e - _sign(reach @ (not_better.T * no_escape)))
        stable["smr"][i] = np.diag(smr) == 0
        seq = jplus[i] @ (e - _sign(reach_plus @ not_better.T))
        stable["seq"][i] = np.diag(seq) == 0
    return Stability(stable)
