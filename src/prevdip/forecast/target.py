"""The forecast target as a dense unit × month matrix, with the land-neighbour structure beside it.

Every forecaster reads one :class:`TargetPanel`. Forecasts "as of" an origin month only ever see
``panel.history(origin)`` — the columns up to and including the origin — so leakage is impossible by construction
for the baselines and tested for the models (see ``tests/forecast/test_leakage.py``).

Convention (the one the reference numbers use): the origin is the **last observed month**; horizon ``h`` forecasts
the value of month ``origin + h``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from prevdip.errors import NotFound
from prevdip.events.deaths import country_month_deaths
from prevdip.events.lake import lake_stamp
from prevdip.forecast.targets import DEATHS_TARGET
from prevdip.geo import find_country, land_neighbours
from prevdip.months import Month


@dataclass(frozen=True)
class TargetPanel:
    """Counts per unit (rows) and month (columns), and for each unit the row indices of its land neighbours."""

    name: str
    units: tuple[str, ...]
    months: pd.DatetimeIndex  # first day of each month, consecutive
    values: np.ndarray  # float64, shape (n_units, n_months), no NaN
    neighbours: tuple[np.ndarray, ...]  # per unit, int indices into ``units``
    covariates: dict[str, np.ndarray] = field(default_factory=dict)  # (n_units, n_months), each known at its month
    # Which unit-months belong to the universe (a state before it exists does not); None: every one.
    alive: np.ndarray | None = field(default=None, repr=False)
    outside_system: tuple[str, ...] = ()  # series columns kept although they are not states of the GW system
    lake: str = ""  # the provenance stamp of the lake the panel was read from (what a vintage records)

    @property
    def n_units(self) -> int:
        return len(self.units)

    def in_universe(self) -> np.ndarray:
        """The (n_units, n_months) mask of unit-months in the universe."""
        if self.alive is None:
            return np.ones(self.values.shape, dtype=bool)
        return self.alive

    def month_index(self, month: str | Month | date | pd.Timestamp) -> int:
        """Column of a month (``"2022-09"``, a :class:`Month`, a date or a timestamp); a month outside the panel is
        refused."""
        if isinstance(month, str):
            month = Month.parse(month)
        first = month.first_day if isinstance(month, Month) else month
        stamp = pd.Timestamp(first).to_period("M").to_timestamp()
        if stamp not in self.months:
            raise NotFound(
                f"month {stamp:%Y-%m} is outside the {self.name} series",
                hint=f"it covers {self.months[0]:%Y-%m} to {self.months[-1]:%Y-%m}",
            )
        return int(self.months.searchsorted(stamp))

    def unit_index(self, unit: str) -> int:
        if unit not in self.units:
            raise NotFound(f"unit {unit!r} is not in the {self.name} series", hint="use an ISO3 code, e.g. TJK")
        return self.units.index(unit)

    def history(self, origin: int) -> np.ndarray:
        """The observations a forecaster may use at ``origin``: months up to and including it."""
        return self.values[:, : origin + 1]

    def with_values(self, values: np.ndarray) -> TargetPanel:
        """The same panel over other values (used to prove that later data changes no forecast)."""
        return replace(self, values=values)


def neighbour_indices(units: tuple[str, ...], land: Mapping[str, frozenset[str]]) -> tuple[np.ndarray, ...]:
    position = {unit: i for i, unit in enumerate(units)}
    out = []
    for unit in units:
        codes = sorted(land.get(unit, set()))
        out.append(np.array([position[c] for c in codes if c in position], dtype=np.int64))
    return tuple(out)


def load_ucdp_best(workspace: Path, bundle: Path) -> TargetPanel:
    """Target (a)/(b): UCDP best deaths per country-month, global, from the lake (the series, then UCDP events
    after it: :func:`prevdip.events.country_month_deaths`), with land neighbours from GeoNames."""
    con = duckdb.connect()
    try:
        stamp = lake_stamp(workspace).digest
        frame = country_month_deaths(con, workspace=workspace).df()
    finally:
        con.close()
    frame["month"] = pd.to_datetime(frame["month"]).astype("datetime64[ns]")
    wide = frame.pivot(index="iso3", columns="month", values="best_deaths")
    months = pd.date_range(wide.columns.min(), wide.columns.max(), freq="MS")
    wide = wide.reindex(columns=months).fillna(0.0)
    units = tuple(str(u) for u in wide.index)
    neighbours = neighbour_indices(units, land_neighbours(bundle))
    return TargetPanel(DEATHS_TARGET, units, months, wide.to_numpy(dtype=np.float64), neighbours, lake=stamp)


def unit_name(unit: str) -> str:
    """A readable name for a unit code (ISO3 or dyad code) where the crosswalk knows it."""
    found = find_country(unit) if len(unit) == 3 else None
    return found.name if found is not None else unit
