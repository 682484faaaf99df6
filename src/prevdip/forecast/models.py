"""Learned forecasters with the scikit-learn contract: keyword-only ``__init__`` that only stores, ``fit`` returns
``self``, learned state ends in ``_``, distributions and probabilities out.

:class:`HurdleForecaster` is the one shape both learned models share — a hurdle, because country-months are
mostly zeros and the rest spans five orders of magnitude:

- a classifier for P(count > 0);
- optionally a second classifier trained only on *quiet* rows (no death in the 12 months up to the origin),
  because onsets behave unlike continuing wars and the main classifier learns almost only from the latter;
- a regressor for log1p(count) among positive rows — minus an offset column when given (the log of the last
  month's count), so trees predict a *change* and can follow a war to magnitudes they never saw in training —
  whose residual quantiles (widened by ``spread``, in-sample residuals being too narrow) give the positive part.

``hurdle_glm`` puts logistic and linear regressions in it (the count GLM), ``hurdle_boost`` gradient-boosted trees.
(A negative binomial GLM was tried first: its maximum-likelihood and IRLS fits diverge on these counts — a few
country-months of 10⁴ deaths among thousands of zeros — so the count model is the hurdle GLM instead.)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, clone

from prevdip.forecast.predictive import DEFAULT_DRAWS, Predictive, hurdle_points, quantile_levels


class HurdleForecaster(BaseEstimator):  # type: ignore[misc]
    """P(count > 0) × a log-scale distribution of the positive count, from any classifier and regressor."""

    def __init__(
        self,
        *,
        classifier: Any,
        regressor: Any,
        onset_classifier: Any = None,
        quiet_column: int | None = None,
        columns: tuple[int, ...] = (),
        onset_columns: tuple[int, ...] = (),
        offset_column: int | None = None,
        spread: float = 1.15,
        n_draws: int = DEFAULT_DRAWS,
    ) -> None:
        self.classifier = classifier
        self.regressor = regressor
        self.onset_classifier = onset_classifier
        self.quiet_column = quiet_column
        self.columns = columns
        self.onset_columns = onset_columns
        self.offset_column = offset_column
        self.spread = spread
        self.n_draws = n_draws

    def _main(self, X: np.ndarray) -> np.ndarray:
        return X[:, list(self.columns)] if self.columns else X

    def _onset(self, X: np.ndarray) -> np.ndarray:
        return X[:, list(self.onset_columns)] if self.onset_columns else X

    def _offset(self, X: np.ndarray) -> np.ndarray:
        """The log level the regressor predicts a change from (0 without an offset column)."""
        return X[:, self.offset_column] if self.offset_column is not None else np.zeros(len(X))

    def _quiet(self, X: np.ndarray) -> np.ndarray:
        if self.onset_classifier is None or self.quiet_column is None:
            return np.zeros(len(X), dtype=bool)
        return np.asarray(X[:, self.quiet_column] == 0)

    def fit(self, X: np.ndarray, y: np.ndarray) -> HurdleForecaster:
        if np.isnan(y).any():
            raise ValueError("targets must be known for every training row")
        positive = y > 0
        self.classifier_ = clone(self.classifier).fit(self._main(X), positive)
        quiet = self._quiet(X)
        self.onset_classifier_ = None
        if quiet.any() and positive[quiet].any() and not positive[quiet].all():
            self.onset_classifier_ = clone(self.onset_classifier).fit(self._onset(X[quiet]), positive[quiet])
        change = np.log1p(y[positive]) - self._offset(X[positive])
        self.regressor_ = clone(self.regressor).fit(self._main(X[positive]), change)
        residuals = change - self.regressor_.predict(self._main(X[positive]))
        self.residual_quantiles_ = np.quantile(residuals, quantile_levels(self.n_draws)) * self.spread
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        p = np.asarray(self.classifier_.predict_proba(self._main(X))[:, 1], dtype=np.float64)
        quiet = self._quiet(X)
        if self.onset_classifier_ is not None and quiet.any():
            p[quiet] = self.onset_classifier_.predict_proba(self._onset(X[quiet]))[:, 1]
        return np.column_stack([1 - p, p])

    def predict_distribution(self, X: np.ndarray) -> Predictive:
        p = self.predict_proba(X)[:, 1]
        centre = self._offset(X) + self.regressor_.predict(self._main(X))
        positive = np.expm1(np.clip(centre[:, None] + self.residual_quantiles_[None, :], 0, None))
        return hurdle_points(p, np.clip(positive, 1, None))
