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
from dataclasses import dataclass, field, replace
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
        return lp.solve(years, regime=True, trading=spec.players, water_values=True)
    if scenario == "energy":
        return unilateral(lp, years)
    return lp.solve(years, trading=spec.players, water_values=True)


def m3s(km3: float, month: int) -> float:
    return km3 * 1e9 / (DAYS[month % 12] * 86400)


WATER_VALUE_BASIS = {
    "cooperative": "the cooperative plan's LP: the basin's benefit, all riparians together with barter open",
    "irrigation": "the Soviet-regime LP, its release rules binding",
    "energy": (
        "the non-cooperative regime's last LP, every state's storage paths and withdrawals held at its own "
        "strategy: a short-run value (the extra m³ is turbined, passed on or spilled, never stored or withdrawn)"
    ),
}
UNITS = (
    "benefits in million US$ per year; volumes in km³ per year; energy in GWh per year; releases in m³/s and "
    "storage in km³ by month; water values in US$ per m³ by node and month (+ = one more m³ arriving at the node in "
    "that month raises the basin's benefit by that much; − = it costs); months run Oct..Sep"
)
EFFECT_FIGURES = (
    "benefit_by_country",
    "deliveries_by_country_km3",
    "deliveries_by_zone_km3",
    "energy_by_country_gwh",
    "terminal_inflow_km3",
)


@dataclass(frozen=True)
class BasinResult:
    """A solved scenario and its report in the shape of ``prevdip water basin --json``."""

    spec: BasinSpec
    scenario: str
    years: tuple[str, ...]
    planned: tuple[str, ...]
    solution: Solution
    names: dict[str, str] = field(default_factory=dict)  # node id → the name the centre uses
    effect: dict[str, dict[str, Any]] | None = None  # planned_effect(): with the planned facilities minus without

    def as_dict(self) -> dict[str, Any]:
        sol, n = self.solution, len(self.years)
        reservoirs = {}
        for r, release in sol.release.items():
            total = float(release.sum())
            summer = float(sum(release[t] for t in range(len(release)) if t % 12 in SUMMER))
            reservoirs[r] = {
                "name": self.names.get(r, r),
                "release_m3s_by_month": [round(max(m3s(float(q), t), 0.0), 1) + 0.0 for t, q in enumerate(release)],
                "storage_km3_by_month": [round(max(float(s), 0.0), 3) + 0.0 for s in sol.storage[r]],
                "summer_release_share": round(summer / total, 4) if total > 0 else None,
            }
        spill = sol.terminal.get("arnasai")
        sinks = {s: round(float(v.sum()) / n, 3) for s, v in sol.terminal.items() if s != "arnasai"}
        values = sol.water_values or {}
        report = {
            "basin": self.spec.name,
            "scenario": self.scenario,
            "year": self.years[0] if n == 1 else list(self.years),
            "total_benefit": round(sol.total / n, 2),
            "benefit_by_country": {c: round(v / n, 2) for c, v in sol.benefit.items()},
            "reservoirs": reservoirs,
            "deliveries_by_country_km3": {c: round(sol.delivered_km3(c) / n, 3) for c in self.spec.players},
            "deliveries_by_zone_km3": {d: round(float(w.sum()) / n, 3) for d, w in sol.withdrawal.items()},
            "energy_by_country_gwh": {c: round(float(e.sum()) / n, 1) for c, e in sol.energy_gwh.items()},
            "arnasai_spill_km3": round(float(spill.sum()) / n, 3) if spill is not None else 0.0,
            "terminal_inflow_km3": sinks,
            "water_values": {node: [round(float(v), 5) + 0.0 for v in by_month] for node, by_month in values.items()},
            "water_values_basis": WATER_VALUE_BASIS[self.scenario],
            "names": dict(self.names),
            "units": UNITS,
            "planned": list(self.planned),
            "data_version": self.spec.data_version,
            "economics_version": load_economics().data_version,
        }
        if self.effect is not None:
            report["planned_effect_by_year"] = self.effect
        return report


def _result(basin: str, scenario: str, years: tuple[str, ...], planned: tuple[str, ...]) -> BasinResult:
    solution = run(basin, scenario, years, planned)
    graph = basin_lp(basin, frozenset(planned), len(years)).graph
    names = {n: data["spec"].label for n, data in graph.nodes(data=True) if data["spec"] is not None}
    return BasinResult(load_basin(basin), scenario, years, planned, solution, names)


def _change(now: Any, before: Any) -> Any:
    """``now − before`` for a number or a flat ``{name: number}`` map (a name only in ``now`` counts from zero)."""
    if isinstance(now, dict):
        return {k: round(v - before.get(k, 0.0), 3) + 0.0 for k, v in now.items()}
    return round(now - before, 3) + 0.0


def planned_effect(basin: str, scenario: str, planned: Sequence[str]) -> dict[str, dict[str, Any]]:
    """What the planned facilities change under ``scenario`` in a dry, a normal and a wet year, each solved alone:
    the run with them minus the run without (negative = taken from that country, zone or sink)."""
    built = tuple(sorted(planned))
    effect = {}
    for year in YEARS:
        now = _result(basin, scenario, (year,), built).as_dict()
        before = _result(basin, scenario, (year,), ()).as_dict()
        figures = {key: _change(now[key], before[key]) for key in ("total_benefit", *EFFECT_FIGURES)}
        effect[year] = figures | {
            "diverted_km3": {z: now["deliveries_by_zone_km3"][z] for z in _new_zones(now, before)}
        }
    return effect


def _new_zones(now: dict[str, Any], before: dict[str, Any]) -> list[str]:
    return [z for z in now["deliveries_by_zone_km3"] if z not in before["deliveries_by_zone_km3"]]


def solve_basin(
    basin: str,
    scenario: str,
    year: str = "normal",
    *,
    years: Sequence[str] | None = None,
    planned: Iterable[str] = (),
    effect: bool = True,
) -> BasinResult:
    """Solve ``scenario`` on ``basin`` for one year type, or for a sequence ``years`` with carry-over storage.

    With planned facilities the result also says what they change in each year type (:func:`planned_effect`, six
    more runs); ``effect=False`` skips that when only the run itself is wanted.
    """
    seq = check_years(years if years is not None else (year,))
    built = tuple(sorted(planned))
    result = _result(basin, scenario, seq, built)
    if not built or not effect:
        return result
    return replace(result, effect=planned_effect(basin, scenario, built))


def planned_options(basin: str) -> dict[str, str]:
    """The planned facilities and variants ``--with`` accepts on ``basin``, by id, with their names."""
    return load_basin(basin).planned_options()
