"""The monthly basin LP in Pyomo, built once and re-solved in-process by HiGHS (persistent ``appsi_highs``).

Units: water in km³ per month, energy in GWh, money in million US$ (km³ × US$/m³ × 1000 = M US$; GWh × US$/kWh =
M US$). Building a Pyomo model costs more than solving it, so :class:`BasinLP` builds one model per basin, set of
planned facilities and horizon, and every scenario, year type and coalition only changes mutable parameters, the
objective's weights, a switch on the regime constraints and which variables are fixed. The constraint matrix
keeps its shape between solves, and HiGHS starts cold each time, so a result never depends on earlier requests.

Assumptions (stated in docs/water.md): energy per m³ is fixed per plant (no head dependence); no evaporation or
channel losses; a share of each withdrawal returns to the river in the same month; storage at the end of the horizon
must be at least the storage on 1 October of the first year (no mining of reservoirs).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import networkx as nx
import numpy as np
import pyomo.environ as pyo
from pyomo.contrib.appsi.solvers import Highs

from prevdip.errors import RefusedInput
from prevdip.water.network import build_network, water_nodes, water_predecessors, water_successors
from prevdip.water.solution import Solution
from prevdip.water.spec import DAYS, SUMMER, WINTER, BasinSpec, Node, NodeKind, load_economics

ICE_MONTHS = (2, 3, 4)  # Dec, Jan, Feb: the months an edge's winter capacity applies
NO_LIMIT_KM3 = 1000.0  # a monthly release bound no reservoir can reach: the winter cap when the regime is off


def km3_per_month(m3s: float, month: int) -> float:
    return m3s * DAYS[month % 12] * 86400 / 1e9


class BasinLP:
    """One basin's LP over ``n_years`` hydrological years, ready to be re-solved."""

    def __init__(self, spec: BasinSpec, *, planned: Iterable[str] = (), n_years: int = 1) -> None:
        self.spec = spec
        self.graph: nx.DiGraph = build_network(spec, planned)
        self.n_years = n_years
        self.order = water_nodes(self.graph)
        self.turbines = [n for n in self.order if self.node(n).has_plant]
        self._lock = threading.Lock()
        self._extra_set: set[tuple[str, int]] = set()
        self.model = self._build()
        self.solver = Highs()
        self.solver.config.stream_solver = False
        self.solver.config.load_solution = False  # checked first, so an infeasible LP is refused, not a traceback
        # fixed variables become equal bounds, not constants folded into the rows: the matrix never changes shape
        self.solver.update_config.treat_fixed_vars_as_params = False
        # rows are never added, removed or rewritten after the build: only bounds, fixings and parameters change
        update = self.solver.update_config
        update.check_for_new_or_removed_constraints = False
        update.check_for_new_or_removed_vars = False
        update.check_for_new_or_removed_params = False
        update.update_constraints = False
        update.update_named_expressions = False

    # -- construction -------------------------------------------------------------------------------------------
    def nodes_of(self, *kinds: NodeKind) -> list[str]:
        return [n for n in self.order if self.graph.nodes[n]["kind"] in kinds]

    def node(self, node_id: str) -> Node:
        spec: Node = self.graph.nodes[node_id]["spec"]
        return spec

    def _build(self) -> pyo.ConcreteModel:
        spec, econ = self.spec, load_economics()
        m = pyo.ConcreteModel(name=spec.name)
        m.T = pyo.RangeSet(0, 12 * self.n_years - 1)
        m.Y = pyo.RangeSet(0, self.n_years - 1)
        m.C = pyo.Set(initialize=spec.players)
        water_edges = [(u, v) for u, v, data in self.graph.edges(data=True) if data["kind"] == "water"]
        m.E = pyo.Set(initialize=water_edges, dimen=2)
        inflows, reservoirs = self.nodes_of(NodeKind.INFLOW), self.nodes_of(NodeKind.RESERVOIR)
        demands, sinks = self.nodes_of(NodeKind.DEMAND), self.nodes_of(NodeKind.SINK)
        turbines = self.turbines
        m.K = pyo.RangeSet(0, len(econ.irrigation.breakpoints) - 1)

        m.inflow = pyo.Param(inflows, m.T, mutable=True, initialize=0.0)
        m.demand = pyo.Param(demands, m.T, mutable=True, initialize=0.0)
        m.sink_min = pyo.Param(sinks, m.Y, mutable=True, initialize=0.0)
        m.weight = pyo.Param(m.C, mutable=True, initialize=1.0)
        m.priority = pyo.Param(m.C, mutable=True, initialize=0.0)
        m.keep_cost = pyo.Param(reservoirs, mutable=True, initialize=0.0)  # M US$ per km³ held through Oct–Mar months
        priced = [n for n in self.order if self.graph.nodes[n]["kind"] is not NodeKind.SPILL]
        m.extra = pyo.Param(priced, m.T, mutable=True, initialize=0.0)  # km³ added by a what-if (see _water_balance)

        m.q = pyo.Var(m.E, m.T, domain=pyo.NonNegativeReals)
        m.S = pyo.Var(reservoirs, m.T, bounds=lambda _m, r, _t: (0.0, self.node(r).live_km3))
        m.turb = pyo.Var(turbines, m.T, bounds=lambda _m, p, t: (0.0, self._turbine_km3(p, t)))
        m.seg = pyo.Var(demands, m.T, m.K, domain=pyo.NonNegativeReals)
        m.w = pyo.Var(demands, m.T, domain=pyo.NonNegativeReals)
        m.served = pyo.Var(m.C, m.T, bounds=lambda _m, c, t: (0.0, spec.power[c].requirement_gwh[t % 12]))
        m.surplus = pyo.Var(m.C, m.T, domain=pyo.NonNegativeReals)
        m.firm = pyo.Var(m.C, m.T, bounds=lambda _m, c, t: (0.0, self._firm_gwh(c, t)))
        m.thermal = pyo.Var(m.C, m.T, bounds=lambda _m, c, _t: (0.0, spec.power[c].thermal_gwh_per_month))
        m.P = pyo.Set(initialize=[(a, b) for a in spec.players for b in spec.players if a != b], dimen=2)
        m.trade_open = pyo.Param(m.P, mutable=True, initialize=0.0)
        m.trade = pyo.Var(m.P, m.T, domain=pyo.NonNegativeReals)
        m.short = pyo.Var(sinks, m.Y, domain=pyo.NonNegativeReals)

        self._water_balance(m, demands)
        self._irrigation(m, demands, econ.irrigation.breakpoints)
        self._energy(m, turbines)
        self._regime(m)
        self._winter_holding(m)
        m.objective = pyo.Objective(expr=self._objective(m, econ.irrigation.usd_per_m3), sense=pyo.maximize)
        return m

    def _turbine_km3(self, plant: str, t: int) -> float:
        node = self.node(plant)
        gwh = node.capacity_mw * 24 * DAYS[t % 12] / 1000  # type: ignore[operator]
        return gwh / (1000 * node.kwh_per_m3)  # type: ignore[operator]

    def inflow_to(self, m: pyo.ConcreteModel, n: str, t: int) -> pyo.Expression:
        return sum(m.q[p, n, t] for p in water_predecessors(self.graph, n))

    def outflow_of(self, m: pyo.ConcreteModel, n: str, t: int) -> pyo.Expression:
        return sum(m.q[n, s, t] for s in water_successors(self.graph, n))

    def _water_balance(self, m: pyo.ConcreteModel, demands: list[str]) -> None:
        """Continuity at every node and month, written with the variables on the left and ``extra`` on the right.

        ``extra[n, t]`` is water added to node ``n`` in month ``t`` (zero unless a what-if asks for it). Keeping it
        alone on the right-hand side fixes each row's orientation, so the dual HiGHS reports for a row is the change
        in the optimum per km³ of extra water there (:meth:`water_values`); ``self.water_rows`` records which rows
        the extra water of a node and month enters.
        """
        m.balance = pyo.ConstraintList()
        m.end_storage = pyo.ConstraintList()
        self.water_rows: dict[tuple[str, int], list[tuple[pyo.ConstraintData, float]]] = {}
        last = 12 * self.n_years - 1
        for n in self.order:
            kind = self.graph.nodes[n]["kind"]
            if kind in (NodeKind.SINK, NodeKind.SPILL):
                continue
            for t in m.T:
                into, out, extra = self.inflow_to(m, n, t), self.outflow_of(m, n, t), m.extra[n, t]
                if kind is NodeKind.INFLOW:
                    rows = [m.balance.add(out == m.inflow[n, t] + extra)]
                elif kind is NodeKind.RESERVOIR:
                    before = self.node(n).initial_km3 if t == 0 else m.S[n, t - 1]
                    rows = [m.balance.add(m.S[n, t] - before - into + out == extra)]
                elif kind is NodeKind.DEMAND:
                    returned = self.returned_share(n)
                    rows = [m.balance.add(out - into + (1 - returned) * m.w[n, t] == extra)]
                    rows.append(m.balance.add(m.w[n, t] - into <= extra))
                else:
                    rows = [m.balance.add(out - into == extra)]
                self.water_rows[n, t] = [(row, 1.0) for row in rows]
            if kind is NodeKind.RESERVOIR:
                m.end_storage.add(m.S[n, last] >= self.node(n).initial_km3)
        m.ice = pyo.ConstraintList()
        for u, v, data in self.graph.edges(data=True):
            cap = data.get("winter_max_m3s")
            if cap is not None:
                for t in m.T:
                    if t % 12 in ICE_MONTHS:
                        m.ice.add(m.q[u, v, t] <= km3_per_month(cap, t))
        m.sink_flow = pyo.ConstraintList()
        for s in self.nodes_of(NodeKind.SINK):
            for y in m.Y:
                months = range(12 * y, 12 * y + 12)
                delivered = sum(self.inflow_to(m, s, t) for t in months)
                row = m.sink_flow.add(
                    delivered + m.short[s, y] >= m.sink_min[s, y] - sum(m.extra[s, t] for t in months)
                )
                for t in months:  # water reaching a sink counts towards its year's minimum, lowering the bound
                    self.water_rows[s, t] = [(row, -1.0)]

    def returned_share(self, zone: str) -> float:
        """The share of a zone's withdrawal that returns to the river: the zone's own figure, or the basin's."""
        own = self.node(zone).return_fraction
        return self.spec.return_fraction if own is None else own

    def _irrigation(self, m: pyo.ConcreteModel, demands: list[str], breakpoints: Sequence[float]) -> None:
        widths = [b - a for a, b in zip([0.0, *breakpoints[:-1]], breakpoints, strict=True)]
        m.seg_cap = pyo.Constraint(
            demands, m.T, m.K, rule=lambda _m, d, t, k: _m.seg[d, t, k] <= widths[k] * _m.demand[d, t]
        )
        m.seg_sum = pyo.Constraint(demands, m.T, rule=lambda _m, d, t: _m.w[d, t] == sum(_m.seg[d, t, k] for k in _m.K))

    def generation(self, m: pyo.ConcreteModel, country: str, t: int) -> pyo.Expression:
        return sum(
            1000 * self.node(p).kwh_per_m3 * m.turb[p, t]  # type: ignore[operator]
            for p in self.turbines
            if self.node(p).country == country
        )

    def _energy(self, m: pyo.ConcreteModel, turbines: list[str]) -> None:
        m.turbine_flow = pyo.ConstraintList()
        for p in turbines:
            for t in m.T:
                through = self.outflow_of(m, p, t)
                m.turbine_flow.add(m.turb[p, t] <= through)
        m.firm_served = pyo.Constraint(m.C, m.T, rule=lambda _m, c, t: _m.firm[c, t] <= _m.served[c, t])
        m.power_balance = pyo.Constraint(m.C, m.T, rule=lambda _m, c, t: self._power_balance(_m, c, t))
        cap = self.spec.grid.transmission_gwh_per_month
        m.trade_cap = pyo.Constraint(m.P, m.T, rule=lambda _m, a, b, t: _m.trade[a, b, t] <= cap * _m.trade_open[a, b])

    def _firm_gwh(self, c: str, t: int) -> float:
        """The firm part of a month's requirement: its shortage costs a premium, so deficits spread over months."""
        power = self.spec.power[c]
        return power.firm_share * power.requirement_gwh[t % 12]

    def _power_balance(self, m: pyo.ConcreteModel, c: str, t: int) -> pyo.Expression:
        """Energy at a country's power node: own hydro and thermal plus imports (less line loss) minus exports."""
        kept = 1 - self.spec.grid.transmission_loss
        imports = sum(m.trade[a, c, t] for a in self.spec.players if a != c)
        exports = sum(m.trade[c, b, t] for b in self.spec.players if b != c)
        supply = self.generation(m, c, t) + m.thermal[c, t] + kept * imports - exports
        return m.served[c, t] + m.surplus[c, t] == supply

    def release(self, m: pyo.ConcreteModel, r: str, t: int) -> pyo.Expression:
        return self.outflow_of(m, r, t)

    def _regime(self, m: pyo.ConcreteModel) -> None:
        """The Soviet irrigation regime on one reservoir, switched by the mutable ``regime_on`` (0 or 1).

        A switch rather than (de)activation keeps the rows in place: removing and re-adding them would reorder the
        LP and let HiGHS pick a different one of several optimal plans.
        """
        regime = self.spec.regime
        r = regime.reservoir
        m.regime_on = pyo.Param(mutable=True, initialize=0.0)
        m.regime = pyo.ConstraintList()
        if self.graph.nodes[r]["kind"] is not NodeKind.RESERVOIR:
            return
        for y in m.Y:
            months = range(12 * y, 12 * y + 12)
            summer = sum(self.release(m, r, t) for t in months if t % 12 in SUMMER)
            total = sum(self.release(m, r, t) for t in months)
            m.regime.add(summer - regime.summer_share_min * total >= -(1 - m.regime_on) * NO_LIMIT_KM3)
            if regime.winter_release_max_m3s is not None:
                for t in months:
                    if t % 12 in WINTER:
                        cap = km3_per_month(regime.winter_release_max_m3s, t)
                        m.regime.add(self.release(m, r, t) <= cap + (1 - m.regime_on) * NO_LIMIT_KM3)

    def holding_reservoirs(self) -> list[str]:
        """Reservoirs whose operator, acting alone, keeps its 1 October storage through the non-growing season."""
        return [r for r in self.nodes_of(NodeKind.RESERVOIR) if self.node(r).holds_winter_storage]

    def _winter_holding(self, m: pyo.ConcreteModel) -> None:
        """The unilateral winter rule of a downstream reservoir, switched per reservoir by the mutable ``hold_on``.

        Without an agreed upstream schedule the operator cannot bank on winter releases it has not been told of, so it
        does not empty its reservoir ahead of them: storage stays at or above its 1 October level from October to
        March. Water that then finds the reservoir full and the ice-bound channel at capacity can only spill.
        """
        held = self.holding_reservoirs()
        m.hold_on = pyo.Param(held, mutable=True, initialize=0.0)
        m.holding = pyo.ConstraintList()
        for r in held:
            floor = float(self.node(r).initial_km3 or 0.0)
            for t in m.T:
                if t % 12 in WINTER:
                    m.holding.add(m.S[r, t] >= m.hold_on[r] * floor)

    def _objective(self, m: pyo.ConcreteModel, values: Sequence[float]) -> pyo.Expression:
        total = 0
        for c in self.spec.players:
            total += (m.weight[c] + m.priority[c]) * self.energy_benefit(m, c)
            total += m.weight[c] * (self.irrigation_benefit(m, c, values) - self.penalty(m, c))
        held = [(r, t) for r in self.nodes_of(NodeKind.RESERVOIR) for t in m.T if t % 12 in WINTER]
        return total - sum(m.keep_cost[r] * m.S[r, t] for r, t in held)

    # -- benefit accounting (shared by the objective and the reports) ------------------------------------------
    def irrigation_benefit(self, m: pyo.ConcreteModel, c: str, values: Sequence[float]) -> pyo.Expression:
        zones = [d for d in self.nodes_of(NodeKind.DEMAND) if self.node(d).country == c]
        return sum(1000 * values[k] * m.seg[d, t, k] for d in zones for t in m.T for k in m.K)

    def energy_benefit(self, m: pyo.ConcreteModel, c: str) -> pyo.Expression:
        power = self.spec.power[c]
        return sum(
            power.requirement_value_usd_per_kwh * m.served[c, t]
            + power.firm_premium_usd_per_kwh * m.firm[c, t]
            + power.surplus_value_usd_per_kwh * m.surplus[c, t]
            - power.thermal_usd_per_kwh * m.thermal[c, t]
            for t in m.T
        )

    def penalty(self, m: pyo.ConcreteModel, c: str) -> pyo.Expression:
        total = 0
        for s in self.nodes_of(NodeKind.SPILL):
            node = self.node(s)
            if (node.charged_to or node.country) == c:
                total += 1000 * node.penalty_usd_per_m3 * sum(self.inflow_to(m, s, t) for t in m.T)  # type: ignore[operator]
        for s in self.nodes_of(NodeKind.SINK):
            node = self.node(s)
            if (node.charged_to or node.country) == c:
                total += 1000 * node.penalty_usd_per_m3 * sum(m.short[s, y] for y in m.Y)  # type: ignore[operator]
        return total

    # -- solving --------------------------------------------------------------------------------------------------
    def solve(
        self,
        years: Sequence[str],
        *,
        weights: Mapping[str, float] | None = None,
        priority: Mapping[str, float] | None = None,
        regime: bool = False,
        trading: Iterable[str] = (),
        fixed: tuple[Iterable[str], Solution] | None = None,
        holding: Iterable[str] = (),
        free: Iterable[str] = (),
        keep_cost: Mapping[str, float] | None = None,
        extra_water: Mapping[tuple[str, int], float] | None = None,
        water_values: bool = False,
    ) -> Solution:
        """Solve for the given year types with country weights, energy priorities, regime and fixed strategies.

        ``fixed=(countries, solution)`` holds those countries at their strategies in ``solution``: their reservoirs'
        storage paths and their zones' withdrawals (the coalition game's non-members), except the reservoirs and zones
        in ``free``, which are left to this solve. Energy trade (the 1998 water-for-energy barter) is open between
        the countries in ``trading`` only. The reservoirs in ``holding``
        keep their 1 October storage through the non-growing season (the unilateral winter rule). ``keep_cost``
        (M US$ per km³ and winter month) makes an operator pass on winter water that is worth nothing to it rather than
        hold it. ``extra_water`` adds km³ to a node in a month, ``{("toktogul", 3): 1.0}`` being one more km³ at
        Toktogul in January of the first year; ``water_values`` reads the value of such water from the duals.
        """
        if len(years) != self.n_years:
            raise RefusedInput(f"expected {self.n_years} year types, got {len(years)}")
        with self._lock:
            m = self.model
            self._set_hydrology(m, years)
            for c in self.spec.players:
                m.weight[c] = (weights or {}).get(c, 1.0)
                m.priority[c] = (priority or {}).get(c, 0.0)
            m.regime_on = 1.0 if regime else 0.0
            for r in m.keep_cost:
                m.keep_cost[r] = (keep_cost or {}).get(r, 0.0)
            held = set(holding)
            for r in m.hold_on:
                m.hold_on[r] = 1.0 if r in held else 0.0
            traders = set(trading)
            for a, b in m.P:
                m.trade_open[a, b] = 1.0 if a in traders and b in traders else 0.0
            self._fix(m, fixed, set(free))
            self._add_water(m, extra_water or {})
            self._forget_basis()
            result = self.solver.solve(m)
            if result.termination_condition.name != "optimal":
                raise RefusedInput(f"basin {self.spec.name}: the LP is {result.termination_condition.name}")
            result.solution_loader.load_vars()
            values = self.water_values(result.solution_loader) if water_values else None
            return Solution.read(self, years, water_values=values)

    def _add_water(self, m: pyo.ConcreteModel, extra: Mapping[tuple[str, int], float]) -> None:
        unknown = [key for key in extra if key not in m.extra]
        if unknown:
            raise RefusedInput(
                f"basin {self.spec.name}: cannot add water at {unknown[0]}",
                hint="give a node other than a spill and a month index within the horizon",
            )
        for key in self._extra_set - set(extra):  # only what the last what-if touched goes back to zero
            m.extra[key] = 0.0
        for key, km3 in extra.items():
            m.extra[key] = km3
        self._extra_set = set(extra)

    def water_values(self, loader: Any) -> dict[str, np.ndarray]:
        """The value of one more m³ at each node in each month, in US$ per m³, from the solved LP's duals.

        For a maximisation HiGHS reports a row's dual as the change in the optimum per unit of its right-hand side;
        extra water enters each row of :attr:`water_rows` with the sign recorded there, and the objective is in M US$
        over volumes in km³, so M US$ per km³ ÷ 1000 = US$ per m³. Sign: positive means the water is worth having,
        negative that it costs (it can only spill, or floods a channel). Where the optimum has several dual
        solutions (a degenerate plan) HiGHS reports one of them, a value between the worth of one m³ less and one m³
        more.
        """
        duals = loader.get_duals(cons_to_load=[row for rows in self.water_rows.values() for row, _ in rows])
        values: dict[str, np.ndarray] = {}
        horizon = 12 * self.n_years
        for node in dict.fromkeys(n for n, _ in self.water_rows):
            by_month = [sum(sign * duals[row] for row, sign in self.water_rows[node, t]) for t in range(horizon)]
            values[node] = np.array(by_month, dtype=float) / 1000
        return values

    def _forget_basis(self) -> None:
        """Start HiGHS cold so a solve does not depend on what was solved before.

        The energy regime and coalition LPs have alternative optima; a warm start from the previous basis could pick
        a different one and make the characteristic function depend on the order of requests.
        """
        highs = getattr(self.solver, "_solver_model", None)
        if highs is not None:
            highs.clearSolver()

    def _set_hydrology(self, m: pyo.ConcreteModel, years: Sequence[str]) -> None:
        econ = load_economics()
        shares = econ.irrigation.month_shares()
        for y, year in enumerate(years):
            factor = econ.year_factor(year)
            for s in self.nodes_of(NodeKind.SINK):
                node = self.node(s)
                dry = node.min_km3_dry if node.min_km3_dry is not None else node.min_km3
                m.sink_min[s, y] = dry if year == "dry" else node.min_km3
            for t in range(12 * y, 12 * y + 12):
                for i in self.nodes_of(NodeKind.INFLOW):
                    node = self.node(i)
                    m.inflow[i, t] = factor * node.annual_km3 * self.spec.profiles[node.profile].shares[t % 12]  # type: ignore[index,operator]
                for d in self.nodes_of(NodeKind.DEMAND):
                    node = self.node(d)
                    season = node.nongrowing_km3 if t % 12 in WINTER else node.growing_km3
                    wanted = season * shares[t % 12]  # type: ignore[operator]
                    intake = km3_per_month(node.max_m3s, t) if node.max_m3s is not None else wanted
                    m.demand[d, t] = min(wanted, intake)  # a canal takes no more than its design discharge

    def _fix(self, m: pyo.ConcreteModel, fixed: tuple[Iterable[str], Solution] | None, free: set[str]) -> None:
        m.S.unfix()
        m.w.unfix()
        if fixed is None:
            return
        countries, solution = set(fixed[0]), fixed[1]
        for r in self.nodes_of(NodeKind.RESERVOIR):
            if self.node(r).country in countries and r not in free:
                live = float(self.node(r).live_km3 or 0.0)
                for t in m.T:  # clipped: a solver's answer can sit a rounding error outside the bounds
                    m.S[r, t].fix(min(max(float(solution.storage[r][t]), 0.0), live))
        for d in self.nodes_of(NodeKind.DEMAND):
            if self.node(d).country in countries and d not in free:
                for t in m.T:
                    m.w[d, t].fix(max(float(solution.withdrawal[d][t]), 0.0))
