"""The forecast target as a dense unit × month matrix, with the land-neighbour structure beside it.

Every forecaster reads one :class:`TargetPanel`. Forecasts "as of" an origin month only ever see
``panel.history(origin)`` — the columns up to and including the origin — so leakage is impossible by construction
for the baselines and tested for the models (see ``tests/forecast/test_leakage.py``).

Convention (the one the reference numbers use): the origin is the **last observed month**; horizon ``h`` forecasts
the value of month ``origin + h``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from prevdip.errors import NotFound, RefusedInput
from prevdip.events.series import read_country_month_series
from prevdip.geo import find_country

SERIES_FILES = ("ucdp/country_month_best_deaths_nenames.csv", "ucdp/country_month_best_deaths_ucdpnames.csv")
NEIGHBOURS_FILE = "gdelt/cameo/countryInfo.txt"


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

    @property
    def n_units(self) -> int:
        return len(self.units)

    def in_universe(self) -> np.ndarray:
        """The (n_units, n_months) mask of unit-months in the universe."""
        if self.alive is None:
            return np.ones(self.values.shape, dtype=bool)
        return self.alive

    def month_index(self, month: str | pd.Timestamp) -> int:
        """Column of a month (``"2022-09"`` or a timestamp); a month outside the panel is refused."""
        stamp = pd.Timestamp(month).to_period("M").to_timestamp()
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


def read_land_neighbours(path: Path) -> dict[str, set[str]]:
    """ISO3 → ISO3 land neighbours from a GeoNames ``countryInfo.txt`` (its ``neighbours`` column holds ISO2)."""
    iso2_to_iso3: dict[str, str] = {}
    raw: dict[str, list[str]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        rows = (line for line in f if not line.startswith("#"))
        for row in csv.DictReader(rows, delimiter="\t"):
            iso2, iso3 = (row.get("ISO") or "").strip(), (row.get("ISO3") or "").strip()
            if not iso2 or not iso3:
                continue
            iso2_to_iso3[iso2] = iso3
            raw[iso3] = [code.strip() for code in (row.get("neighbours") or "").split(",") if code.strip()]
    if not raw:
        raise RefusedInput(f"{path}: no ISO/ISO3/neighbours rows", hint="expected GeoNames countryInfo.txt")
    return {iso3: {iso2_to_iso3[c] for c in codes if c in iso2_to_iso3} for iso3, codes in raw.items()}


def _series_path(bundle: Path) -> Path:
    for relative in SERIES_FILES:
        if (bundle / relative).is_file():
            return bundle / relative
    raise RefusedInput(
        f"{bundle}: no country-month deaths series", hint=f"expected one of {', '.join(SERIES_FILES)} in the bundle"
    )


def neighbour_indices(units: tuple[str, ...], land: dict[str, set[str]]) -> tuple[np.ndarray, ...]:
    position = {unit: i for i, unit in enumerate(units)}
    out = []
    for unit in units:
        codes = sorted(land.get(unit, set()))
        out.append(np.array([position[c] for c in codes if c in position], dtype=np.int64))
    return tuple(out)


def load_ucdp_best(bundle: Path) -> TargetPanel:
    """Target (a)/(b): UCDP best deaths per country-month, global, with land neighbours from GeoNames."""
    series = read_country_month_series(_series_path(bundle))
    wide = series.frame.pivot(index="iso3", columns="month", values="best_deaths")
    months = pd.date_range(wide.columns.min(), wide.columns.max(), freq="MS")
    wide = wide.reindex(columns=months).fillna(0.0)
    units = tuple(str(u) for u in wide.index)
    neighbours_path = bundle / NEIGHBOURS_FILE
    if not neighbours_path.is_file():
        raise RefusedInput(f"{neighbours_path} is missing", hint="the bundle's GeoNames table gives land neighbours")
    land = read_land_neighbours(neighbours_path)
    return TargetPanel("ucdp-best", units, months, wide.to_numpy(dtype=np.float64), neighbour_indices(units, land))


def unit_name(unit: str) -> str:
    """A readable name for a unit code (ISO3 or dyad code) where the crosswalk knows it."""
    found = find_country(unit) if len(unit) == 3 else None
    return found.name if found is not None else unit
