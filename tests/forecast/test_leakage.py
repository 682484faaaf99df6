"""No leakage: changing data after the origin changes no forecast; changing it before does."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from prevdip.forecast import TargetPanel, registry
from prevdip.forecast.forecasters import cached

ORIGIN = "2019-06"


def _forecast(panel: TargetPanel, name: str, bundle: Path, horizon: int) -> np.ndarray:
    origin = panel.month_index(ORIGIN)
    return cached(registry(bundle)[name], panel, [origin], horizon, {})[origin].draws


def _scrambled_after(panel: TargetPanel, origin: int) -> TargetPanel:
    values = panel.values.copy()
    rng = np.random.default_rng(7)
    values[:, origin + 1 :] = rng.integers(0, 5000, size=values[:, origin + 1 :].shape)
    return panel.with_values(values)


@pytest.mark.parametrize(
    "name",
    ["hurdle_glm", pytest.param("hurdle_boost", marks=pytest.mark.slow), "conflictology_neighbours", "nb_climatology"],
)
def test_changing_data_after_the_origin_changes_no_forecast(panel: TargetPanel, bundle: Path, name: str) -> None:
    origin = panel.month_index(ORIGIN)
    before = _forecast(panel, name, bundle, horizon=3)
    after = _forecast(_scrambled_after(panel, origin), name, bundle, horizon=3)
    assert np.array_equal(before, after)


def test_changing_data_before_the_origin_does_change_the_forecast(panel: TargetPanel, bundle: Path) -> None:
    origin = panel.month_index(ORIGIN)
    values = panel.values.copy()
    values[panel.unit_index("TJK"), origin - 2 : origin + 1] = 900.0
    changed = panel.with_values(values)
    tjk = panel.unit_index("TJK")
    assert not np.array_equal(
        _forecast(panel, "hurdle_glm", bundle, 3)[tjk], _forecast(changed, "hurdle_glm", bundle, 3)[tjk]
    )
