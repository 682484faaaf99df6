"""Coalitional stability in matrix form: the second, independent implementation that checks
:mod:`prevdip.gmcr.coalition_stability` (the formulas follow Xu, Hipel & Kilgour's matrix method as extended to
coalitions by Xu, Kilgour, Hipel & McBean 2014).

Dense m × m 0/1 matrices: M_H (what coalition H can reach, :func:`~prevdip.gmcr.matrix.coalition_reach`),
U_H[s, t] = 1 when every member of H strictly prefers t to s, and E − U_H ("some member likes t no more than s",
diagonal kept, as in :mod:`prevdip.gmcr.matrix`). With O = N − H, state s is stable for H when the diagonal entry
is 0 of:

* CNash: (M_H ∘ U_H) · E
* CGMR: (M_H ∘ U_H) · [E − sign(M_O · (E − U_H)^T)]
* CSMR: (M_H ∘ U_H) · [E − sign(M_O · ((E − U_H)^T ∘ (E − sign(M_H · U_H^T))))]
* CSEQ: (M_H ∘ U_H) · [E − sign(M_O^+ · (E − U_H)^T)], M_O^+ built from the others' improvement matrices.

O(m³) per product: for published models and the tests, not for large models.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from prevdip.gmcr.matrix import Matrix, adjacency, coalition_reach, preferred
from prevdip.gmcr.model import BoolArray, GraphModel
from prevdip.gmcr.stability import CONCEPTS


def _sign(x: Matrix) -> Matrix:
    return (x > 0).astype(np.float64)


def matrix_coalition_stability(model: GraphModel, groups: Sequence[tuple[int, ...]]) -> dict[str, BoolArray]:
    """``{concept: stable[k, s]}`` for each coalition in ``groups`` (single decision makers allowed)."""
    m, n = model.m, model.n
    e = np.ones((m, m))
    js = [adjacency(model, i) for i in range(n)]
    ps = [preferred(model, i) for i in range(n)]
    out = {c: np.zeros((len(groups), m), dtype=bool) for c in CONCEPTS}
    for k, group in enumerate(groups):
        others = [j for j in range(n) if j not in group]
        reach = coalition_reach([js[i] for i in group])
        up = np.prod([ps[i] for i in group], axis=0)
        not_up = e - up
        improves = reach * up
        answer = coalition_reach([js[j] for j in others]) if others else np.zeros((m, m))
        credible = coalition_reach([js[j] * ps[j] for j in others]) if others else np.zeros((m, m))
        no_escape = e - _sign(reach @ up.T)
        out["nash"][k] = np.diag(improves @ e) == 0
        out["gmr"][k] = np.diag(improves @ (e - _sign(answer @ not_up.T))) == 0
        out["smr"][k] = np.diag(improves @ (e - _sign(answer @ (not_up.T * no_escape)))) == 0
        out["seq"][k] = np.diag(improves @ (e - _sign(credible @ not_up.T))) == 0
    return out
