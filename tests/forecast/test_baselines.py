"""The baselines reproduce the reference numbers of issue 4 on the bundle's series (origins 2018-01..2025-06).

Convention: the origin is the last observed month and horizon h scores month origin + h. With it the bundle gives
conflictology12 CRPS 25.73 / 30.12 / 35.47 and zero 65.43 / 66.69 / 69.29 — about 0.8 % above the issue's
25.5 / 29.9 / 35.2 and 64.9 / 66.2 / 68.8. Taking the origin as the first forecast month instead gives 0.6–0.8 %
*below* them (25.34 / 29.73 / 35.03); the reference sits between the two alignments, so we assert within 2 %.
The onset counts (104 at h = 1, 565 at h = 6) match the issue's "about 100" and "565" exactly with our convention.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from prevdip.forecast import BASELINES, TargetPanel
from prevdip.forecast.features import decay, panel_features
from prevdip.forecast.scoring import concat, score_origin, summary

REFERENCE = {
    "conflictology12": {1: 25.5, 3: 29.9, 6: 35.2},
    "zero": {1: 64.9, 3: 66.2, 6: 68.8},
}
ONSET_DECAY = {1: 0.72, 3: 0.70, 6: 0.69}


def _origins(panel: TargetPanel) -> list[int]:
    return list(range(panel.month_index("2018-01"), panel.month_index("2025-06") + 1))


@pytest.mark.parametrize("name", ["conflictology12", "zero"])
def test_crps_matches_the_reference_within_two_percent(series: TargetPanel, name: str) -> None:
    panel = series  # issue 4's reference numbers were measured on the series' 133 columns
    for h, expected in REFERENCE[name].items():
        scored = concat(
            [
                score_origin(panel.values, o, h, BASELINES[name](panel.history(o), panel.neighbours))
                for o in _origins(panel)
            ]
        )
        assert summary(scored)["crps"] == pytest.approx(expected, rel=0.02)


def test_conflictology12_auroc_at_horizon_1(series: TargetPanel) -> None:
    panel = series
    scored = concat(
        [
            score_origin(panel.values, o, 1, BASELINES["conflictology12"](panel.history(o), panel.neighbours))
            for o in _origins(panel)
        ]
    )
    s = summary(scored)
    assert s["auroc"] == pytest.approx(0.966, abs=0.005)
    assert s["onset_auroc"] == 0.5  # no fatality in 12 months: every quiet unit gets the same zero


def test_decay_of_history_onset_auroc(series: TargetPanel) -> None:
    panel = series
    features, names = panel_features(panel.values, panel.neighbours)
    score = features[:, :, names.index("decay1")]
    for h, expected in ONSET_DECAY.items():
        events, scores = [], []
        for o in _origins(panel):
            quiet = ~(panel.values[:, o - 11 : o + 1] > 0).any(axis=1)
            onset = (panel.values[:, o + 1 : o + h + 1] > 0).any(axis=1)
            events.append(onset[quiet])
            scores.append(score[quiet, o])
        auc = roc_auc_score(np.concatenate(events), np.concatenate(scores))
        assert auc == pytest.approx(expected, abs=0.02)
    assert int(np.concatenate(events).sum()) == 565  # h = 6, as in the issue


def test_every_baseline_gives_draws_for_every_unit(panel: TargetPanel) -> None:
    history = panel.history(panel.month_index("2022-09"))
    for name, rule in BASELINES.items():
        forecast = rule(history, panel.neighbours)
        assert forecast.draws.shape[0] == panel.n_units, name
        assert (forecast.draws >= 0).all() and np.isfinite(forecast.draws).all(), name
        p = forecast.prob_positive()
        assert ((p >= 0) & (p <= 1)).all(), name


def test_baselines_say_what_they_promise(panel: TargetPanel) -> None:
    history = panel.history(panel.month_index("2022-09"))
    tjk = panel.unit_index("TJK")
    assert (BASELINES["zero"](history, panel.neighbours).draws == 0).all()
    assert np.array_equal(BASELINES["conflictology12"](history, panel.neighbours).draws[tjk], history[tjk, -12:])
    last = BASELINES["last"](history, panel.neighbours)
    assert np.median(last.draws[tjk]) == pytest.approx(history[tjk, -1], rel=0.05)
    boot = BASELINES["bootstrap"](history, panel.neighbours).draws
    assert (boot == boot[0]).all()  # one pooled distribution for everyone
    nb = BASELINES["nb_climatology"](history, panel.neighbours)
    assert nb.mean()[tjk] == pytest.approx(history[tjk, -36:].mean(), rel=0.25)
    assert (np.mod(nb.draws, 1) == 0).all()  # counts


def test_decay_halves_every_two_years() -> None:
    assert decay(np.array([0.0, 24.0, 48.0, np.inf])).tolist() == [1.0, 0.5, 0.25, 0.0]
