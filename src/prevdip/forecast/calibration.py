"""Whether the forecasts mean what they say: reliability of P(any death), PIT histogram and interval coverage.

- **Reliability** — unit-origins binned by the forecast probability (tenths); in each bin the mean forecast beside
  the share that had the event. On the stage target the event is "crisis or worse", so the same diagram is the
  reliability of P(crisis or worse).
- **PIT** — for counts, the non-randomised PIT histogram of Czado, Gneiting & Held (2009): each observation y
  spreads a unit of mass uniformly over [F(y − 1), F(y)] of its forecast's CDF, so a zero observed under a
  forecast with 70 % mass at zero fills [0, 0.7] evenly instead of a random point in it. A calibrated forecast gives
  a flat histogram; a ∪ shape is over-confident, a ∩ shape too wide.
- **Coverage** of the central 50 % and 90 % intervals.

Each is given over every scored unit and over the region's units (the five states and Afghanistan, their border
dyads, their provinces), because a global calibration can hide a regional one.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from prevdip.forecast.scoring import Scored

BINS = 10


def reliability(s: Scored, bins: int = BINS) -> list[dict[str, Any]]:
    """Per probability bin: its range, the unit-origins in it, their mean forecast and the observed frequency."""
    event = s.observed > 0
    which = np.minimum((s.p_positive * bins).astype(int), bins - 1)
    out = []
    for k in range(bins):
        inside = which == k
        n = int(inside.sum())
        out.append(
            {
                "low": k / bins,
                "high": (k + 1) / bins,
                "n": n,
                "forecast": float(s.p_positive[inside].mean()) if n else None,
                "observed": float(event[inside].mean()) if n else None,
            }
        )
    return out


def pit_histogram(s: Scored, bins: int = BINS) -> list[float]:
    """The share of PIT mass in each of ``bins`` equal bins of [0, 1] (sums to 1)."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    low, high = s.cdf_below[:, None], s.cdf_at[:, None]
    width = high - low
    overlap = np.clip(np.minimum(high, edges[None, 1:]) - np.maximum(low, edges[None, :-1]), 0.0, None)
    point = width[:, 0] <= 1e-12  # a forecast without mass at y: all PIT mass at one point
    share = np.where(point[:, None], 0.0, overlap / np.maximum(width, 1e-12))
    at = np.minimum((low[point, 0] * bins).astype(int), bins - 1)
    np.add.at(share, (np.flatnonzero(point), at), 1.0)
    return [float(v) for v in share.sum(axis=0) / max(len(s.observed), 1)]


def calibration_record(s: Scored) -> dict[str, Any]:
    """Reliability, PIT histogram and coverage of one set of scored unit-origins."""
    return {
        "n": int(len(s.observed)),
        "reliability": reliability(s),
        "pit": pit_histogram(s),
        "coverage50": float(s.in50.mean()) if len(s.observed) else None,
        "coverage90": float(s.in90.mean()) if len(s.observed) else None,
    }


def calibration(s: Scored, region_units: np.ndarray) -> dict[str, Any]:
    """The record globally and over the region's units (indices into the panel's units)."""
    in_region = np.isin(s.unit, region_units)
    return {"global": calibration_record(s), "region": calibration_record(s.take(in_region))}
