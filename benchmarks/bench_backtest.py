"""Full backtest timing of the three published targets: every baseline and model, horizons 1/3/6/12, monthly
origins from 2018-01 (to 2025-06, or the last month the target's data reach). Every target is read from the lake,
as ``prevdip backtest`` reads it.

Issue 15's budget on 2 cores: all three targets under 10 minutes, the country-month target (every GW state
alive) alone under 5. Prints, per target, each model's seconds and peak traced memory beside the baseline run in
the same script (``conflictology12``, the reference everything is scored against) and their ratios, the totals
against the budgets, and the headline scores. The border-dyad and province targets are built from the event lake
(``--workspace``, ingested from the bundle when empty). ``--out DIR`` writes each backtest's JSON there.

    python benchmarks/bench_backtest.py [--bundle ../shared/data] [--workspace /tmp/lake] [--targets ...] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from prevdip.catalogue import Workspace
from prevdip.forecast import BACKTEST_ORIGINS, HORIZONS, REFERENCE, load_target, parse_origins, run_backtest
from prevdip.forecast.targets import DEATHS_TARGET, DYAD_TARGET, PROVINCE_TARGET

BUDGET_SECONDS = 600.0
COUNTRY_BUDGET_SECONDS = 300.0
TARGETS = (DEATHS_TARGET, DYAD_TARGET, PROVINCE_TARGET)


def _lake(workspace: Path, bundle: Path) -> None:
    """An event lake of the bundle in ``workspace`` (read once; later runs reuse it)."""
    os.environ["PREVDIP_WORKSPACE"] = str(workspace)
    os.environ["PREVDIP_BUNDLE"] = str(bundle)
    if not Workspace(workspace).lake.is_dir():
        from prevdip.events import ingest_bundle

        ingest_bundle(bundle)


def _one(target: str, bundle: Path, workspace: Path, origins: str, out: Path | None) -> float:
    started = time.perf_counter()
    panel = load_target(target, bundle=bundle, workspace=workspace)
    loading = time.perf_counter() - started
    result = run_backtest(
        panel, origins=parse_origins(origins, panel), horizons=HORIZONS, bundle=bundle, trace_memory=True
    )
    total = time.perf_counter() - started
    seconds, cpu, peak = result.seconds, result.cpu_seconds, result.peak_bytes
    base_s, base_m = max(seconds[REFERENCE], 1e-9), max(peak[REFERENCE], 1)
    print(f"\n{target}: {panel.n_units} units, origins {result.first_origin}..{result.last_origin}")
    print(f"loading the panel: {loading:.2f} s")
    print(
        f"{'model':26s} {'seconds':>9s} {'× ' + REFERENCE:>20s} {'CPU s':>8s} {'peak MiB':>9s} {'× ' + REFERENCE:>20s}"
    )
    for name in seconds:
        ratio, mib = seconds[name] / base_s, peak[name] / 2**20
        print(f"{name:26s} {seconds[name]:9.2f} {ratio:20.1f} {cpu[name]:8.1f} {mib:9.1f} {peak[name] / base_m:20.1f}")
    print(f"{target} total {total:.1f} s (CPU {sum(cpu.values()):.1f} s in the models)")
    report = result.as_json()
    for model in ("ensemble", "decay", REFERENCE):
        line = [model]
        for h in ("1", "3", "6", "12"):
            s, k = report["scores"][model][h], report["skill_vs_conflictology12"][model][h]
            onset = "–" if s["onset_auroc"] is None else f"{s['onset_auroc']:.3f}"
            line.append(f"h{h}: crps {s['crps']:.2f} skill {k['crps_skill']:+.1%} onset {onset}")
        print(" | ".join(line))
    if report.get("bar"):
        short = [(c["requirement"], c["horizon"]) for c in report["bar"]["short"]]
        print(f"bar met: {report['bar']['met']}; short: {short}")
    if out:
        out.mkdir(parents=True, exist_ok=True)
        body = {**report, "seconds": seconds, "cpu_seconds": cpu, "peak_bytes": peak}
        (out / f"{target}.json").write_text(json.dumps(body, indent=1), encoding="utf-8")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared" / "data")
    parser.add_argument("--workspace", type=Path, default=Path("/tmp/prevdip-bench-workspace"))
    parser.add_argument("--origins", default=BACKTEST_ORIGINS)
    parser.add_argument("--targets", default=",".join(TARGETS))
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    bundle = args.bundle.resolve()
    _lake(args.workspace, bundle)
    load = os.getloadavg()
    print(f"load average before: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} cores")
    totals = {t: _one(t, bundle, args.workspace, args.origins, args.out) for t in args.targets.split(",")}
    everything = sum(totals.values())
    for target, seconds in totals.items():
        print(f"{target}: {seconds:.1f} s")
    if DEATHS_TARGET in totals:
        verdict = "within" if totals[DEATHS_TARGET] <= COUNTRY_BUDGET_SECONDS else "OVER"
        print(
            f"country-month target {totals[DEATHS_TARGET]:.1f} s: {verdict} the {COUNTRY_BUDGET_SECONDS:.0f} s budget"
        )
    verdict = "within" if everything <= BUDGET_SECONDS else "OVER"
    print(f"all targets {everything:.1f} s: {verdict} the {BUDGET_SECONDS:.0f} s budget")
    load = os.getloadavg()
    print(f"load average after: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")


if __name__ == "__main__":
    main()
