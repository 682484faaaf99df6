"""Every baseline and model behind one call: ``forecast(panel, origins, horizon) -> {origin: Predictive}``.

Baselines read ``panel.history(origin)`` only. Learned models are fitted per block of origins by
:class:`~prevdip.forecast.split.PanelTimeSplit` (yearly refits on calendar years, an expanding window, a gap of one
horizon) on features built from data up to each row's month. The ensemble mixes the draws of other forecasters,
computed once through a shared cache.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import SplineTransformer, StandardScaler
from threadpoolctl import threadpool_limits

from prevdip.forecast.baselines import BASELINES, Baseline
from prevdip.forecast.features import MIN_HISTORY, panel_features, training_rows
from prevdip.forecast.models import HurdleForecaster
from prevdip.forecast.predictive import Predictive, mix
from prevdip.forecast.split import PanelTimeSplit
from prevdip.forecast.structural import read_structural
from prevdip.forecast.target import TargetPanel

REFIT_EVERY = 12  # months: refit once a year, on January origins
# The boosted hurdle's share of the ensemble, chosen on the validation origins 2012-01..2017-12 (0.3 beat 0.4, 0.5,
# 0.6 and a three-way mix at h = 1, 3, 6), before looking at the 2018-2025 backtest; see docs/backtest.md.
ENSEMBLE_WEIGHT = 0.3
ONSET_FEATURES = (
    "decay1",
    "decay5",
    "decay25",
    "neighbours_decay1",
    "history_share_positive",
    "share_positive60",
    "log_population",
    "log_infant_mortality",
    "decay1_long",
)
GLM_FEATURES = (
    "log_deaths_lag0",
    "log_deaths_lag1",
    "log_mean3",
    "log_mean12",
    "log_mean60",
    "log_max12",
    "share_positive12",
    "decay1",
    "decay25",
    "neighbours_log_mean12",
    "neighbours_decay1",
)
TREES = {"max_iter": 200, "learning_rate": 0.05, "max_leaf_nodes": 15, "min_samples_leaf": 40, "random_state": 0}

Forecasts = dict[int, Predictive]
Cache = dict[tuple[str, int], Forecasts]


class Forecaster(Protocol):
    @property
    def name(self) -> str: ...

    def forecast(self, panel: TargetPanel, origins: Sequence[int], horizon: int, cache: Cache) -> Forecasts: ...


@dataclass(frozen=True)
class BaselineForecaster:
    name: str
    rule: Baseline

    def forecast(self, panel: TargetPanel, origins: Sequence[int], horizon: int, cache: Cache) -> Forecasts:
        return {o: self.rule(panel.history(o), panel.neighbours) for o in origins}


@dataclass(frozen=True)
class LearnedForecaster:
    """A scikit-learn-contract estimator fitted on panel features, refitted yearly."""

    name: str
    make: Callable[[list[str]], Any]  # feature names → unfitted estimator with fit / predict_distribution
    bundle: Path | None = None  # where the structural covariates come from (None: history features only)

    def features(self, panel: TargetPanel) -> tuple[np.ndarray, list[str]]:
        extra = dict(panel.covariates)
        if self.bundle is not None:
            extra.update(read_structural(self.bundle, panel.units, panel.months))
        return panel_features(panel.values, panel.neighbours, extra)

    def _design(self, panel: TargetPanel, last_origin: int, horizon: int) -> tuple[Any, ...]:
        """Features per unit-month, the training rows up to ``last_origin`` with their targets (NaN where not yet
        observed), and which rows a model may learn from (a state learns nothing from months before it existed)."""
        features, names = self.features(panel)
        rows = training_rows(panel.n_units, MIN_HISTORY, last_origin)
        unit, month = rows["unit"].to_numpy(), rows["month"].to_numpy()
        target_month = month + horizon
        y = np.full(len(rows), np.nan)
        known = target_month < panel.values.shape[1]
        y[known] = panel.values[unit[known], target_month[known]]
        return features, names, rows, features[unit, month], y, panel.in_universe()[unit, month]

    def _fit(self, names: list[str], X: np.ndarray, y: np.ndarray) -> Any:
        # One OpenMP thread: boosted trees on ~40k rows gain little from more, and on a shared or
        # oversubscribed machine (pytest -n 2, other jobs) spinning OpenMP threads slow a fit 5-50×.
        with threadpool_limits(limits=1, user_api="openmp"):
            return self.make(names).fit(X, y)

    def forecast(self, panel: TargetPanel, origins: Sequence[int], horizon: int, cache: Cache) -> Forecasts:
        if min(origins) < MIN_HISTORY + horizon:
            raise ValueError(f"origins must leave {MIN_HISTORY + horizon} months of history to learn from")
        _, names, rows, X, y, learnable = self._design(panel, max(origins), horizon)
        month = rows["month"].to_numpy()
        out: Forecasts = {}
        split = PanelTimeSplit(origins=origins, horizon=horizon, refit_every=REFIT_EVERY)
        for train, test in split.split(rows):
            estimator = self._fit(names, X[train[learnable[train]]], y[train[learnable[train]]])
            predicted = estimator.predict_distribution(X[test])
            for origin in np.unique(month[test]):
                out[int(origin)] = predicted.take(np.flatnonzero(month[test] == origin))
        return out

    def fitted(self, panel: TargetPanel, origin: int, horizon: int) -> tuple[Any, np.ndarray, list[str]]:
        """The estimator a forecast issued at ``origin`` uses (trained on every target known then), with the
        feature array (n_units, n_months, n_features) and the features' names — for explaining a forecast."""
        features, names, rows, X, y, learnable = self._design(panel, origin, horizon)
        train = learnable & (rows["month"].to_numpy() <= origin - horizon)
        return self._fit(names, X[train], y[train]), features, names


@dataclass(frozen=True)
class EnsembleForecaster:
    """A weighted mixture of other forecasters' draws (the forecasters are resolved by name)."""

    name: str
    parts: tuple[tuple[str, float], ...]
    registry: dict[str, Forecaster] = field(repr=False, compare=False, hash=False, default_factory=dict)

    def forecast(self, panel: TargetPanel, origins: Sequence[int], horizon: int, cache: Cache) -> Forecasts:
        computed = [cached(self.registry[name], panel, origins, horizon, cache) for name, _ in self.parts]
        weights = [w for _, w in self.parts]
        return {o: mix([c[o] for c in computed], weights) for o in origins}


def cached(forecaster: Forecaster, panel: TargetPanel, origins: Sequence[int], horizon: int, cache: Cache) -> Forecasts:
    key = (forecaster.name, horizon)
    have = cache.get(key, {})
    missing = [o for o in origins if o not in have]
    if missing:
        have = {**have, **forecaster.forecast(panel, missing, horizon, cache)}
        cache[key] = have
    return {o: have[o] for o in origins}


def _logistic() -> Any:
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


def _onset_logistic() -> Any:
    """Logistic regression on quadratic splines: onset risk is not log-linear in decay or population (onset
    AUROC 0.740 → 0.752 at h = 1 in the 2018–2025 backtest; see docs/backtest.md)."""
    return make_pipeline(StandardScaler(), SplineTransformer(n_knots=4, degree=2), LogisticRegression(max_iter=2000))


def _columns(names: list[str], wanted: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(names.index(c) for c in wanted if c in names)


def _hurdle_boost(names: list[str]) -> HurdleForecaster:
    return HurdleForecaster(
        classifier=HistGradientBoostingClassifier(**TREES),
        regressor=HistGradientBoostingRegressor(**TREES),
        onset_classifier=_onset_logistic(),
        quiet_column=names.index("share_positive12"),
        onset_columns=_columns(names, ONSET_FEATURES),
        offset_column=names.index("log_deaths_lag0"),
    )


def _hurdle_glm(names: list[str]) -> HurdleForecaster:
    return HurdleForecaster(
        classifier=_logistic(),
        regressor=make_pipeline(StandardScaler(), LinearRegression()),
        columns=_columns(names, GLM_FEATURES),
    )


MODEL_NAMES = ("hurdle_glm", "hurdle_boost", "ensemble")
BEST_MODEL = "ensemble"


def registry(bundle: Path | None) -> dict[str, Forecaster]:
    """Baselines and models by name; ``bundle`` supplies the structural covariates of the learned models."""
    forecasters: dict[str, Forecaster] = {name: BaselineForecaster(name, rule) for name, rule in BASELINES.items()}
    forecasters["hurdle_glm"] = LearnedForecaster("hurdle_glm", _hurdle_glm)
    forecasters["hurdle_boost"] = LearnedForecaster("hurdle_boost", _hurdle_boost, bundle)
    forecasters["ensemble"] = EnsembleForecaster(
        "ensemble", (("hurdle_boost", ENSEMBLE_WEIGHT), ("conflictology12", 1 - ENSEMBLE_WEIGHT)), forecasters
    )
    return forecasters
