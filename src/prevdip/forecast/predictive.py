"""One format for every forecast: equally weighted draws per unit.

A predictive distribution is an ``(n_units, n_draws)`` array of equally weighted values. Empirical baselines give
their observations as draws (conflictology12: the 12 last months); parametric ones give *quantile points* — the
distribution's quantiles at levels (k + ½)/m — which is a deterministic, low-variance way to sample: the same input
always gives the same forecast, so frozen vintages hash reproducibly. ``p_positive`` carries P(count > 0) when a
model knows it better than the share of positive draws (a classifier's probability, a parametric zero mass).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

DEFAULT_DRAWS = 100


def quantile_levels(n_draws: int = DEFAULT_DRAWS) -> np.ndarray:
    """The levels (k + ½)/m, k = 0..m−1: the midpoints of m equal probability slices."""
    return (np.arange(n_draws) + 0.5) / n_draws


@dataclass(frozen=True)
class Predictive:
    """Draws per unit; everything the scores need is derived from them (and ``p_positive`` when given)."""

    draws: np.ndarray  # float64, (n_units, n_draws), equally weighted
    p_positive: np.ndarray | None = None  # (n_units,), P(count > 0); default: the share of positive draws

    def __post_init__(self) -> None:
        if self.draws.ndim != 2 or self.draws.shape[1] == 0:
            raise ValueError(f"draws must be (n_units, n_draws) with n_draws ≥ 1, got {self.draws.shape}")

    @property
    def n_units(self) -> int:
        return int(self.draws.shape[0])

    def prob_positive(self) -> np.ndarray:
        if self.p_positive is not None:
            return self.p_positive
        return (self.draws > 0).mean(axis=1)

    def quantile(self, level: float) -> np.ndarray:
        return np.quantile(self.draws, level, axis=1)

    def mean(self) -> np.ndarray:
        return self.draws.mean(axis=1)

    def msle_point(self) -> np.ndarray:
        """The point that minimises expected squared log error under this distribution: expm1(E[log1p Y])."""
        return np.expm1(np.log1p(np.clip(self.draws, 0, None)).mean(axis=1))

    def take(self, rows: np.ndarray) -> Predictive:
        p = None if self.p_positive is None else self.p_positive[rows]
        return Predictive(self.draws[rows], p)


def poisson_points(mean: np.ndarray, n_draws: int = DEFAULT_DRAWS) -> Predictive:
    """Quantile points of Poisson(mean) per unit (mean 0 gives all zeros)."""
    mu = np.clip(np.asarray(mean, dtype=np.float64), 0, None)
    draws = stats.poisson.ppf(quantile_levels(n_draws)[None, :], mu[:, None])
    return Predictive(np.nan_to_num(draws), 1 - np.exp(-mu))


def negative_binomial_points(mean: np.ndarray, dispersion: np.ndarray, n_draws: int = DEFAULT_DRAWS) -> Predictive:
    """Quantile points of NB2 with the given mean and dispersion α (variance μ + αμ²); α → 0 is Poisson."""
    mu = np.clip(np.asarray(mean, dtype=np.float64), 0, None)
    alpha = np.clip(np.asarray(dispersion, dtype=np.float64), 1e-8, None)
    size = 1.0 / alpha
    prob = size / (size + mu)
    draws = stats.nbinom.ppf(quantile_levels(n_draws)[None, :], size[:, None], prob[:, None])
    draws = np.where(mu[:, None] > 0, np.nan_to_num(draws), 0.0)
    return Predictive(draws, np.where(mu > 0, 1 - prob**size, 0.0))


def hurdle_points(p_positive: np.ndarray, positive_quantiles: np.ndarray) -> Predictive:
    """Mix a zero mass 1 − p with a positive part given by its quantile function on a grid of levels.

    ``positive_quantiles`` is (n_units, n_levels), the positive part's quantiles at ``quantile_levels(n_levels)``.
    The mixture's quantile at level τ is 0 when τ ≤ 1 − p, else the positive part's at (τ − (1 − p))/p.
    """
    p = np.clip(p_positive, 0.0, 1.0)
    n_levels = positive_quantiles.shape[1]
    tau = quantile_levels(n_levels)[None, :]
    inner = (tau - (1 - p[:, None])) / np.maximum(p[:, None], 1e-12)
    grid = quantile_levels(n_levels)
    draws = np.zeros_like(positive_quantiles)
    for i in range(positive_quantiles.shape[0]):
        positive = inner[i] > 0
        if positive.any():
            draws[i, positive] = np.interp(inner[i, positive], grid, positive_quantiles[i])
    return Predictive(np.clip(draws, 0, None), p)


def mix(parts: list[Predictive], weights: list[float], n_draws: int = DEFAULT_DRAWS) -> Predictive:
    """A weighted mixture, returned as quantile points of the pooled draws (for an ensemble)."""
    pooled = np.concatenate([p.draws for p in parts], axis=1)
    w = np.concatenate([np.full(p.draws.shape[1], wt / p.draws.shape[1]) for p, wt in zip(parts, weights, strict=True)])
    order = np.argsort(pooled, axis=1)
    values = np.take_along_axis(pooled, order, axis=1)
    cum = np.cumsum(w[order], axis=1) / w.sum()
    levels = quantile_levels(n_draws)
    idx = np.array([np.searchsorted(row, levels) for row in cum])
    draws = np.take_along_axis(values, np.clip(idx, 0, values.shape[1] - 1), axis=1)
    p = sum(wt * part.prob_positive() for part, wt in zip(parts, weights, strict=True)) / sum(weights)
    return Predictive(draws, np.asarray(p))
