"""The published recalibration maps, applied to the live forecasts: what a new vintage says P(any) is.

The backtest (:mod:`prevdip.forecast.recalibration`) decides per target × horizon, on the validation origins
2012–2017 only, whether the best model's P(any death) (P(crisis or worse) on the stage target) needs its isotonic
map, and publishes the map beside its verdict. A vintage issued afterwards by the same model passes its P(any)
through the map at exactly those horizons and keeps the model's own figure beside it (``p_any_raw``), so a reader
can see both and a later audit can undo the map. The vintage names the map it used (:class:`Maps.stamp`: the
published backtest's fingerprint and the lake stamp it was made under), so two vintages of one month that differ
only in their map say why.

A map is only as good as the data it was fitted on: when the lake has changed since the backtest was published,
the map is *stale* and is not applied — the vintage keeps the raw figures and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from prevdip.forecast.explain import four_digits
from prevdip.forecast.recalibration import Recalibrator
from prevdip.forecast.targets import EXPLAINED_HORIZON

#: How a calibrated probability is labelled wherever it is shown (the glossary's term "calibrated").
CALIBRATED_ON = "calibrated on {first}–{last} validation origins"


@dataclass(frozen=True)
class Maps:
    """The maps a new vintage applies, per horizon, and where they come from."""

    backtest: str | None
    lake: str | None
    validation_origins: list[str] | None
    by_horizon: dict[int, Recalibrator] = field(default_factory=dict)
    stale: str | None = None

    def stamp(self) -> dict[str, Any]:
        """The vintage's ``calibration`` block: which map made its P(any), or why none did."""
        out: dict[str, Any] = {
            "backtest": self.backtest,
            "lake": self.lake,
            "validation_origins": self.validation_origins,
            "horizons": sorted(self.by_horizon),
        }
        return {**out, "stale": self.stale} if self.stale else out

    def calibrated(self, horizon: int, raw: np.ndarray) -> np.ndarray | None:
        """``raw`` through the horizon's map, within [0, 1]; None where no map is applied at that horizon."""
        fitted = self.by_horizon.get(horizon)
        return None if fitted is None else np.clip(fitted(raw), 0.0, 1.0)

    def explained(self, explanations: dict[str, Any]) -> dict[str, Any]:
        """What moved next month's forecast, on the calibrated scale when next month's P(any) is calibrated: the
        map is monotone, so a driver that raised the raw P raises the calibrated one, by map(now) − map(now − Δ)."""
        fitted = self.by_horizon.get(EXPLAINED_HORIZON)
        if fitted is None:
            return explanations

        def mapped(p: float) -> float:
            return four_digits(float(np.clip(fitted(np.array([p]))[0], 0.0, 1.0)))

        out = {}
        for unit, e in explanations.items():
            drivers = [{**d, "p_change": four_digits(mapped(e["p_now"]) - mapped(e["p_now"] - d["p_change"]))}
                       for d in e["drivers"]]  # fmt: skip
            out[unit] = {**e, "p_now": mapped(e["p_now"]), "p_before": mapped(e["p_before"]), "drivers": drivers}
        return out


def published_maps(published: dict[str, Any] | None, *, model: str, lake: str) -> Maps | None:
    """The maps of ``model`` in a published backtest record, at the horizons its criterion chose; stale (none
    applied) when the backtest was not made from the lake of stamp ``lake``. None when nothing is published."""
    if published is None:
        return None
    fitted = (published.get("recalibration") or {}).get(model) or {}
    made_under = published.get("lake")
    origins = next((r["validation_origins"] for r in fitted.values()), None)
    found = Maps(published.get("fingerprint"), made_under, origins)
    if made_under != lake:
        why = (
            "the published backtest does not name the lake it was made from"
            if made_under is None
            else f"the published backtest was made from lake {made_under[:12]}, the lake is now {lake[:12]}"
        )
        return replace(found, stale=f"{why}: raw P(any) shown; run `prevdip backtest` or `prevdip cycle` again")
    chosen = {
        int(h): Recalibrator(np.array([k for k, _ in r["map"]]), np.array([v for _, v in r["map"]]))
        for h, r in fitted.items()
        if r["recalibrated"]
    }
    return replace(found, by_horizon=chosen)
