"""Recalibrating P(any) where the validation origins say it is off, and publishing both figures.

The best model's P(any death) (on the stage target P(crisis or worse)) is checked on the **validation origins
2012-01..2017-12**, the ones model choices were made on. **Criterion:** a target × horizon is recalibrated when the
expected calibration error there — the row-weighted mean gap between mean forecast and observed share over the ten
reliability bins (:mod:`prevdip.forecast.calibration`) — exceeds :data:`ECE_LIMIT`, *and* a map fitted on the first
two-thirds of the validation origins lowers the ECE of the last third by at least :data:`HELD_OUT_GAIN` (a map that
does not carry over to later years within the validation window would fit noise). The map is an isotonic
regression (monotone: it never reorders two forecasts, so AUROC and onset AUROC stay as they were, up to ties)
fitted on validation rows only, and only on rows whose scored month was already observed at the first test origin,
so nothing the test window reveals reaches it. It is then applied to the test origins' probabilities, and the
record keeps the raw and the recalibrated ECE, Brier score and reliability side by side (``docs/backtest.md``).

The isotonic map is fitted to the validation rows themselves, so its validation ECE is near zero by construction;
the figure that says whether it helped is the test window's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from sklearn.isotonic import IsotonicRegression

from prevdip.forecast.calibration import BINS, reliability
from prevdip.forecast.scoring import Scored

#: Recalibrate when the validation ECE exceeds this: one percentage point, about the noise of a bin holding a few
#: hundred rows at a 10 % rate; below it a map would fit noise.
ECE_LIMIT = 0.01
#: ...and recalibrate only when a map fitted on earlier validation origins cuts the later ones' ECE by this share.
HELD_OUT_GAIN = 0.10


def ece(p: np.ndarray, event: np.ndarray, bins: int = BINS) -> float | None:
    """Expected calibration error: Σ_bins (rows in bin / rows) × |mean forecast − observed share|."""
    if not len(p):
        return None
    which = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for k in range(bins):
        inside = which == k
        if inside.any():
            total += inside.sum() * abs(float(p[inside].mean()) - float(event[inside].mean()))
    return float(total / len(p))


@dataclass(frozen=True)
class Recalibrator:
    """A monotone map of probabilities, as the isotonic fit's knots (linear between them, flat beyond)."""

    knots: np.ndarray  # forecast probability, increasing
    values: np.ndarray  # recalibrated probability, non-decreasing

    def __call__(self, p: np.ndarray) -> np.ndarray:
        return np.interp(p, self.knots, self.values)

    @classmethod
    def fit(cls, p: np.ndarray, event: np.ndarray) -> Recalibrator:
        iso = IsotonicRegression(y_min=0.0, y_max=1.0, increasing=True, out_of_bounds="clip")
        iso.fit(p, event.astype(np.float64))
        return cls(np.asarray(iso.X_thresholds_, dtype=np.float64), np.asarray(iso.y_thresholds_, dtype=np.float64))


def recalibrated(s: Scored, recalibrator: Recalibrator) -> Scored:
    """The same scored rows with P(any) passed through the map (the counts' CRPS and PIT are not touched)."""
    return replace(s, p_positive=recalibrator(s.p_positive))


def _brier(s: Scored) -> float | None:
    return float(np.mean((s.p_positive - (s.observed > 0)) ** 2)) if len(s.observed) else None


def held_out(validation: Scored) -> tuple[float | None, float | None]:
    """The ECE of the last third of the validation origins, raw and through a map fitted on the first two-thirds."""
    origins = np.unique(validation.origin)
    if len(origins) < 3:
        return None, None
    cut = origins[len(origins) * 2 // 3]
    early, late = validation.take(validation.origin < cut), validation.take(validation.origin >= cut)
    fitted = Recalibrator.fit(early.p_positive, early.observed > 0)
    return ece(late.p_positive, late.observed > 0), ece(fitted(late.p_positive), late.observed > 0)


def recalibration_record(
    validation: Scored, test: Scored, region: np.ndarray, validation_months: Sequence[str]
) -> dict[str, Any]:
    """Fit on ``validation``, judge by the criterion, and give the raw and recalibrated figures of ``test`` (ECE,
    Brier, reliability globally and over the region's units) with the map itself."""
    fitted = Recalibrator.fit(validation.p_positive, validation.observed > 0)
    raw_ece = ece(validation.p_positive, validation.observed > 0)
    late_raw, late_mapped = held_out(validation)
    carries = late_raw is not None and late_mapped is not None and late_mapped <= (1 - HELD_OUT_GAIN) * late_raw
    after = recalibrated(test, fitted)
    in_region = np.isin(test.unit, region)
    return {
        "validation_origins": list(validation_months),
        "n_validation": int(len(validation.observed)),
        "criterion": f"validation ECE > {ECE_LIMIT} and a map fitted on its first two-thirds cuts the last third's"
        f" ECE by ≥ {HELD_OUT_GAIN:.0%}",
        "recalibrated": bool(raw_ece is not None and raw_ece > ECE_LIMIT and carries),
        "validation_ece": raw_ece,
        "held_out_ece": late_raw,
        "held_out_ece_recalibrated": late_mapped,
        "validation_ece_recalibrated": ece(fitted(validation.p_positive), validation.observed > 0),
        "test_ece": ece(test.p_positive, test.observed > 0),
        "test_ece_recalibrated": ece(after.p_positive, after.observed > 0),
        "test_brier": _brier(test),
        "test_brier_recalibrated": _brier(after),
        "map": [[float(x), float(y)] for x, y in zip(fitted.knots, fitted.values, strict=True)],
        "reliability": {"global": reliability(after), "region": reliability(after.take(in_region))},
    }
