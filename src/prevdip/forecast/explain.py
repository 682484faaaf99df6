"""What moved a forecast since last month, computed honestly for the model that issued it.

A diplomat asks "why did the risk go up?". The answer here is the model's own: the forecast is re-scored with
*last month's* value of one input at a time, everything else as it is now, and the change in P(any death) and in
the median that this one input made is its contribution. Inputs are the learned model's features (deaths last
month, decay of the time since the last death, the neighbours' violence, population...) and, for an empirical
baseline inside the ensemble, its whole window (conflictology12's last 12 months). The contributions are
one-at-a-time, so they need not add up to the total change (features move together); the total — the forecast
from every input at last month's value, with the same fitted model — is given beside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from prevdip.forecast.forecasters import BaselineForecaster, EnsembleForecaster, Forecaster, LearnedForecaster
from prevdip.forecast.predictive import Predictive, mix
from prevdip.forecast.target import TargetPanel

TOP_DRIVERS = 3
WINDOW = "window"  # the name of a baseline's whole history as one input

# Features in the centre's words (the brief's one line); a feature not listed is shown by its name.
FEATURE_WORDS = {
    "log_deaths_lag0": "deaths last month",
    "log_deaths_lag1": "deaths two months ago",
    "log_mean3": "deaths over three months",
    "log_mean6": "deaths over six months",
    "log_mean12": "deaths over the year",
    "log_max12": "the year's worst month",
    "share_positive12": "months with deaths this year",
    "decay1": "time since the last death",
    "decay5": "time since the last month of 5 deaths",
    "decay25": "time since the last month of 25 deaths",
    "decay100": "time since the last month of 100 deaths",
    "decay1_long": "the decade's record of deaths",
    "onset_age": "the current episode's age",
    "neighbours_log_deaths": "neighbours' violence last month",
    "neighbours_log_mean12": "neighbours' violence this year",
    "neighbours_decay1": "neighbours' violence",
    "neighbours_decay25": "neighbours' heavy fighting",
    "log_population": "population",
    "log_infant_mortality": "infant mortality",
    "log_gdp_per_head": "income per head",
    WINDOW: "the last 12 months' record",
}


@dataclass(frozen=True)
class _Part:
    """One part of the model: its weight, and its forecast now and with one input at last month's value."""

    weight: float
    now: Predictive
    before: Predictive  # every input of the part at last month's value
    swapped: dict[str, Predictive]  # input name → forecast with only that input at last month's value


def _learned(part: LearnedForecaster, panel: TargetPanel, origin: int, horizon: int) -> _Part:
    estimator, features, names = part.fitted(panel, origin, horizon)
    now, last = features[:, origin], features[:, origin - 1]
    moved = [j for j in range(len(names)) if not np.allclose(now[:, j], last[:, j])]
    swapped = {}
    for j in moved:
        X = now.copy()
        X[:, j] = last[:, j]
        swapped[names[j]] = estimator.predict_distribution(X)
    return _Part(1.0, estimator.predict_distribution(now), estimator.predict_distribution(last), swapped)


def _baseline(part: BaselineForecaster, panel: TargetPanel, origin: int) -> _Part:
    now = part.rule(panel.history(origin), panel.neighbours)
    before = part.rule(panel.history(origin - 1), panel.neighbours)
    return _Part(1.0, now, before, {WINDOW: before})


def _parts(model: Forecaster, registry: dict[str, Forecaster], panel: TargetPanel, origin: int, h: int) -> list[_Part]:
    if isinstance(model, EnsembleForecaster):
        out = []
        for name, weight in model.parts:
            for part in _parts(registry[name], registry, panel, origin, h):
                out.append(_Part(weight * part.weight, part.now, part.before, part.swapped))
        return out
    if isinstance(model, LearnedForecaster):
        return [_learned(model, panel, origin, h)]
    if isinstance(model, BaselineForecaster):
        return [_baseline(model, panel, origin)]
    raise TypeError(f"cannot explain a {type(model).__name__}")


def _combine(parts: list[_Part], pick: list[Predictive]) -> Predictive:
    return pick[0] if len(parts) == 1 else mix(pick, [p.weight for p in parts])


def explain(
    model: Forecaster, registry: dict[str, Forecaster], panel: TargetPanel, origin: int, horizon: int = 1
) -> dict[str, dict[str, Any]]:
    """Per unit: P and median now and from last month's inputs, and the inputs that moved them most."""
    parts = _parts(model, registry, panel, origin, horizon)
    now = _combine(parts, [p.now for p in parts])
    before = _combine(parts, [p.before for p in parts])
    changes: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for k, part in enumerate(parts):
        for name, forecast in part.swapped.items():
            alone = _combine(parts, [forecast if i == k else p.now for i, p in enumerate(parts)])
            p_change = now.prob_positive() - alone.prob_positive()
            median_change = now.quantile(0.5) - alone.quantile(0.5)
            changes[name] = (p_change, median_change)
    out = {}
    for i, unit in enumerate(panel.units):
        ranked = sorted(changes, key=lambda n: (-abs(changes[n][0][i]), -abs(changes[n][1][i]), n))
        drivers = [
            {"feature": n, "words": FEATURE_WORDS.get(n, n), "p_change": four_digits(changes[n][0][i]),
             "median_change": four_digits(changes[n][1][i])}
            for n in ranked[:TOP_DRIVERS]
            if changes[n][0][i] != 0 or changes[n][1][i] != 0
        ]  # fmt: skip
        out[unit] = {
            "p_now": four_digits(now.prob_positive()[i]),
            "p_before": four_digits(before.prob_positive()[i]),
            "median_now": four_digits(now.quantile(0.5)[i]),
            "median_before": four_digits(before.quantile(0.5)[i]),
            "drivers": drivers,
        }
    return out


def four_digits(value: float) -> float:
    """Four significant digits: what an explanation says (its figures are read, not computed with)."""
    return float(f"{float(value):.4g}")
