"""Benchmark: GMCR analysis, inverse GMCR and the /gmcr web page, each beside a baseline in the same run.

Three parts (``.venv/bin/python benchmarks/bench_gmcr.py [scale] [inverse] [web]``; all three by default; pins
itself to 2 cores):

* **scale** — full analysis of generated option-form models with four decision makers, up to 20 options
  (1,048,576 states). Targets: 4,096 states in under 2 s; 1,048,576 states in under 60 s and 4 GB (issue 17).
  "Full analysis" = Nash, GMR, SMR and SEQ for every decision maker and state, and the equilibria (what
  ``prevdip gmcr analyze --no-explain --no-coalitions`` computes), timed from the option-form file (compilation
  included), each size in a fresh process so its peak memory is its own; CPU time is printed beside the wall time
  because the machine is shared. The baseline is what the field's reference tool does: a dense state x state move
  matrix per decision maker and, for every improvement, a depth-first search for a sanction over (state, last
  mover), run where it fits within a time cap, checked to give the same answer. The matrix method (Xu, Hipel &
  Kilgour 2009; dense O(m^3) products) is timed too where it fits.
* **inverse** — inverse GMCR on a 4-decision-maker, 256-state model, eight targets under each concept, against a
  straightforward search (every single move of every state to every place of every ranking, each checked by a
  full forward analysis, then pairs), capped.
* **web** — ``prevdip serve`` on 127.0.0.1:8141: the upload and the page of two-party models of 1,024 and 4,096
  states (issue 13's sizes) against the command line doing the same analysis (``analyze --json`` and
  ``status-quo --json``, fresh processes); and a static file's p95 while 4,096-state models are analysed through
  the web, against idle (target: within 2x).
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import time
from typing import Any

import numpy as np

SIZES = [(4, [2, 2, 2, 2]), (4, [3, 3, 2, 2]), (4, [3, 3, 3, 3]), (4, [4, 4, 4, 4]), (4, [5, 5, 5, 5])]
BASELINE_CAP_S = 120.0
MATRIX_MAX_STATES = 1024


def generated_model(options_per_dm: list[int], seed: int = 7) -> dict[str, Any]:
    """An option-form file: every combination feasible, two irreversible options, eight statements per DM."""
    rnd = random.Random(seed)
    dms = [{"name": f"D{d}", "options": [f"o{d}_{j}" for j in range(k)]} for d, k in enumerate(options_per_dm)]
    names = [o for d in dms for o in d["options"]]

    def literal() -> str:
        o = rnd.choice(names)
        return o if rnd.random() < 0.5 else f"not {o}"

    def statement() -> str:
        return f"{literal()} {rnd.choice(['and', 'or', 'iff'])} {literal()}" if rnd.random() < 0.5 else literal()

    return {
        "name": f"generated {len(names)} options",
        "form": "option",
        "decision_makers": dms,
        "irreversible": {names[0]: "N->Y", names[-1]: "Y->N"},
        "preferences": {d["name"]: {"statements": [statement() for _ in range(8)]} for d in dms},
    }


def run_prevdip(options_per_dm: list[int]) -> dict[str, Any]:
    from prevdip.gmcr import analyze, load_model

    spec = generated_model(options_per_dm)
    c0, t0 = time.process_time(), time.perf_counter()
    model = load_model(spec)
    t1 = time.perf_counter()
    report = analyze(model, explain=False, robustness=False, coalitions=False)
    t2 = time.perf_counter()
    return {
        "states": model.m,
        "compile_s": t1 - t0,
        "analysis_s": t2 - t1,
        "total_s": t2 - t0,
        "cpu_s": time.process_time() - c0,
        "peak_mb": peak_memory_mb(),
        "equilibria": {c: len(report.equilibria(c)) for c in ("nash", "gmr", "smr", "seq")},
    }


def peak_memory_mb() -> float:
    """This process's own peak resident memory (VmHWM; ru_maxrss would carry the parent's peak across exec)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class OverCap(Exception):
    """The baseline ran past its time cap; ``done`` is the share of (decision maker, state) pairs it finished."""

    def __init__(self, done: float) -> None:
        super().__init__(f"stopped after {done:.0%}")
        self.done = done


def baseline_stability(model: Any, deadline: float) -> dict[str, np.ndarray]:
    """Dense move matrices and a depth-first sanction search per improvement: the definitions, literally."""
    m, n = model.m, model.n
    dense = []
    for mv in model.moves:
        j = np.zeros((m, m), dtype=bool)
        j[mv.sources, mv.indices] = True
        dense.append(j)
    out = {c: np.zeros((n, m), dtype=bool) for c in ("nash", "gmr", "smr", "seq")}
    for i in range(n):
        for s in range(m):
            if time.perf_counter() > deadline:
                raise OverCap((i * m + s) / (n * m))
            ups = [int(t) for t in np.flatnonzero(dense[i][s]) if model.payoffs[i][t] > model.payoffs[i][s]]
            out["nash"][i, s] = not ups
            for concept in ("gmr", "smr", "seq"):
                out[concept][i, s] = all(sanctioned(dense, model.payoffs, i, s, t, concept) for t in ups)
    return out


def sanctioned(dense: list[np.ndarray], p: np.ndarray, i: int, s: int, start: int, concept: str) -> bool:
    """Search the others' move sequences (nobody twice in a row) from ``start`` for a state deterring i."""
    others = [j for j in range(len(dense)) if j != i]

    def deters(q: int) -> bool:
        if p[i][q] > p[i][s]:
            return False
        return concept != "smr" or not any(p[i][r] > p[i][s] for r in np.flatnonzero(dense[i][q]))

    seen: set[tuple[int, int]] = set()
    stack = [(start, -1)]
    while stack:
        state, last = stack.pop()
        for j in others:
            if j == last:
                continue
            for t in np.flatnonzero(dense[j][state]):
                if concept == "seq" and not p[j][t] > p[j][state]:
                    continue
                if (int(t), j) in seen:
                    continue
                if deters(int(t)):
                    return True
                seen.add((int(t), j))
                stack.append((int(t), j))
    return False


def compare(options_per_dm: list[int], prevdip_s: float) -> dict[str, Any]:
    from prevdip.gmcr import analyse_stability, load_model, matrix_stability

    model = load_model(generated_model(options_per_dm))
    row: dict[str, Any] = {}
    if model.m > 4096:
        row["baseline"] = f"not attempted: dense matrices alone need {model.n * model.m**2 / 1e9:.0f} GB"
    else:
        t0 = time.perf_counter()
        try:
            base = baseline_stability(model, t0 + BASELINE_CAP_S)
            elapsed = time.perf_counter() - t0
            ours = analyse_stability(model).stable
            same = all(np.array_equal(base[c], ours[c]) for c in base)
            row["baseline"] = f"{elapsed:.2f} s (same answer: {same})"
            row["ratio"] = elapsed / prevdip_s
        except OverCap as stop:
            guess = BASELINE_CAP_S / max(stop.done, 1e-9)
            row["baseline"] = (
                f"> {BASELINE_CAP_S:.0f} s (stopped at {stop.done:.0%} of the states; ~{guess:.0f} s extrapolated)"
            )
            row["ratio_at_least"] = BASELINE_CAP_S / prevdip_s
    if model.m <= MATRIX_MAX_STATES:
        t0 = time.perf_counter()
        matrix_stability(model)
        row["matrix_method"] = f"{time.perf_counter() - t0:.2f} s"
    else:
        row["matrix_method"] = f"not run: O(m^3) dense products at {model.m} states"
    return row


def scale() -> None:
    print(f"-- scale: full analysis, 4 decision makers; baseline capped at {BASELINE_CAP_S:.0f} s")
    for _n, options in SIZES:
        arg = ",".join(map(str, options))
        child = subprocess.run([sys.executable, __file__, "--child", arg], capture_output=True, text=True, check=True)
        ours = json.loads(child.stdout)
        row = compare(options, ours["total_s"])
        ratio = (
            f"{row['ratio']:.0f}x"
            if "ratio" in row
            else f">= {row['ratio_at_least']:.0f}x"
            if "ratio_at_least" in row
            else "-"
        )
        print(
            f"{len(options)} DMs, {sum(options)} options, {ours['states']:>7} states | prevdip {ours['total_s']:.2f} s "
            f"(compile {ours['compile_s']:.2f} + analysis {ours['analysis_s']:.2f}; CPU {ours['cpu_s']:.2f} s), "
            f"peak {ours['peak_mb']:.0f} MB | baseline {row['baseline']} | ratio {ratio} | "
            f"matrix method {row['matrix_method']} | equilibria {ours['equilibria']}",
            flush=True,
        )


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:2])
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(run_prevdip([int(x) for x in sys.argv[2].split(",")])))
        return
    parts = sys.argv[1:] or ["scale", "inverse", "web"]
    print(f"prevdip GMCR benchmark on {len(os.sched_getaffinity(0))} cores, load average {os.getloadavg()[0]:.1f}")
    from bench_gmcr_inverse import inverse_part
    from bench_gmcr_web import web_part

    for part in parts:
        {"scale": scale, "inverse": inverse_part, "web": web_part}[part]()


if __name__ == "__main__":
    main()
