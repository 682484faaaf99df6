"""``risk_at``: the P(any fatality) prevdip would have issued for a unit, with data as of an origin month.

Used by the episodes record ("what did prevdip show 1, 3 and 6 months before?"). The policy is the backtest's:
the model is refitted once a year on data up to the first origin of that year's block and applied to the
features at the origin, so a risk here is exactly the one the backtest scores. Forecasts are computed per
(year, horizon) block and cached for the process.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from prevdip.events.lake import lake_stamp
from prevdip.forecast.features import MIN_HISTORY
from prevdip.forecast.forecasters import BEST_MODEL, REFIT_EVERY, cached, registry
from prevdip.forecast.published import load_target
from prevdip.forecast.target import TargetPanel
from prevdip.forecast.targets import DEATHS_TARGET
from prevdip.settings import get_settings, resolve_workspace


@lru_cache(maxsize=2)
def _panel(workspace: Path, bundle: Path, lake: str) -> TargetPanel:
    panel: TargetPanel = load_target(DEATHS_TARGET, bundle=bundle, workspace=workspace)
    return panel


@lru_cache(maxsize=256)
def _block_risk(workspace: Path, bundle: Path, lake: str, block: int, horizon: int) -> dict[int, np.ndarray]:
    panel = _panel(workspace, bundle, lake)
    last = panel.values.shape[1] - 1
    origins = [o for o in range(block * REFIT_EVERY, (block + 1) * REFIT_EVERY) if MIN_HISTORY + horizon <= o <= last]
    if not origins:
        return {}
    forecasts = cached(registry(bundle)[BEST_MODEL], panel, origins, horizon, {})
    return {o: f.prob_positive() for o, f in forecasts.items()}


def risk_at(
    unit: str,
    origin_month: str | date | pd.Timestamp,
    horizon: int,
    *,
    workspace: Path | None = None,
    bundle: Path | None = None,
) -> float | None:
    """P(any UCDP fatality in month origin + horizon) as issued at ``origin_month``; ``None`` when prevdip had no
    forecast — a unit that is not a state of the GW system then, an origin outside the series or too early.
    Panels and forecasts are kept per lake state (its provenance stamp)."""
    bundle = bundle if bundle is not None else get_settings().bundle
    if bundle is None or horizon < 1:
        return None
    ws = resolve_workspace(workspace)
    lake = lake_stamp(ws).digest
    panel = _panel(ws, Path(bundle), lake)
    stamp = pd.Timestamp(origin_month).to_period("M").to_timestamp()
    if unit not in panel.units or stamp not in panel.months:
        return None
    origin = int(panel.months.searchsorted(stamp))
    if not panel.in_universe()[panel.units.index(unit), origin]:
        return None
    risks = _block_risk(ws, Path(bundle), lake, origin // REFIT_EVERY, horizon).get(origin)
    return None if risks is None else float(risks[panel.units.index(unit)])
