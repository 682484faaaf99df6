"""The unit set of the country-month target: every independent state of the Gleditsch–Ward system alive in the month.

The deaths series has a column only for countries where UCDP recorded a death by the end of the series, so a
country quiet at an origin was, in that panel, one whose first death was certain to come — the selection by the
future that ``docs/backtest.md`` describes. The field's answer (VIEWS' country-month, the Early Warning Project)
is to score every state: a state with no UCDP record has zero deaths, it is not missing.

Which states exist when:

- a state is alive in a year for which ``covariates/gwstate_age.csv`` has its row (andybega's GW state ages, to
  2022); later years carry the last year's system forward — no state has entered or left the system since South
  Sudan in 2011, and the table says nothing about the years it lacks;
- within a year, a state whose spells ``mid/gw_states.csv`` (peacesciencer) dates is alive from the month it began
  to the month it ended (South Sudan from 2011-07, Yugoslavia to 2006-06); that file stops at 2017-12-31, a
  censoring date rather than an end, and lacks the microstates, which keep their yearly rows;
- several GW numbers with one ISO3 code (345 Yugoslavia then 340 Serbia) are one unit, alive when either is.

Months before a state exists, or after it ends, are outside the universe: they are neither scored nor learned
from. A series column that is not a GW state (none is in the bundle's series) stays a unit alive in every month,
because its deaths are real; :func:`in_state_system` reports such columns instead of dropping them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from prevdip.catalogue import BUNDLE
from prevdip.errors import RefusedInput
from prevdip.forecast.target import TargetPanel, neighbour_indices
from prevdip.geo import gw_iso3, land_neighbours

CENSORED_END = pd.Timestamp("2017-12-01")  # gw_states.csv ends every living state on 2017-12-31


def _read(bundle: Path, relative: str, columns: list[str]) -> pd.DataFrame:
    path = bundle / relative
    if not path.is_file():
        raise RefusedInput(f"{path} is missing", hint="the bundle's Gleditsch–Ward tables define the state system")
    table = pd.read_csv(path)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise RefusedInput(f"{path}: no column {', '.join(missing)}", hint=f"expected columns {', '.join(columns)}")
    return table


def _spell_mask(spells: pd.DataFrame, months: pd.DatetimeIndex) -> np.ndarray:
    """Months inside any of a state's dated spells (an end on the censoring date is open)."""
    inside = np.zeros(len(months), dtype=bool)
    for start, end in zip(spells["startdate"], spells["enddate"], strict=True):
        first = pd.Timestamp(start).to_period("M").to_timestamp()
        last = pd.Timestamp(end).to_period("M").to_timestamp()
        inside |= (months >= first) & ((months <= last) | (last >= CENSORED_END))
    return inside


def state_system(bundle: Path, months: pd.DatetimeIndex) -> dict[str, np.ndarray]:
    """ISO3 → a boolean mask over ``months``: the months in which that state is in the GW system."""
    years = _read(bundle, BUNDLE.state_years, ["gwcode", "year"])
    spells = _read(bundle, BUNDLE.state_spells, ["gwcode", "startdate", "enddate"])
    crosswalk = gw_iso3()
    last_year = int(years["year"].max())
    month_years = np.minimum(months.year.to_numpy(), last_year)  # the last year's system carried forward
    alive: dict[str, np.ndarray] = {}
    for gw, rows in years.groupby("gwcode"):
        iso3 = crosswalk.get(int(str(gw)))
        if iso3 is None:
            continue  # a state that ended before 1989: the crosswalk holds the system since then
        mask = np.isin(month_years, rows["year"].to_numpy())
        dated = spells[spells["gwcode"] == gw]
        if len(dated):
            mask &= _spell_mask(dated, months)
        if mask.any():
            alive[iso3] = alive.get(iso3, np.zeros(len(months), dtype=bool)) | mask
    return alive


def in_state_system(panel: TargetPanel, bundle: Path) -> TargetPanel:
    """``panel`` over every GW state alive in any of its months: zeros where the series has no column, and the
    ``alive`` mask saying which unit-months are in the universe (series columns outside the system: always)."""
    system = state_system(bundle, panel.months)
    units = tuple(sorted({*panel.units, *system}))
    position = {u: i for i, u in enumerate(panel.units)}
    values = np.zeros((len(units), len(panel.months)))
    alive = np.ones((len(units), len(panel.months)), dtype=bool)
    for i, unit in enumerate(units):
        if unit in position:
            values[i] = panel.values[position[unit]]
        if unit in system:
            alive[i] = system[unit]
    covariates = {name: _widen(column, panel.units, units) for name, column in panel.covariates.items()}
    land = land_neighbours(bundle)
    return replace(
        panel,
        units=units,
        values=values,
        neighbours=neighbour_indices(units, land),
        covariates=covariates,
        alive=alive,
        outside_system=tuple(u for u in panel.units if u not in system),
    )


def _widen(column: np.ndarray, old: tuple[str, ...], new: tuple[str, ...]) -> np.ndarray:
    position = {u: i for i, u in enumerate(old)}
    out = np.zeros((len(new), column.shape[1]))
    for i, unit in enumerate(new):
        if unit in position:
            out[i] = column[position[unit]]
    return out
