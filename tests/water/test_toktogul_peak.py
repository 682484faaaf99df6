"""Why Toktogul's winter peak is 609 m³/s in a normal year of the energy regime, against a published 700–750.

What this pins (docs/water.md §4): in a normal year the peak is set by Kyrgyzstan's January requirement, not by
water, turbines, a release cap or prices. January's release is exactly the 1,500 GWh requirement over the Naryn
cascade's 0.92 kWh per m³; the Kyrgyz requirement takes the year's whole inflow (11.3 TWh ÷ 0.92 = 12.3 km³), so no
water is left to raise it; neither set of turbines is full; no winter cap applies in the energy regime; and surplus
energy is worth the same in every month, so nothing pays for releasing more in winter. The published 700–750 m³/s
came in winters when Kyrgyzstan drew Toktogul below what the year refills (690 m³/s over February 2024 as storage
fell 1.34 km³ in the month, centralasia24), which the model's rule of ending the year at its 1 October storage
rules out. A normal December is reproduced: 588 m³/s, "within the norm" on 13 December 2017 (Kazhydromet).
"""

from __future__ import annotations

import pytest

from prevdip.water import load_basin, solve_basin
from prevdip.water.model import km3_per_month
from prevdip.water.spec import MONTHS, WINTER

JANUARY, DECEMBER = MONTHS.index("Jan"), MONTHS.index("Dec")


@pytest.fixture(scope="module")
def normal() -> tuple[dict, object]:
    result = solve_basin("syr-darya", "energy", "normal")
    return result.as_dict(), result.solution


def cascade_kwh_per_m3() -> float:
    spec = load_basin("syr-darya")
    return float((spec.node("toktogul").kwh_per_m3 or 0.0) + (spec.node("lower_naryn_cascade").kwh_per_m3 or 0.0))


def test_the_peak_is_january_and_equals_the_january_requirement_over_the_cascade(normal: tuple) -> None:
    report, _ = normal
    release = report["reservoirs"]["toktogul"]["release_m3s_by_month"]
    assert max(release[:6]) == release[JANUARY] == pytest.approx(608.7, abs=0.1)
    requirement_gwh = load_basin("syr-darya").power["KGZ"].requirement_gwh[JANUARY]
    needed_km3 = requirement_gwh / (1000 * cascade_kwh_per_m3())
    assert km3_per_month(release[JANUARY], JANUARY) == pytest.approx(needed_km3, rel=1e-3)


def test_the_kyrgyz_requirement_takes_the_whole_year_of_water(normal: tuple) -> None:
    _, solution = normal
    spec = load_basin("syr-darya")
    requirement = spec.power["KGZ"].requirement_gwh
    assert list(solution.served_gwh["KGZ"]) == pytest.approx(requirement, abs=1e-6)  # every month served, no more
    assert sum(requirement) / (1000 * cascade_kwh_per_m3()) == pytest.approx(spec.node("naryn").annual_km3, rel=0.01)
    storage = solution.storage["toktogul"]
    assert storage[-1] == pytest.approx(spec.node("toktogul").initial_km3, abs=1e-6)  # ends where it began


def test_neither_turbines_nor_a_winter_cap_nor_prices_hold_the_peak_down(normal: tuple) -> None:
    report, _ = normal
    spec = load_basin("syr-darya")
    peak = report["reservoirs"]["toktogul"]["release_m3s_by_month"][JANUARY]
    turbine_limits = {
        plant: (spec.node(plant).capacity_mw or 0.0) * 1000 / (spec.node(plant).kwh_per_m3 or 1.0) / 3600
        for plant in ("toktogul", "lower_naryn_cascade")
    }
    assert turbine_limits["toktogul"] == pytest.approx(900.9, abs=0.1)
    assert turbine_limits["lower_naryn_cascade"] == pytest.approx(843.4, abs=0.1)
    assert peak < min(turbine_limits.values()) - 200
    assert spec.regime.winter_release_max_m3s == 180.0  # the Soviet cap exists, and is off in the energy regime
    assert peak > spec.regime.winter_release_max_m3s
    assert spec.power["KGZ"].surplus_value_usd_per_kwh == 0.02  # one price for surplus energy in every month


def test_a_normal_december_is_the_published_norm(normal: tuple) -> None:
    report, _ = normal
    december = report["reservoirs"]["toktogul"]["release_m3s_by_month"][DECEMBER]
    assert december == pytest.approx(588.0, rel=0.02)  # Kazhydromet, 13 December 2017: 588 m³/s, "within the norm"


def test_a_wet_year_has_the_water_for_the_record_peak_up_to_the_cascade_turbines() -> None:
    """With 20 % more water than Kyrgyzstan needs, the surplus goes through the turbines in winter; the lower Naryn
    cascade's 1,670 MW at 0.55 kWh per m³ (843 m³/s) is then the ceiling."""
    release = solve_basin("syr-darya", "energy", "wet").as_dict()["reservoirs"]["toktogul"]["release_m3s_by_month"]
    winter_peak = max(release[t] for t in WINTER)
    assert 750.0 < winter_peak <= 843.4 + 0.5
