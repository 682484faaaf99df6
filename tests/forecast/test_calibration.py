"""Calibration records: reliability bins, the non-randomised PIT histogram (Czado, Gneiting & Held 2009)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from prevdip.forecast.calibration import calibration, pit_histogram, reliability
from prevdip.forecast.predictive import Predictive
from prevdip.forecast.scoring import concat, score_origin


def test_reliability_bins_compare_the_forecast_with_what_happened() -> None:
    values = np.zeros((4, 14))
    values[:2, 13] = 5  # units 0 and 1 have a death in the month scored
    draws = np.array([[0.0] * 10, [0.0] * 9 + [3.0], [0.0] * 10, [0.0] * 9 + [3.0]])
    p = np.array([0.95, 0.15, 0.05, 0.15])
    scored = score_origin(values, 12, 1, Predictive(draws, p))
    bins = reliability(scored)
    assert [b["n"] for b in bins] == [1, 2, 0, 0, 0, 0, 0, 0, 0, 1]
    assert bins[1]["forecast"] == pytest.approx(0.15) and bins[1]["observed"] == 0.5
    assert bins[9]["observed"] == 1.0 and bins[2]["forecast"] is None


def test_a_calibrated_count_forecast_has_a_flat_pit_histogram() -> None:
    rng = np.random.default_rng(1)
    observed = rng.poisson(3.0, size=(2000, 1)).astype(float)
    values = np.concatenate([np.zeros((2000, 13)), observed], axis=1)
    draws = stats.poisson.ppf((np.arange(400) + 0.5) / 400, 3.0)[None, :].repeat(2000, axis=0)
    histogram = pit_histogram(score_origin(values, 12, 1, Predictive(draws)))
    assert sum(histogram) == pytest.approx(1.0)
    assert max(histogram) - min(histogram) < 0.03  # flat within sampling noise
    too_sure = pit_histogram(score_origin(values, 12, 1, Predictive(np.full((2000, 1), 3.0))))
    assert too_sure[0] + too_sure[-1] > 0.5  # a point forecast: the PIT piles up at the ends


def test_a_zero_under_a_zero_mass_spreads_over_that_mass() -> None:
    values = np.zeros((1, 14))
    draws = np.array([[0.0] * 7 + [1.0, 2.0, 3.0]])  # 70 % at zero
    shares = pit_histogram(score_origin(values, 12, 1, Predictive(draws)))
    assert shares[:7] == pytest.approx([1 / 7] * 7) and shares[7:] == [0.0, 0.0, 0.0]


def test_calibration_is_given_globally_and_for_the_region() -> None:
    values = np.zeros((3, 15))
    values[0, 13:] = 1
    parts = [score_origin(values, o, 1, Predictive(np.ones((3, 2)))) for o in (12, 13)]
    record = calibration(concat(parts), region_units=np.array([0]))
    assert record["global"]["n"] == 6 and record["region"]["n"] == 2
    assert record["region"]["coverage90"] == 1.0 and record["global"]["coverage90"] == pytest.approx(2 / 6)
