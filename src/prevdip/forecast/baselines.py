"""The field's baselines, each a function of the history up to the origin (nothing later can reach it).

They follow the VIEWS 2023/24 challenge benchmarks (``benchmark.py`` of prio-data/prediction_competition_2023)
and the VIEWS baseline catalogue, in prevdip's one format (:class:`~prevdip.forecast.predictive.Predictive`):

- ``zero``: exactly zero.
- ``last``: Poisson around the last observed value.
- ``conflictology12``: the unit's own last 12 months as equally weighted draws — the one to beat.
- ``conflictology_neighbours``: the last 12 months of the unit *and* its land neighbours, pooled.
- ``average60``: Poisson around the mean of the last 60 months (VIEWS' "average" point baseline as a distribution).
- ``nb_climatology``: a negative binomial fitted by moments to the unit's last 36 months.
- ``bootstrap``: the pooled values of every unit over the last 240 months (VIEWS ``boot_240``).
- ``decay``: P(any death) = 2^(−months since the last death / 24), the decay-of-history feature of VIEWS read as a
  probability — the baseline the onset bar is set against (issue 15); its positive part is the unit's last
  positive count, so its CRPS is scored too, but it exists for its ranking of quiet units.

A baseline ignores the horizon: what it knows at the origin is all it says about any later month.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from prevdip.forecast.predictive import (
    DEFAULT_DRAWS,
    Predictive,
    hurdle_points,
    negative_binomial_points,
    poisson_points,
    quantile_levels,
)

Baseline = Callable[[np.ndarray, tuple[np.ndarray, ...]], Predictive]


def zero(history: np.ndarray, neighbours: tuple[np.ndarray, ...]) -> Predictive:
    return Predictive(np.zeros((history.shape[0], 1)))


def last(history: np.ndarray, neighbours: tuple[np.ndarray, ...]) -> Predictive:
    return poisson_points(history[:, -1])


def conflictology12(history: np.ndarray, neighbours: tuple[np.ndarray, ...]) -> Predictive:
    return Predictive(history[:, -12:].copy())


def conflictology_neighbours(history: np.ndarray, neighbours: tuple[np.ndarray, ...]) -> Predictive:
    recent = history[:, -12:]
    draws = np.empty((history.shape[0], DEFAULT_DRAWS))
    for i, around in enumerate(neighbours):
        pooled = np.concatenate([recent[i], recent[around].ravel()])
        draws[i] = np.quantile(pooled, quantile_levels(DEFAULT_DRAWS), method="inverted_cdf")
    return Predictive(draws)


def average60(history: np.ndarray, neighbours: tuple[np.ndarray, ...]) -> Predictive:
    return poisson_points(history[:, -60:].mean(axis=1))


def nb_climatology(history: np.ndarray, neighbours: tuple[np.ndarray, ...]) -> Predictive:
    """Method of moments on 36 months: α = (s² − m)/m², floored near Poisson when the data are underdispersed."""
    window = history[:, -36:]
    mean = window.mean(axis=1)
    var = window.var(axis=1, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(mean > 0, (var - mean) / mean**2, 1.0)
    return negative_binomial_points(mean, np.clip(np.nan_to_num(alpha, nan=1.0), 1e-6, None))


def bootstrap(history: np.ndarray, neighbours: tuple[np.ndarray, ...]) -> Predictive:
    pooled = history[:, -240:].ravel()
    points = np.quantile(pooled, quantile_levels(DEFAULT_DRAWS), method="inverted_cdf")
    return Predictive(np.tile(points, (history.shape[0], 1)))


DECAY_HALF_LIFE = 24.0  # months: VIEWS' decay_24


def decay(history: np.ndarray, neighbours: tuple[np.ndarray, ...]) -> Predictive:
    """2^(−t/24) with t the months since the last death (0 when there never was one), over the last positive count."""
    positive = history > 0
    ever = positive.any(axis=1)
    last = history.shape[1] - 1 - np.argmax(positive[:, ::-1], axis=1)  # column of the last death
    since = np.where(ever, history.shape[1] - 1 - last, np.inf)
    p = np.where(ever, np.exp2(-since / DECAY_HALF_LIFE), 0.0)
    size = np.where(ever, history[np.arange(history.shape[0]), last], 1.0)
    return hurdle_points(p, np.repeat(size[:, None], DEFAULT_DRAWS, axis=1))


BASELINES: dict[str, Baseline] = {
    "zero": zero,
    "last": last,
    "conflictology12": conflictology12,
    "conflictology_neighbours": conflictology_neighbours,
    "average60": average60,
    "nb_climatology": nb_climatology,
    "bootstrap": bootstrap,
    "decay": decay,
}
