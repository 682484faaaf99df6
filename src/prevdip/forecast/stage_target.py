"""Target (c): P(stage ≥ crisis) per country-month and border-dyad-month, from the signals domain's stage panels.

Central Asia's UCDP fatality series are nearly all zeros, so the centre forecasts the conflict-curve stage instead:
the target is 1 in a month whose stage is ``crisis`` or ``war`` (``post_conflict`` is after the fighting and does
not count), 0 otherwise. Countries and border dyads share one panel (units ``TJK`` and ``KGZ-TJK``); a country's
neighbours are its land neighbours in the panel, a dyad's are the dyads sharing one of its countries. The stage
panels' own indicators of each month (events, Goldstein sum, deaths, months since deaths) enter as covariates —
each is known at its month, so they are as-of features like the target's own history.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from prevdip.events.lake import lake_stamp
from prevdip.forecast.target import TargetPanel
from prevdip.forecast.targets import CRISIS_TARGET
from prevdip.geo import land_neighbours
from prevdip.settings import resolve_workspace
from prevdip.signals import CRISIS_STAGES, stage_panel

INDICATORS = ("events", "goldstein_sum", "deaths", "deaths_12m", "n_border_incident", "n_protest", "decay_25")


def _neighbours(units: list[str], land: Mapping[str, frozenset[str]]) -> tuple[np.ndarray, ...]:
    members = {u: set(u.split("-")) for u in units}
    out = []
    for u in units:
        if "-" in u:
            near = [i for i, v in enumerate(units) if v != u and "-" in v and members[u] & members[v]]
        else:
            near = [i for i, v in enumerate(units) if "-" not in v and v in land.get(u, set())]
        out.append(np.array(near, dtype=np.int64))
    return tuple(out)


def load_stage_crisis(bundle: Path, workspace: Path | None = None) -> TargetPanel:
    """The stage-≥-crisis panel of the signals domain's country and dyad panels (built from the workspace's lake)."""
    ws = resolve_workspace(workspace)
    stamp = lake_stamp(ws).digest
    frames = [stage_panel("country", workspace=ws), stage_panel("dyad", workspace=ws)]
    staged = pd.concat(frames, ignore_index=True)
    staged["crisis"] = staged["stage"].isin(CRISIS_STAGES).astype(float)
    months = pd.date_range(staged["month"].min(), staged["month"].max(), freq="MS")
    units = sorted(staged["unit"].unique(), key=lambda u: ("-" in u, u))

    def wide(column: str) -> np.ndarray:
        table = staged.pivot_table(index="unit", columns="month", values=column, aggfunc="first")
        return table.reindex(index=units, columns=months).fillna(0.0).to_numpy(dtype=np.float64)

    covariates = {f"panel_{c}": wide(c) for c in INDICATORS if c in staged.columns}
    for name in ("panel_events", "panel_deaths", "panel_deaths_12m", "panel_n_border_incident", "panel_n_protest"):
        if name in covariates:
            covariates[name] = np.log1p(np.clip(covariates[name], 0, None))
    neighbours = _neighbours(units, land_neighbours(bundle))
    return TargetPanel(CRISIS_TARGET, tuple(units), months, wide("crisis"), neighbours, covariates, lake=stamp)
