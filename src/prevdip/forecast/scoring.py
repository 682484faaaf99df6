"""Scores of predictive distributions against what happened, and the bootstrap of a CRPS difference.

CRPS (primary) with scoringrules' ensemble estimator on the draws; Brier, AUROC and average precision for
P(any fatality); onset AUROC and average precision for units quiet in the 12 months up to the origin (event: any
fatality within the next h months), and the onset AUROC over those of them with a death at some time before the
origin (the score that does not lean on never-violent states); coverage of the central 50 % and 90 % intervals;
MSLE of the MSLE-optimal point. No one score is safe to select on — MSLE in particular rewards forecasting zero —
so all are reported together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scoringrules as sr
from sklearn.metrics import average_precision_score, roc_auc_score

from prevdip.forecast.predictive import Predictive

QUIET_MONTHS = 12


@dataclass(frozen=True)
class Scored:
    """Per unit-origin pieces of the scores, kept so scores can be pooled, split and bootstrapped."""

    origin: np.ndarray  # origin month index per row
    unit: np.ndarray
    observed: np.ndarray
    crps: np.ndarray
    p_positive: np.ndarray
    in50: np.ndarray
    in90: np.ndarray
    log_error: np.ndarray  # log1p(point) − log1p(observed)
    quiet: np.ndarray  # no fatality in the 12 months up to the origin
    onset: np.ndarray  # any fatality in origin+1 .. origin+h
    history: np.ndarray  # any fatality at some time up to the origin
    cdf_below: np.ndarray  # the forecast's P(Y < observed), for the PIT
    cdf_at: np.ndarray  # the forecast's P(Y ≤ observed)

    def take(self, rows: np.ndarray) -> Scored:
        """The rows selected by a boolean mask or indices (e.g. the unit-months in the universe, a region)."""
        return Scored(**{f: getattr(self, f)[rows] for f in Scored.__dataclass_fields__})


def crps(observed: np.ndarray, forecast: Predictive) -> np.ndarray:
    return np.asarray(sr.crps_ensemble(observed, forecast.draws), dtype=np.float64)


def _covered(observed: np.ndarray, forecast: Predictive, width: float) -> np.ndarray:
    low = forecast.quantile((1 - width) / 2)
    high = forecast.quantile((1 + width) / 2)
    return (observed >= low) & (observed <= high)


def score_origin(values: np.ndarray, origin: int, horizon: int, forecast: Predictive) -> Scored:
    """Score one origin's forecast for month origin + horizon."""
    observed = values[:, origin + horizon]
    n = len(observed)
    quiet = np.asarray(~(values[:, origin - QUIET_MONTHS + 1 : origin + 1] > 0).any(axis=1))
    onset = np.asarray((values[:, origin + 1 : origin + horizon + 1] > 0).any(axis=1))
    return Scored(
        origin=np.full(n, origin),
        unit=np.arange(n),
        observed=observed,
        crps=crps(observed, forecast),
        p_positive=forecast.prob_positive(),
        in50=_covered(observed, forecast, 0.5),
        in90=_covered(observed, forecast, 0.9),
        log_error=np.log1p(forecast.msle_point()) - np.log1p(observed),
        quiet=quiet,
        onset=onset,
        history=np.asarray((values[:, : origin + 1] > 0).any(axis=1)),
        cdf_below=(forecast.draws < observed[:, None]).mean(axis=1),
        cdf_at=(forecast.draws <= observed[:, None]).mean(axis=1),
    )


def concat(parts: list[Scored]) -> Scored:
    return Scored(**{f: np.concatenate([getattr(p, f) for p in parts]) for f in Scored.__dataclass_fields__})


def _auc(events: np.ndarray, scores: np.ndarray) -> float | None:
    if events.all() or not events.any():
        return None
    return float(roc_auc_score(events, scores))


def _ap(events: np.ndarray, scores: np.ndarray) -> float | None:
    return float(average_precision_score(events, scores)) if events.any() else None


def summary(s: Scored) -> dict[str, float | None]:
    """The backtest's score record for one model and horizon."""
    event = s.observed > 0
    veteran = s.quiet & s.history
    return {
        "crps": float(s.crps.mean()),
        "brier": float(((s.p_positive - event) ** 2).mean()),
        "auroc": _auc(event, s.p_positive),
        "onset_auroc": _auc(s.onset[s.quiet], s.p_positive[s.quiet]),
        "onset_ap": _ap(s.onset[s.quiet], s.p_positive[s.quiet]),
        "onset_auroc_history": _auc(s.onset[veteran], s.p_positive[veteran]),
        "ap": _ap(event, s.p_positive),
        "coverage50": float(s.in50.mean()),
        "coverage90": float(s.in90.mean()),
        "msle": float((s.log_error**2).mean()),
        "n": int(len(s.observed)),
        "n_onsets": int(s.onset[s.quiet].sum()),
    }


def crps_skill(model: Scored, reference: Scored, *, n_boot: int = 1000, seed: int = 0) -> dict[str, float]:
    """Skill 1 − CRPS_model/CRPS_reference with a 90 % CI from resampling whole origins (blocks), not rows."""
    if not (np.array_equal(model.origin, reference.origin) and np.array_equal(model.unit, reference.unit)):
        raise ValueError("model and reference must be scored on the same unit-origins")
    origins, block = np.unique(model.origin, return_inverse=True)
    m_sum = np.bincount(block, weights=model.crps, minlength=len(origins))
    r_sum = np.bincount(block, weights=reference.crps, minlength=len(origins))
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(origins), size=(n_boot, len(origins)))
    boot = 1 - m_sum[picks].sum(axis=1) / np.maximum(r_sum[picks].sum(axis=1), 1e-12)
    return {
        "crps_skill": float(1 - m_sum.sum() / r_sum.sum()),
        "ci_low": float(np.quantile(boot, 0.05)),
        "ci_high": float(np.quantile(boot, 0.95)),
    }
