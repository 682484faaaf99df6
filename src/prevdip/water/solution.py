"""What one solve of the basin LP yields, read out of the Pyomo model into plain arrays."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pyomo.environ as pyo

from prevdip.water.spec import NodeKind, load_economics

if TYPE_CHECKING:
    from prevdip.water.model import BasinLP


def _value(expr: object) -> float:
    return float(pyo.value(expr)) if not isinstance(expr, int | float) else float(expr)


@dataclass(frozen=True)
class Solution:
    """Monthly paths (index t = 0 is October of the first year) and benefits by country (M US$ over the horizon)."""

    years: tuple[str, ...]
    storage: dict[str, np.ndarray]
    release: dict[str, np.ndarray]
    inflow: dict[str, np.ndarray]
    withdrawal: dict[str, np.ndarray]
    demand: dict[str, np.ndarray]
    energy_gwh: dict[str, np.ndarray]
    served_gwh: dict[str, np.ndarray]
    thermal_gwh: dict[str, np.ndarray]
    imports_gwh: dict[str, np.ndarray]
    terminal: dict[str, np.ndarray]
    irrigation: dict[str, float]
    energy: dict[str, float]
    penalty: dict[str, float]
    headwater_km3: float
    consumed_km3: float
    initial_storage_km3: float
    zone_country: dict[str, str] = field(default_factory=dict)
    water_values: dict[str, np.ndarray] | None = None  # US$ per m³ by node and month (BasinLP.water_values)
    flows: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)  # km³ per month on each river edge
    added: dict[str, np.ndarray] = field(default_factory=dict)  # km³ a what-if added to a node, where it did
    returned: dict[str, float] = field(default_factory=dict)  # share of each zone's withdrawal back in the river
    initial_storage: dict[str, float] = field(default_factory=dict)  # km³ in each reservoir on 1 October

    @property
    def benefit(self) -> dict[str, float]:
        return {c: self.irrigation[c] + self.energy[c] - self.penalty[c] for c in self.irrigation}

    @property
    def total(self) -> float:
        return sum(self.benefit.values())

    @classmethod
    def read(cls, lp: BasinLP, years: Sequence[str], *, water_values: dict[str, np.ndarray] | None = None) -> Solution:
        """Read the solved model. Paths come from variable values as arrays (evaluating Pyomo expressions month by
        month is what made reading slower than solving); benefits reuse the LP's own accounting expressions."""
        m, values = lp.model, load_economics().irrigation.usd_per_m3
        horizon = list(m.T)

        def var(component: pyo.Var, *index: str) -> np.ndarray:
            return np.array([component[(*index, t)].value or 0.0 for t in horizon], dtype=float)

        flow = {(u, v): var(m.q, u, v) for u, v in m.E}
        zero = np.zeros(len(horizon))

        def into(n: str) -> np.ndarray:
            return sum((f for (u, v), f in flow.items() if v == n), zero)

        def out_of(n: str) -> np.ndarray:
            return sum((f for (u, v), f in flow.items() if u == n), zero)

        def generated(c: str) -> np.ndarray:
            plants = [p for p in lp.turbines if lp.node(p).country == c]
            return sum((1000 * float(lp.node(p).kwh_per_m3 or 0.0) * var(m.turb, p) for p in plants), zero)

        trade = {(a, b): var(m.trade, a, b) for a, b in m.P}
        reservoirs = lp.nodes_of(NodeKind.RESERVOIR)
        demands = lp.nodes_of(NodeKind.DEMAND)
        players = lp.spec.players
        return cls(
            years=tuple(years),
            storage={r: var(m.S, r) for r in reservoirs},
            release={r: out_of(r) for r in reservoirs},
            inflow={r: into(r) for r in reservoirs},
            withdrawal={d: var(m.w, d) for d in demands},
            demand={d: np.array([_value(m.demand[d, t]) for t in horizon]) for d in demands},
            energy_gwh={c: generated(c) for c in players},
            served_gwh={c: var(m.served, c) for c in players},
            thermal_gwh={c: var(m.thermal, c) for c in players},
            imports_gwh={c: sum((trade[a, c] - trade[c, a] for a in players if a != c), zero) for c in players},
            terminal={s: into(s) for s in lp.nodes_of(NodeKind.SINK, NodeKind.SPILL)},
            irrigation={c: _value(lp.irrigation_benefit(m, c, values)) for c in players},
            energy={c: _value(lp.energy_benefit(m, c)) for c in players},
            penalty={c: _value(lp.penalty(m, c)) for c in players},
            headwater_km3=sum(_value(m.inflow[i, t]) for i in lp.nodes_of(NodeKind.INFLOW) for t in horizon)
            + sum(_value(v) for v in m.extra.values()),
            consumed_km3=sum((1 - lp.returned_share(d)) * sum(_value(m.w[d, t]) for t in horizon) for d in demands),
            initial_storage_km3=sum(float(lp.node(r).initial_km3 or 0.0) for r in reservoirs),
            zone_country={d: lp.node(d).country for d in demands},
            water_values=water_values,
            flows=flow,
            added={n: var(m.extra, n) for n in {n for n, _ in m.extra} if any(m.extra[n, t].value for t in horizon)},
            returned={d: lp.returned_share(d) for d in demands},
            initial_storage={r: float(lp.node(r).initial_km3 or 0.0) for r in reservoirs},
        )

    def mass_balance_error_km3(self) -> float:
        """Water in (headwaters and any water a what-if added, initial storage) minus water out (consumed, sinks and
        spills, final storage)."""
        final = sum(float(s[-1]) for s in self.storage.values())
        out = self.consumed_km3 + sum(float(v.sum()) for v in self.terminal.values()) + final
        return self.headwater_km3 + self.initial_storage_km3 - out

    def balance_residuals_km3(self) -> dict[str, np.ndarray]:
        """At every node water passes through, in every month: inflow + water added − outflow − consumed − storage
        change (headwaters, whose outflow is their inflow, and terminal lakes are left out).

        All zeros (to solver tolerance) means the balance closes at each node in each month, not only over the basin
        and the horizon (:meth:`mass_balance_error_km3`); it checks the report read out of the LP, not only the LP.
        """
        nodes = {u for u, _ in self.flows}
        zero = np.zeros(len(next(iter(self.flows.values()))))
        residuals = {}
        for n in nodes:
            into = sum((f for (_, v), f in self.flows.items() if v == n), zero)
            out = sum((f for (u, _), f in self.flows.items() if u == n), zero)
            if not any(v == n for _, v in self.flows):
                continue
            consumed = (1 - self.returned[n]) * self.withdrawal[n] if n in self.withdrawal else zero
            held = np.diff(self.storage[n], prepend=self.initial_storage[n]) if n in self.storage else zero
            residuals[n] = into + self.added.get(n, zero) - out - consumed - held
        return residuals

    def delivered_km3(self, country: str) -> float:
        return float(sum(w.sum() for d, w in self.withdrawal.items() if self.zone_country[d] == country))
