"""The bar the centre set prevdip's best model, checked on every backtest so that its output says where prevdip
falls short as plainly as where it wins (issue 4: "where prevdip falls short the backtest says so").

The bar is the field's, for the global UCDP deaths target: CRPS skill ≥ 0 against ``conflictology12`` at horizons
1, 3 and 6; AUROC for P(any fatality) at horizon 1 above ``conflictology12``'s; onset AUROC ≥ 0.75 at horizons 1, 3
and 6. It is read from the backtest's own JSON, so a published backtest from an earlier version is checked too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from prevdip.forecast.forecasters import BEST_MODEL
from prevdip.forecast.targets import DEATHS_TARGET, REFERENCE

BAR_TARGET = DEATHS_TARGET
ONSET_BAR = 0.75
BAR_HORIZONS = ("1", "3", "6")


def _check(
    requirement: str, horizon: str, value: float | None, threshold: float | None, met: bool | None
) -> dict[str, Any]:
    return {"requirement": requirement, "horizon": int(horizon), "value": value, "threshold": threshold, "met": met}


def _at_least(value: float | None, threshold: float | None, *, strictly: bool = False) -> bool | None:
    if value is None or threshold is None:
        return None  # the horizon or score was not run: neither met nor failed
    return value > threshold if strictly else value >= threshold


def bar_verdict(backtest: Mapping[str, Any], model: str = BEST_MODEL) -> dict[str, Any] | None:
    """Each requirement with its value and whether it is met (None where the backtest did not run it); ``None``
    for a target the bar does not cover or a backtest without the best model."""
    scores = backtest.get("scores", {})
    if backtest.get("target") != BAR_TARGET or model not in scores:
        return None
    skill = backtest.get("skill_vs_conflictology12", {}).get(model, {})
    ours, theirs = scores[model], scores.get(REFERENCE, {})
    checks = []
    for h in BAR_HORIZONS:
        value = skill.get(h, {}).get("crps_skill")
        checks.append(_check("crps_skill_vs_conflictology12", h, value, 0.0, _at_least(value, 0.0)))
    value, threshold = ours.get("1", {}).get("auroc"), theirs.get("1", {}).get("auroc")
    above = _at_least(value, threshold, strictly=True)
    checks.append(_check("auroc_above_conflictology12", "1", value, threshold, above))
    for h in BAR_HORIZONS:
        value = ours.get(h, {}).get("onset_auroc")
        checks.append(_check("onset_auroc", h, value, ONSET_BAR, _at_least(value, ONSET_BAR)))
    verdicts = [c["met"] for c in checks]
    met = False if False in verdicts else (None if None in verdicts else True)  # one failure fails the bar
    return {"model": model, "met": met, "checks": checks, "short": [c for c in checks if c["met"] is False]}
