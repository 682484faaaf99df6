"""Scores on hand-made cases whose answers are known."""

from __future__ import annotations

import numpy as np
import pytest

from prevdip.forecast.predictive import Predictive
from prevdip.forecast.scoring import concat, crps, crps_skill, score_origin, summary


def test_crps_of_a_perfect_point_forecast_is_zero_and_grows_with_error() -> None:
    observed = np.array([0.0, 10.0])
    assert crps(observed, Predictive(np.array([[0.0], [10.0]]))) == pytest.approx([0.0, 0.0])
    assert crps(observed, Predictive(np.array([[5.0], [10.0]])))[0] == pytest.approx(5.0)


def test_onset_and_quiet_follow_the_issue_definition() -> None:
    # unit 0 quiet for 12 months then a death at origin+2; unit 1 had a death at the origin itself
    values = np.zeros((2, 20))
    values[0, 15] = 3
    values[1, 13] = 1
    scored = score_origin(values, 13, 3, Predictive(np.zeros((2, 1))))
    assert scored.quiet.tolist() == [True, False]
    assert scored.onset.tolist() == [True, False]
    assert summary(concat([scored]))["n_onsets"] == 1


def test_coverage_counts_observations_inside_the_central_interval() -> None:
    values = np.zeros((2, 14))
    values[:, 13] = [5, 500]
    draws = np.tile(np.arange(0, 101, dtype=float), (2, 1))
    scored = score_origin(values, 12, 1, Predictive(draws))
    assert scored.in90.tolist() == [True, False]
    assert scored.in50.tolist() == [False, False]


def test_skill_is_zero_against_itself_and_positive_for_a_better_model() -> None:
    rng = np.random.default_rng(0)
    values = rng.integers(0, 50, size=(20, 40)).astype(float)
    origins = range(15, 30)
    noisy = concat([score_origin(values, o, 1, Predictive(values[:, o - 11 : o + 1])) for o in origins])
    exact = concat([score_origin(values, o, 1, Predictive(values[:, [o + 1]])) for o in origins])
    assert crps_skill(noisy, noisy)["crps_skill"] == 0
    better = crps_skill(exact, noisy)
    assert better["crps_skill"] == pytest.approx(1.0)
    assert better["ci_low"] <= better["crps_skill"] <= better["ci_high"]
    with pytest.raises(ValueError, match="same unit-origins"):
        crps_skill(exact, concat([score_origin(values, 16, 1, Predictive(values[:, [17]]))]))
