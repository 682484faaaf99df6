"""Full backtest timing: all baselines and models, horizons 1/3/6/12, monthly origins 2018-01..2025-06, 133 units.

Issue 4's budget: under 5 minutes on 2 cores. Prints the seconds per model beside the baseline run in the same
script (``conflictology12``, the reference everything is scored against) and their ratio, the total against the
budget, and the headline scores. ``--out FILE`` also writes the backtest JSON (the table in docs/backtest.md).

    python benchmarks/bench_backtest.py [--bundle ../shared/data] [--out backtest.json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from prevdip.forecast import load_ucdp_best, parse_origins, run_backtest
from prevdip.forecast.backtest import REFERENCE

BUDGET_SECONDS = 300.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared" / "data")
    parser.add_argument("--origins", default="2018-01:2025-06")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    started = time.perf_counter()
    panel = load_ucdp_best(args.bundle)
    loading = time.perf_counter() - started
    result = run_backtest(panel, origins=parse_origins(args.origins, panel), horizons=(1, 3, 6, 12), bundle=args.bundle)
    total = time.perf_counter() - started

    baseline = max(result.seconds[REFERENCE], 1e-9)
    print(f"loading the series: {loading:.2f} s")
    print(f"{'model':26s} {'seconds':>9s} {'× ' + REFERENCE:>20s}")
    for name, seconds in result.seconds.items():
        print(f"{name:26s} {seconds:9.2f} {seconds / baseline:20.1f}")
    verdict = "within" if total <= BUDGET_SECONDS else "OVER"
    count = len(result.scored)
    print(f"total {total:.1f} s for {count} forecasters × 4 horizons: {verdict} the {BUDGET_SECONDS:.0f} s budget")

    report = result.as_json()
    for model in ("ensemble", "hurdle_boost", "hurdle_glm", REFERENCE):
        line = [model]
        for h in ("1", "3", "6", "12"):
            s, k = report["scores"][model][h], report["skill_vs_conflictology12"][model][h]
            line.append(f"h{h}: crps {s['crps']:.2f} skill {k['crps_skill']:+.1%} onset {s['onset_auroc']:.3f}")
        print(" | ".join(line))
    if args.out:
        args.out.write_text(json.dumps({**report, "seconds": result.seconds}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
