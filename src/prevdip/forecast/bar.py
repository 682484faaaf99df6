"""The bar the centre set prevdip's best model, checked on every backtest so that its output says where prevdip
falls short as plainly as where it wins (issue 4: "where prevdip falls short the backtest says so").

For the global UCDP deaths target over every state of the GW system (issue 15), at horizons 1, 3 and 6:

- CRPS skill against ``conflictology12`` ≥ +3 %, with the 90 % interval above 0;
- AUROC for P(any fatality) at horizon 1 above ``conflictology12``'s;
- onset AUROC ≥ the ``decay`` baseline's + 0.03, and onset average precision ≥ 1.25 × the baseline's — relative to
  the baseline on the same rows, because a universe with more quiet states adds easy negatives that lift every
  AUROC (decay's goes from 0.72 on the series' columns to 0.82 on the whole system) without making anyone better.

For the border-dyad and province targets: CRPS skill ≥ 0 against the unit's own ``conflictology12`` at 1, 3 and 6.
The bar is read from the backtest's own JSON, so a published backtest from an earlier version is checked too; a
score the backtest did not run is neither met nor failed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from prevdip.forecast.forecasters import BEST_MODEL
from prevdip.forecast.targets import DEATHS_TARGET, DYAD_TARGET, ONSET_REFERENCE, PROVINCE_TARGET, REFERENCE

BAR_TARGET = DEATHS_TARGET
BAR_TARGETS = (DEATHS_TARGET, DYAD_TARGET, PROVINCE_TARGET)
SKILL_BAR = 0.03
ONSET_MARGIN = 0.03
ONSET_AP_RATIO = 1.25
BAR_HORIZONS = ("1", "3", "6")


def _check(
    requirement: str, horizon: str, value: float | None, threshold: float | None, met: bool | None
) -> dict[str, Any]:
    return {"requirement": requirement, "horizon": int(horizon), "value": value, "threshold": threshold, "met": met}


def _at_least(value: float | None, threshold: float | None, *, strictly: bool = False) -> bool | None:
    if value is None or threshold is None:
        return None  # the horizon or score was not run: neither met nor failed
    return value > threshold if strictly else value >= threshold


def _times(value: float | None, factor: float, plus: float = 0.0) -> float | None:
    return None if value is None else value * factor + plus


def _skill_checks(skill: Mapping[str, Any], at_least: float, *, interval: bool) -> list[dict[str, Any]]:
    checks = []
    for h in BAR_HORIZONS:
        value = skill.get(h, {}).get("crps_skill")
        checks.append(_check("crps_skill_vs_conflictology12", h, value, at_least, _at_least(value, at_least)))
        if interval:
            low = skill.get(h, {}).get("ci_low")
            checks.append(_check("crps_skill_ci_low", h, low, 0.0, _at_least(low, 0.0, strictly=True)))
    return checks


def _onset_checks(ours: Mapping[str, Any], baseline: Mapping[str, Any]) -> list[dict[str, Any]]:
    checks = []
    for h in BAR_HORIZONS:
        value = ours.get(h, {}).get("onset_auroc")
        threshold = _times(baseline.get(h, {}).get("onset_auroc"), 1.0, ONSET_MARGIN)
        checks.append(_check("onset_auroc_vs_decay", h, value, threshold, _at_least(value, threshold)))
    for h in BAR_HORIZONS:
        value = ours.get(h, {}).get("onset_ap")
        threshold = _times(baseline.get(h, {}).get("onset_ap"), ONSET_AP_RATIO)
        checks.append(_check("onset_ap_vs_decay", h, value, threshold, _at_least(value, threshold)))
    return checks


def bar_verdict(backtest: Mapping[str, Any], model: str = BEST_MODEL) -> dict[str, Any] | None:
    """Each requirement with its value and whether it is met (None where the backtest did not run it); ``None``
    for a target the bar does not cover or a backtest without the best model."""
    scores = backtest.get("scores", {})
    target = backtest.get("target")
    if target not in BAR_TARGETS or model not in scores:
        return None
    skill = backtest.get("skill_vs_conflictology12", {}).get(model, {})
    if target != BAR_TARGET:
        checks = _skill_checks(skill, 0.0, interval=False)
    else:
        ours, theirs = scores[model], scores.get(REFERENCE, {})
        checks = _skill_checks(skill, SKILL_BAR, interval=True)
        value, threshold = ours.get("1", {}).get("auroc"), theirs.get("1", {}).get("auroc")
        checks.append(
            _check("auroc_above_conflictology12", "1", value, threshold, _at_least(value, threshold, strictly=True))
        )
        checks += _onset_checks(ours, scores.get(ONSET_REFERENCE, {}))
    verdicts = [c["met"] for c in checks]
    met = False if False in verdicts else (None if None in verdicts else True)  # one failure fails the bar
    return {"model": model, "met": met, "checks": checks, "short": [c for c in checks if c["met"] is False]}
