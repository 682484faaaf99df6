"""The forecast target panels, loaded once per session from a lake holding the reference bundle's series."""

from __future__ import annotations

from pathlib import Path

import pytest

from prevdip.forecast import Backtest, TargetPanel, load_ucdp_best, parse_origins, run_backtest
from prevdip.forecast.universe import in_state_system


@pytest.fixture(scope="session")
def series(series_lake: Path, bundle: Path) -> TargetPanel:
    """The bundle's series as it is: 133 columns, the countries with a UCDP death by 2026-05."""
    return load_ucdp_best(series_lake, bundle)


@pytest.fixture(scope="session")
def panel(series: TargetPanel, bundle: Path) -> TargetPanel:
    """The published target: the series over every state of the Gleditsch–Ward system."""
    return in_state_system(series, bundle)


@pytest.fixture(scope="session")
def best_model_backtest(panel: TargetPanel, bundle: Path) -> Backtest:
    """A real backtest of the best model on three origins at horizons 1 and 3 only (so horizon 6 is 'not run')."""
    origins = parse_origins("2024-10:2024-12", panel)
    return run_backtest(panel, origins=origins, horizons=(1, 3), models=["ensemble", "decay"], bundle=bundle)
