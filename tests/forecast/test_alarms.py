"""The backtest read as warnings: what each threshold would have raised, caught and missed."""

from __future__ import annotations

import numpy as np
import pytest

from prevdip.forecast import Backtest
from prevdip.forecast.alarms import alarm_record
from prevdip.forecast.scoring import Scored


def _scored(origin_state: list[float], later: list[float], p: list[float]) -> tuple[np.ndarray, Scored]:
    """Units 0..n−1 at one origin (month 0) and the month after it (month 1)."""
    n = len(p)
    values = np.array([origin_state, later], dtype=float).T
    zeros, no = np.zeros(n), np.zeros(n, dtype=bool)
    scored = Scored(
        origin=np.zeros(n, dtype=int), unit=np.arange(n), observed=values[:, 1], crps=zeros, p_positive=np.array(p),
        in50=no, in90=no, log_error=zeros, quiet=np.ones(n, bool), onset=values[:, 1] > 0, history=no,
        cdf_below=zeros, cdf_at=zeros,
    )  # fmt: skip
    return values, scored


def test_each_threshold_counts_alarms_hits_and_misses_among_units_not_already_there() -> None:
    # unit 0 is already in crisis (left out); of the other five, units 1 and 2 enter it.
    values, scored = _scored([1, 0, 0, 0, 0, 0], [1, 1, 1, 0, 0, 0], [0.9, 0.6, 0.2, 0.3, 0.05, 0.5])
    record = {r["threshold"]: r for r in alarm_record(values, scored, thresholds=(0.25, 0.5))}
    assert record[0.25] == {
        "threshold": 0.25, "unit_origins": 5, "events": 2, "alarms": 3, "hits": 1,
        "precision": pytest.approx(1 / 3), "recall": 0.5, "false_alarm_rate": pytest.approx(2 / 3),
    }  # fmt: skip
    assert (record[0.5]["alarms"], record[0.5]["hits"], record[0.5]["false_alarm_rate"]) == (2, 1, pytest.approx(1 / 3))


def test_no_alarm_and_no_event_give_no_share_rather_than_a_made_up_one() -> None:
    values, scored = _scored([0, 0], [0, 0], [0.01, 0.02])
    (only,) = alarm_record(values, scored, thresholds=(0.5,))
    assert (only["alarms"], only["precision"], only["recall"], only["false_alarm_rate"]) == (0, None, None, 0.0)


@pytest.mark.slow
def test_a_real_backtest_reports_the_best_models_alarms(best_model_backtest: Backtest) -> None:
    alarms = best_model_backtest.as_json()["alarms"]["ensemble"]
    assert set(alarms) == {"1", "3"}
    scored = best_model_backtest.scored["ensemble"][1]
    calm = best_model_backtest.values[scored.unit, scored.origin] == 0
    by_threshold = alarms["1"]
    assert [r["threshold"] for r in by_threshold] == [0.1, 0.25, 0.5]
    for row in by_threshold:
        assert row["unit_origins"] == int(calm.sum())
        assert row["alarms"] == int((scored.p_positive[calm] >= row["threshold"]).sum())
        assert row["hits"] <= row["alarms"] and row["hits"] <= row["events"]
    assert [r["alarms"] for r in by_threshold] == sorted((r["alarms"] for r in by_threshold), reverse=True)
