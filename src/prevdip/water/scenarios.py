"""The three regimes the centre compares, in dry, normal and wet years.

- ``irrigation``: the Soviet-era regime — at least 75 % of the regime reservoir's release in Apr–Sep, winter release
  at most 180 m³/s (Toktogul) — with summer power and winter fuel bartered among all riparians, as under the 1984
  protocol; the basin's total benefit is maximised inside those rules.
- ``energy``: the post-1991 regime — each upstream state runs its reservoirs for its own hydropower first (a
  lexicographic priority weight on its energy benefit), no energy barter; each downstream state then runs its own
  reservoirs and withdrawals for its own benefit (:mod:`prevdip.water.noncooperative`).
- ``cooperative``: the basin's total benefit with barter open to all and no imposed rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from prevdip.errors import RefusedInput
from prevdip.water.model import BasinLP
from prevdip.water.noncooperative import unilateral
from prevdip.water.solution import Solution
from prevdip.water.spec import BASIN_FILES, DAYS, SUMMER, BasinSpec, load_basin, load_economics

SCENARIOS = ("irrigation", "energy", "cooperative")
YEARS = ("dry", "normal", "wet")
BASINS = tuple(BASIN_FILES)


@cache
def basin_lp(basin: str, planned: frozenset[str] = frozenset(), n_years: int = 1) -> BasinLP:
    """One built LP per basin, planned facilities and horizon, reused across solves."""
    return BasinLP(load_basin(basin), planned=planned, n_years=n_years)


def check_years(years: Sequence[str]) -> tuple[str, ...]:
    for year in years:
        if year not in YEARS:
            raise RefusedInput(f"unknown year type '{year}'", hint=f"choose one of {', '.join(YEARS)}")
    if not years:
        raise RefusedInput("give at least one year type")
    return tuple(years)


def run(basin: str, scenario: str, years: Sequence[str], planned: Iterable[str] = ()) -> Solution:
    """Solve one scenario over a sequence of year types (carry-over storage between years)."""
    if scenario not in SCENARIOS:
        raise RefusedInput(f"unknown scenario '{scenario}'", hint=f"choose one of {', '.join(SCENARIOS)}")
    years = check_years(years)
    lp = basin_lp(basin, frozenset(planned), len(years))
    spec = lp.spec
    if scenario == "irrigation":
        return lp.solve(years, regime=True, trading=spec.players)
    if scenario == "energy":
        return unilateral(lp, years)
    return lp.solve(years, trading=spec.players)


def m3s(km3: float, month: int) -> float:
    return km3 * 1e9 / (DAYS[month % 12] * 86400)


@dataclass(frozen=True)
class BasinResult:
    """A solved scenario and its report in the shape of ``prevdip water basin --json``."""

    spec: BasinSpec
    scenario: str
    years: tuple[str, ...]
    planned: tuple[str, ...]
    solution: Solution

    def as_dict(self) -> dict[str, Any]:
        sol, n = self.solution, len(self.years)
        reservoirs = {}
        for r, release in sol.release.items():
            total = float(release.sum())
            summer = float(sum(release[t] for t in range(len(release)) if t % 12 in SUMMER))
            reservoirs[r] = {
                "release_m3s_by_month": [round(max(m3s(float(q), t), 0.0), 1) + 0.0 for t, q in enumerate(release)],
                "storage_km3_by_month": [round(max(float(s), 0.0), 3) + 0.0 for s in sol.storage[r]],
                "summer_release_share": round(summer / total, 4) if total > 0 else None,
            }
        spill = sol.terminal.get("arnasai")
        sinks = {s: round(float(v.sum()) / n, 3) for s, v in sol.terminal.items() if s != "arnasai"}
        return {
            "basin": self.spec.name,
            "scenario": self.scenario,
            "year": self.years[0] if n == 1 else list(self.years),
            "total_benefit": round(sol.total / n, 2),
            "benefit_by_country": {c: round(v / n, 2) for c, v in sol.benefit.items()},
            "reservoirs": reservoirs,
            "deliveries_by_country_km3": {c: round(sol.delivered_km3(c) / n, 3) for c in self.spec.players},
            "energy_by_country_gwh": {c: round(float(e.sum()) / n, 1) for c, e in sol.energy_gwh.items()},
            "arnasai_spill_km3": round(float(spill.sum()) / n, 3) if spill is not None else 0.0,
            "terminal_inflow_km3": sinks,
            "units": "benefits in million US$ per year; volumes in km³ per year; months run Oct..Sep",
            "planned": list(self.planned),
            "data_version": self.spec.data_version,
            "economics_version": load_economics().data_version,
        }


def solve_basin(
    basin: str, scenario: str, year: str = "normal", *, years: Sequence[str] | None = None, planned: Iterable[str] = ()
) -> BasinResult:
    """Solve ``scenario`` on ``basin`` for one year type, or for a sequence ``years`` with carry-over storage."""
    seq = check_years(years if years is not None else (year,))
    planned = tuple(sorted(planned))
    solution = run(basin, scenario, seq, planned)
    return BasinResult(load_basin(basin), scenario, seq, planned, solution)
