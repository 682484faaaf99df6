"""Panel features per unit-month, each computed from that month and earlier ones only.

Conflict history in the VIEWS manner (lags, moving means, decay 2^(−t/24) of the time since the last month at
1/5/25/100 deaths), the neighbours' lags, months since the current episode's onset and the unit's whole-history
record. Because every feature at month t is a function of columns ≤ t, the feature table can be built once for
the whole panel and then sliced per origin; ``tests/forecast/test_leakage.py`` proves that changing data after an
origin changes no forecast.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

HALF_LIFE = 24.0  # months: VIEWS' decay_24
LONG_HALF_LIFE = 120.0  # months: a decade, for onsets in countries whose last violence is long past
DECAY_THRESHOLDS = (1, 5, 25, 100)
LAGS = 6
WINDOWS = (3, 6, 12, 24, 60)
QUIET_FOR_ONSET = 12  # months without a death before a death that counts as an onset
MIN_HISTORY = 24  # the first months of the series have too little history to learn from


def _trailing_mean(values: np.ndarray, window: int) -> np.ndarray:
    """Mean over the last ``window`` months up to and including each month (fewer at the series start)."""
    csum = np.cumsum(values, axis=1)
    shifted = np.zeros_like(csum)
    shifted[:, window:] = csum[:, :-window]
    count = np.minimum(np.arange(1, values.shape[1] + 1), window)
    return (csum - shifted) / count


def _months_since(mask: np.ndarray) -> np.ndarray:
    """Months since the last True at or before each month; +inf before the first."""
    n_units, n_months = mask.shape
    out = np.empty(mask.shape)
    last = np.full(n_units, -np.inf)
    for t in range(n_months):
        last = np.where(mask[:, t], t, last)
        out[:, t] = t - last
    return out


def decay(months_since: np.ndarray, half_life: float = HALF_LIFE) -> np.ndarray:
    """2^(−t/24): 1 in a month with the event, ½ two years later, 0 when there never was one."""
    return np.where(np.isinf(months_since), 0.0, np.exp2(-months_since / half_life))


def _onset_age(positive: np.ndarray) -> np.ndarray:
    """Months since the latest onset (a death after ≥ 12 quiet months), log1p; 0 if none yet."""
    quiet_before = np.zeros_like(positive, dtype=bool)
    recent = _trailing_mean(positive.astype(float), QUIET_FOR_ONSET)
    quiet_before[:, 1:] = recent[:, :-1] == 0
    quiet_before[:, :QUIET_FOR_ONSET] = False
    since = _months_since(positive & quiet_before)
    return np.where(np.isinf(since), 0.0, np.log1p(since))


def _over_neighbours(values: np.ndarray, neighbours: tuple[np.ndarray, ...], how: str) -> np.ndarray:
    """Per unit, the neighbours' ``sum`` or ``max`` month by month (0 for a unit without land neighbours)."""
    out = np.zeros_like(values)
    for i, around in enumerate(neighbours):
        if len(around):
            out[i] = getattr(values[around], how)(axis=0)
    return out


def panel_features(
    values: np.ndarray, neighbours: tuple[np.ndarray, ...], structural: dict[str, np.ndarray] | None = None
) -> tuple[np.ndarray, list[str]]:
    """Features as an (n_units, n_months, n_features) array and their names; ``structural`` adds unit-month
    covariates already lagged to what was published at each month (see :mod:`prevdip.forecast.structural`)."""
    y = np.clip(values, 0, None)
    logy = np.log1p(y)
    positive = y > 0
    columns: dict[str, np.ndarray] = {}
    for k in range(LAGS):
        lagged = np.zeros_like(logy)
        lagged[:, k:] = logy[:, : logy.shape[1] - k]
        columns[f"log_deaths_lag{k}"] = lagged
    for w in WINDOWS:
        columns[f"log_mean{w}"] = np.log1p(_trailing_mean(y, w))
    for w in (12, 24, 60, 120):
        columns[f"share_positive{w}"] = _trailing_mean(positive.astype(float), w)
    for threshold in DECAY_THRESHOLDS:
        columns[f"decay{threshold}"] = decay(_months_since(y >= threshold))
    columns["decay1_long"] = decay(_months_since(positive), LONG_HALF_LIFE)
    columns["log_mean120"] = np.log1p(_trailing_mean(y, 120))
    columns["log_months_positive"] = np.log1p(np.cumsum(positive, axis=1))
    columns["onset_age"] = _onset_age(positive)
    columns["log_max12"] = _rolling_max(logy, 12)
    columns["history_share_positive"] = np.cumsum(positive, axis=1) / np.arange(1, y.shape[1] + 1)
    columns["history_log_mean"] = np.cumsum(logy, axis=1) / np.arange(1, y.shape[1] + 1)
    columns["neighbours_log_deaths"] = np.log1p(_over_neighbours(y, neighbours, "sum"))
    columns["neighbours_log_mean12"] = np.log1p(_over_neighbours(_trailing_mean(y, 12), neighbours, "sum"))
    columns["neighbours_decay1"] = _over_neighbours(columns["decay1"], neighbours, "max")
    columns["neighbours_decay25"] = _over_neighbours(columns["decay25"], neighbours, "max")
    columns["n_neighbours"] = np.repeat(np.array([len(n) for n in neighbours], float)[:, None], y.shape[1], axis=1)
    columns.update(structural or {})
    names = list(columns)
    return np.stack([columns[n] for n in names], axis=2), names


def _rolling_max(values: np.ndarray, window: int) -> np.ndarray:
    out = np.empty_like(values)
    for t in range(values.shape[1]):
        out[:, t] = values[:, max(0, t - window + 1) : t + 1].max(axis=1)
    return out


def training_rows(n_units: int, first_month: int, last_month: int) -> pd.DataFrame:
    """The (unit, month) rows from ``first_month`` to ``last_month`` inclusive, month-major."""
    months = np.arange(first_month, last_month + 1)
    return pd.DataFrame(
        {"unit": np.tile(np.arange(n_units), len(months)), "month": np.repeat(months, n_units)},
    )
