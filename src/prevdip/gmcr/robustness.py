"""Robustness of equilibria: how many single changes of one decision maker's ranking remove each one.

A change is a swap of two adjacent tie classes in one decision maker's ranking (for a strict ranking, two
adjacent states change places). An equilibrium removed by few swaps rests on a preference the mediator should
check first (cf. Matbouli, Hipel & Kilgour 2014 on equilibria's "levels of freedom").
"""

from __future__ import annotations

from typing import Any

import numpy as np

from prevdip.gmcr.model import FloatArray, GraphModel, tie_classes
from prevdip.gmcr.stability import CONCEPTS, Stability, analyse_stability


def adjacent_swaps(model: GraphModel) -> list[tuple[int, list[int], list[int], FloatArray]]:
    """(decision maker, upper class, lower class, payoffs after the swap) for every adjacent pair of classes."""
    out = []
    for i in range(model.n):
        classes = tie_classes(model.payoffs[i])
        for upper, lower in zip(classes, classes[1:], strict=False):
            payoffs = model.payoffs.copy()
            hi, lo = payoffs[i, upper[0]], payoffs[i, lower[0]]
            payoffs[i, upper] = lo
            payoffs[i, lower] = hi
            out.append((i, upper, lower, payoffs))
    return out


def robustness(model: GraphModel, stability: Stability | None = None) -> dict[str, dict[str, dict[str, Any]]]:
    """``{concept: {equilibrium: {"swaps_tested", "swaps_removing", "kept_share", "removed_by"}}}``."""
    stability = stability or analyse_stability(model)
    base = {c: np.flatnonzero(stability.equilibria(c)) for c in CONCEPTS}
    swaps = adjacent_swaps(model)
    removed: dict[str, dict[int, list[dict[str, Any]]]] = {c: {int(e): [] for e in base[c]} for c in CONCEPTS}
    for i, upper, lower, payoffs in swaps:
        after = analyse_stability(model.with_payoffs(payoffs))
        for c in CONCEPTS:
            still = after.equilibria(c)
            for e in base[c]:
                if not still[e]:
                    removed[c][int(e)].append(
                        {
                            "dm": model.decision_makers[i],
                            "swap": [[model.states[s] for s in upper], [model.states[s] for s in lower]],
                        }
                    )
    total = len(swaps)
    return {
        c: {
            model.states[e]: {
                "swaps_tested": total,
                "swaps_removing": len(by),
                "kept_share": round(1 - len(by) / total, 4) if total else 1.0,
                "removed_by": by,
            }
            for e, by in removed[c].items()
        }
        for c in CONCEPTS
    }
