"""The rolling-origin backtest: every forecaster × horizon over monthly origins, scored against what happened.

An origin is the last observed month; horizon h is scored against month origin + h, so origins whose target lies
beyond the data are left out of that horizon (at h = 12 the last origins of the series). ``conflictology12`` is
always run: every skill is measured against it, with a bootstrap over whole origins.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from prevdip.errors import RefusedInput
from prevdip.forecast.alarms import alarm_record
from prevdip.forecast.bar import bar_verdict
from prevdip.forecast.calibration import calibration
from prevdip.forecast.forecasters import BEST_MODEL, Cache, cached, registry
from prevdip.forecast.scoring import Scored, concat, crps_skill, score_origin, summary
from prevdip.forecast.target import TargetPanel
from prevdip.forecast.targets import HORIZONS, REFERENCE
from prevdip.geo import home_region

JSON_SCORES = (
    "crps",
    "brier",
    "auroc",
    "onset_auroc",
    "onset_ap",
    "onset_auroc_history",
    "ap",
    "coverage50",
    "coverage90",
    "msle",
)


@dataclass
class Backtest:
    target: str
    first_origin: str
    last_origin: str
    n_units: int
    scored: dict[str, dict[int, Scored]]
    values: np.ndarray = field(repr=False, default_factory=lambda: np.zeros((0, 0)))  # the target, for alarms
    seconds: dict[str, float] = field(default_factory=dict)
    peak_bytes: dict[str, int] = field(default_factory=dict)  # per model, when traced
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # per model: this process's CPU, not the wall
    region: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0, dtype=np.int64))  # the region's units

    def summaries(self) -> dict[str, dict[int, dict[str, Any]]]:
        return {m: {h: summary(s) for h, s in by_h.items()} for m, by_h in self.scored.items()}

    def as_json(self) -> dict[str, Any]:
        """The shape ``prevdip backtest --json`` prints (issue 4), with the bar's verdict beside the scores."""
        scores = {
            model: {str(h): {k: s[k] for k in JSON_SCORES} for h, s in by_h.items()}
            for model, by_h in self.summaries().items()
        }
        skill = {
            model: {str(h): crps_skill(s, self.scored[REFERENCE][h]) for h, s in by_h.items()}
            for model, by_h in self.scored.items()
        }
        out: dict[str, Any] = {
            "target": self.target,
            "origins": [self.first_origin, self.last_origin],
            "n_units": self.n_units,
            "scores": scores,
            "skill_vs_conflictology12": skill,
        }
        alarms = {
            str(h): alarm_record(self.values, s) for h, s in self.scored.get(BEST_MODEL, {}).items()
        }  # how the best model's probabilities would have done as warnings, per threshold
        calibrated = {str(h): calibration(s, self.region) for h, s in self.scored.get(BEST_MODEL, {}).items()}
        return {
            **out,
            "bar": bar_verdict(out),
            "alarms": {BEST_MODEL: alarms} if alarms else {},
            "calibration": {BEST_MODEL: calibrated} if calibrated else {},
        }


def region_units(units: tuple[str, ...]) -> np.ndarray:
    """Indices of the region's units: the five states and Afghanistan, dyads of two of them, their provinces."""
    states = set(home_region().iso3s)
    return np.array([i for i, u in enumerate(units) if set(u.split(":", 1)[0].split("-")) <= states], dtype=np.int64)


def _in_universe(scored: Scored, universe: np.ndarray, horizon: int) -> Scored:
    """Only unit-origins whose unit exists both at the origin and in the month scored."""
    return scored.take(universe[scored.unit, scored.origin] & universe[scored.unit, scored.origin + horizon])


def parse_origins(text: str, panel: TargetPanel) -> list[int]:
    """``"2018-01:2025-06"`` → the month indices from the first to the last origin, inclusive; a last origin past
    the panel's data stops at its last month (the geolocated targets end where the lake's events do)."""
    first, sep, last = text.partition(":")
    if not sep:
        raise RefusedInput(f"origins {text!r} is not a range", hint="write FIRST:LAST, e.g. 2018-01:2025-06")
    try:
        if pd.Timestamp(last) > panel.months[-1]:
            last = f"{panel.months[-1]:%Y-%m}"
        start, end = panel.month_index(first), panel.month_index(last)
    except ValueError as exc:
        raise RefusedInput(f"origins {text!r}: {exc}", hint="months are YYYY-MM") from None
    if end < start:
        raise RefusedInput(f"origins {text!r} run backwards", hint="the first origin comes first")
    return list(range(start, end + 1))


def run_backtest(
    panel: TargetPanel,
    *,
    origins: Sequence[int],
    horizons: Sequence[int] = HORIZONS,
    models: Sequence[str] | None = None,
    bundle: Path | None = None,
    trace_memory: bool = False,
) -> Backtest:
    """Forecast and score every requested model at every horizon; unknown model names are refused. With
    ``trace_memory`` each model's peak traced allocation is recorded (``tracemalloc``: numpy and Python memory, not
    the C++ buffers of the trees) — for the benchmark, since tracing slows the run."""
    forecasters = registry(bundle)
    names = list(forecasters) if not models else list(dict.fromkeys([REFERENCE, *models]))
    unknown = [n for n in names if n not in forecasters]
    if unknown:
        raise RefusedInput(f"unknown model {', '.join(unknown)}", hint=f"known: all, {', '.join(forecasters)}")
    if any(h < 1 for h in horizons):
        raise RefusedInput(f"horizons {list(horizons)} must be ≥ 1 month")
    last_month = panel.values.shape[1] - 1
    universe = panel.in_universe()
    cache: Cache = {}
    scored: dict[str, dict[int, Scored]] = {n: {} for n in names}
    seconds = dict.fromkeys(names, 0.0)
    cpu = dict.fromkeys(names, 0.0)
    peak = dict.fromkeys(names, 0)
    if trace_memory:
        tracemalloc.start()
    for h in horizons:
        usable = [o for o in origins if o + h <= last_month]
        if not usable:
            raise RefusedInput(f"no origin leaves a month to score at horizon {h}", hint="choose earlier origins")
        for name in names:
            if trace_memory:
                tracemalloc.reset_peak()
            started, used = time.perf_counter(), time.process_time()
            forecasts = cached(forecasters[name], panel, usable, h, cache)
            scored[name][h] = concat(
                [_in_universe(score_origin(panel.values, o, h, forecasts[o]), universe, h) for o in usable]
            )
            seconds[name] += time.perf_counter() - started
            cpu[name] += time.process_time() - used
            if trace_memory:
                peak[name] = max(peak[name], tracemalloc.get_traced_memory()[1])
    if trace_memory:
        tracemalloc.stop()
    month = pd.Timestamp
    return Backtest(
        target=panel.name,
        first_origin=f"{month(panel.months[min(origins)]):%Y-%m}",
        last_origin=f"{month(panel.months[max(origins)]):%Y-%m}",
        n_units=len(np.unique(np.concatenate([s.unit for s in scored[REFERENCE].values()]))),
        scored=scored,
        values=panel.values,
        seconds=seconds,
        peak_bytes=peak if trace_memory else {},
        cpu_seconds=cpu,
        region=region_units(panel.units),
    )
