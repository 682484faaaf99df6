"""Full backtest timing: all baselines and models, horizons 1/3/6/12, monthly origins 2018-01..2025-06, 133 units.

Issue 4's budget: under 5 minutes on 2 cores. Prints the seconds per model beside the baseline run in the same
script (``conflictology12``, the reference everything is scored against) and their ratio, the total against the
budget, and the headline scores. ``--out FILE`` also writes the backtest JSON (the table in docs/backtest.md).

    python benchmarks/bench_backtest.py [--bundle ../shared/data] [--workspace DIR] [--out backtest.json]

The target is read from the lake, as ``prevdip backtest`` reads it: the workspace given (or a temporary one into which
the bundle's country-month series is ingested first, timed apart).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from prevdip.catalogue import BUNDLE
from prevdip.forecast import BACKTEST_ORIGINS, HORIZONS, REFERENCE, load_ucdp_best, parse_origins, run_backtest

BUDGET_SECONDS = 300.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared" / "data")
    parser.add_argument("--workspace", type=Path, default=None, help="a workspace whose lake holds the series")
    parser.add_argument("--origins", default=BACKTEST_ORIGINS)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="prevdip-bench-backtest-") as scratch:
        workspace = (args.workspace or Path(scratch) / "workspace").resolve()
        if args.workspace is None:
            print(f"ingesting the series: {_ingest_series(workspace, args.bundle):.2f} s")
        started = time.perf_counter()
        panel = load_ucdp_best(workspace, args.bundle)
        loading = time.perf_counter() - started
        result = run_backtest(panel, origins=parse_origins(args.origins, panel), horizons=HORIZONS, bundle=args.bundle)
        total = time.perf_counter() - started

    baseline = max(result.seconds[REFERENCE], 1e-9)
    print(f"loading the series from the lake: {loading:.2f} s")
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


def _ingest_series(workspace: Path, bundle: Path) -> float:
    """Ingest the bundle's country-month series into an empty workspace; the seconds it took."""
    os.environ["PREVDIP_WORKSPACE"] = str(workspace)
    os.environ["PREVDIP_BUNDLE"] = str(bundle)
    from prevdip.events import ingest
    from prevdip.settings import get_settings

    get_settings.cache_clear()
    started = time.perf_counter()
    ingest("ucdp-cm", [bundle / name for name in BUNDLE.ucdp_country_month])
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
