"""The basin LP against brute-force enumeration on a network small enough to search exhaustively.

One reservoir is filled by an October flood; its water can serve a January energy requirement through the turbines
or a downstream irrigation zone in April–September. The LP's optimum of a piecewise-linear concave problem lies where
each summer month's delivery sits on a breakpoint of the value curve, so enumerating those breakpoints (and giving the
rest to January up to the requirement) finds the exact optimum independently of the LP.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

from prevdip.water.model import BasinLP
from prevdip.water.spec import BasinSpec, load_economics

SRC = "test network"


def tiny_spec(volume: float, requirement_gwh: float, kwh_per_m3: float, capacity_mw: float) -> BasinSpec:
    shares = [1.0] + [0.0] * 11
    power = {
        "requirement_gwh": [0, 0, 0, requirement_gwh, 0, 0, 0, 0, 0, 0, 0, 0],
        "requirement_value_usd_per_kwh": 0.12,
        "surplus_value_usd_per_kwh": 0.0,
        "source": SRC,
    }
    data: dict[str, Any] = {
        "name": "tiny",
        "title": "Tiny",
        "data_version": "test",
        "players": ["AAA"],
        "upstream": ["AAA"],
        "return_fraction": 0.0,
        "return_fraction_source": SRC,
        "regime": {"reservoir": "dam", "summer_share_min": 0.75, "source": SRC},
        "grid": {"transmission_loss": 0.1, "transmission_gwh_per_month": 0.0, "source": SRC},
        "profiles": {"flood": {"shares": shares, "source": SRC}},
        "nodes": [
            {
                "id": "river",
                "kind": "inflow",
                "country": "AAA",
                "annual_km3": volume,
                "profile": "flood",
                "source": SRC,
            },
            {
                "id": "dam",
                "kind": "reservoir",
                "country": "AAA",
                "live_km3": volume,
                "initial_km3": 0.0,
                "capacity_mw": capacity_mw,
                "kwh_per_m3": kwh_per_m3,
                "source": SRC,
            },
            {
                "id": "farm",
                "kind": "demand",
                "country": "AAA",
                "growing_km3": 0.5,
                "nongrowing_km3": 0.0,
                "source": SRC,
            },
            {"id": "sea", "kind": "sink", "country": "AAA", "min_km3": 0.0, "penalty_usd_per_m3": 0.0, "source": SRC},
        ],
        "edges": [{"from": "river", "to": "dam"}, {"from": "dam", "to": "farm"}, {"from": "farm", "to": "sea"}],
        "power": {"AAA": power},
    }
    return BasinSpec.model_validate(data)


def brute_force(spec: BasinSpec, lp: BasinLP) -> float:
    econ = load_economics().irrigation
    breakpoints, values = [0.0, *econ.breakpoints], econ.usd_per_m3
    demand = [0.5 * s for s in econ.monthly["growing"]]
    dam = spec.node("dam")
    volume = spec.node("river").annual_km3 or 0.0
    january_cap = lp._turbine_km3("dam", 3)
    requirement = spec.power["AAA"].requirement_gwh[3]
    best = -np.inf
    for levels in itertools.product(breakpoints, repeat=len(demand)):
        summer = [f * d for f, d in zip(levels, demand, strict=True)]
        left = volume - sum(summer)
        if left < -1e-12:
            continue
        january = min(left, january_cap)
        energy = min(1000 * (dam.kwh_per_m3 or 0.0) * january, requirement)
        irrigation = 0.0
        for f, d in zip(levels, demand, strict=True):
            for k, value in enumerate(values):
                irrigation += 1000 * value * d * max(0.0, min(f, breakpoints[k + 1]) - breakpoints[k])
        best = max(best, irrigation + 0.12 * energy)
    return best


@pytest.mark.parametrize(
    ("volume", "requirement", "kwh", "mw"),
    [(0.4, 100.0, 0.5, 1000.0), (0.6, 300.0, 0.5, 1000.0), (0.3, 400.0, 0.8, 150.0), (1.0, 50.0, 0.2, 2000.0)],
)
def test_lp_optimum_equals_brute_force(volume: float, requirement: float, kwh: float, mw: float) -> None:
    spec = tiny_spec(volume, requirement, kwh, mw)
    lp = BasinLP(spec)
    solution = lp.solve(["normal"])
    assert solution.total == pytest.approx(brute_force(spec, lp), abs=1e-6)
    assert solution.mass_balance_error_km3() == pytest.approx(0.0, abs=1e-7)
