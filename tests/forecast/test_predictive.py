"""The one forecast format: equally weighted draws, quantile points, hurdles and mixtures."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prevdip.forecast.predictive import Predictive, hurdle_points, mix, negative_binomial_points, poisson_points


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 5000), min_size=1, max_size=6), st.floats(0.01, 5))
def test_quantile_points_are_sorted_counts_with_the_right_zero_mass(means: list[float], alpha: float) -> None:
    mu = np.array(means)
    for forecast in (poisson_points(mu), negative_binomial_points(mu, np.full(len(mu), alpha))):
        assert (np.diff(forecast.draws, axis=1) >= 0).all()
        assert (np.mod(forecast.draws, 1) == 0).all()
        p = forecast.prob_positive()
        assert ((p >= 0) & (p <= 1)).all()
        # the share of positive quantile points agrees with P(>0) to within one point
        assert np.all(np.abs((forecast.draws > 0).mean(axis=1) - p) <= 1 / forecast.draws.shape[1] + 1e-9)


def test_poisson_points_centre_on_the_mean() -> None:
    forecast = poisson_points(np.array([0.0, 400.0]))
    assert (forecast.draws[0] == 0).all()
    assert forecast.mean()[1] == pytest.approx(400, rel=0.01)


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 1))
def test_hurdle_zero_mass_is_one_minus_p(p: float) -> None:
    positive = np.tile(np.linspace(1, 100, 100), (1, 1))
    forecast = hurdle_points(np.array([p]), positive)
    assert (forecast.draws > 0).mean() == pytest.approx(p, abs=0.011)
    assert forecast.prob_positive()[0] == pytest.approx(p)
    assert (np.diff(forecast.draws[0]) >= 0).all()


def test_mixture_of_a_forecast_with_itself_is_itself() -> None:
    a = poisson_points(np.array([3.0, 50.0]))
    mixed = mix([a, a], [0.5, 0.5])
    assert np.allclose(mixed.draws, a.draws)


def test_mixture_weights_shift_the_distribution() -> None:
    low = Predictive(np.zeros((1, 10)))
    high = Predictive(np.full((1, 10), 100.0))
    assert (mix([low, high], [0.25, 0.75]).draws > 0).mean() == pytest.approx(0.75)
    assert mix([low, high], [0.25, 0.75]).prob_positive()[0] == pytest.approx(0.75)


def test_bad_shapes_are_refused() -> None:
    with pytest.raises(ValueError, match="n_draws"):
        Predictive(np.zeros(3))
