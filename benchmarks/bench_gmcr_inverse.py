"""Inverse GMCR on a 4-decision-maker, 256-state model (part of ``bench_gmcr.py``; runs alone too).

prevdip: :func:`prevdip.gmcr.inverse` for eight targets under each concept (the answer, whether it is proved
minimal, the stability checks spent). Baseline, in the same run: the straightforward search — every single move
(every decision maker, every state, every place in its ranking), each checked by a full forward analysis of the
model, then every pair — stopped at a time cap, with how far it got.
"""

from __future__ import annotations

import random
import sys
import time
from itertools import combinations
from typing import Any

from bench_gmcr import generated_model

CAP_S = 60.0
CONCEPTS = ("nash", "gmr", "smr", "seq")


def inverse_part() -> None:
    from prevdip.gmcr import load_model
    from prevdip.gmcr.inverse import inverse

    model = load_model(generated_model([2, 2, 2, 2]))
    targets = random.Random(1).sample(range(model.m), 8)
    print(f"-- inverse: {model.n} decision makers, {model.m} states, 8 targets x 4 concepts", flush=True)
    for concept in CONCEPTS:
        c0, t0 = time.process_time(), time.perf_counter()
        answers = [inverse(model, t, concept) for t in targets]
        ours = time.perf_counter() - t0
        cpu = time.process_time() - c0
        moves = [len(a.moves) if a.moves is not None else None for a in answers]
        proved = sum(a.minimal for a in answers)
        first = next((t for t, a in zip(targets, answers, strict=True) if a.moves), None)
        base = _baseline(model, first, concept) if first is not None else "no target needs a change"
        label = model.states[first] if first is not None else "-"
        print(
            f"{concept.upper():4} prevdip {ours:.2f} s for 8 targets (CPU {cpu:.2f} s; moves {moves}; proved minimal "
            f"{proved}/8; {sum(a.checks for a in answers)} checks) | baseline, one target ({label}): "
            f"{base} | ratio {_ratio(base, ours / 8)}",
            flush=True,
        )


def _baseline(model: Any, target: int, concept: str) -> str:
    """Every set of 1, then 2, single moves, each checked by the full forward analysis, until the cap."""
    from prevdip.gmcr import analyse_stability
    from prevdip.gmcr.inverse_moves import Move, apply, places

    moves = [
        Move(i, x, v)
        for i in range(model.n)
        for x in range(model.m)
        for v in places(model.payoffs[i], x, range(model.m))
    ]
    start = time.perf_counter()
    checked = 0
    for size in (1, 2):
        total = len(moves) if size == 1 else len(moves) * (len(moves) - 1) // 2
        for chosen in combinations(moves, size):
            if time.perf_counter() - start > CAP_S:
                return f"> {CAP_S:.0f} s, stopped after {checked} of {total} sets of {size} move(s)"
            checked += 1
            after = model.with_payoffs(apply(model.payoffs, chosen))
            if analyse_stability(after, (concept,)).equilibria(concept)[target]:
                return f"{time.perf_counter() - start:.2f} s ({size} move(s) after {checked} checks)"
        checked = 0
    return f"{time.perf_counter() - start:.2f} s, nothing within 2 moves"


def _ratio(baseline: str, ours_per_target: float) -> str:
    if baseline.startswith(">"):
        return f">= {CAP_S / ours_per_target:.0f}x"
    try:
        return f"{float(baseline.split()[0]) / ours_per_target:.0f}x"
    except ValueError:
        return "-"


if __name__ == "__main__":
    sys.exit(inverse_part())
