"""The value of water: the basin LP's duals against finite differences of its optimum, on the shipped basins.

For a maximisation the optimum is concave in the water added at a node, so whatever dual HiGHS reports must lie
between the worth of the last m³ taken away and of the next m³ added; where the two agree (the optimal basis does not
change within ±ε) the dual must equal them. Each check re-solves the very LP the scenario reports, with ε km³ more and
less at one node and month (``extra_water``).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from typer.testing import CliRunner

from prevdip.cli.app import app
from prevdip.errors import RefusedInput
from prevdip.water import solve_basin
from prevdip.water.model import BasinLP
from prevdip.water.noncooperative import holding
from prevdip.water.scenarios import basin_lp
from prevdip.water.solution import Solution
from prevdip.water.spec import MONTHS

EPS = 0.01  # km³: small against monthly flows of 0.1–5 km³
TOL = 1e-4  # US$ per m³ (0.1 M US$ per km³): far above HiGHS's tolerances over ε, far below any value that matters
JANUARY, AUGUST = MONTHS.index("Jan"), MONTHS.index("Aug")

Solve = Callable[..., Solution]


def scenario_lp(basin: str, scenario: str, year: str, planned: tuple[str, ...] = ()) -> tuple[Solution, Solve]:
    """The scenario's reported solution and a function that re-solves the same LP with water added."""
    reported = solve_basin(basin, scenario, year, planned=planned, effect=False).solution
    lp: BasinLP = basin_lp(basin, frozenset(planned), 1)
    players = lp.spec.players
    if scenario == "cooperative":
        return reported, lambda **kw: lp.solve([year], trading=players, **kw)
    if scenario == "irrigation":
        return reported, lambda **kw: lp.solve([year], regime=True, trading=players, **kw)
    # the energy regime's values come from its last LP, every strategy held at the reported plan
    return reported, lambda **kw: lp.solve([year], fixed=(players, reported), holding=holding(lp), **kw)


def worth(solve: Solve, base: float, node: str, month: int) -> tuple[float | None, float]:
    """US$ per m³ of the last ε km³ (None when taking it away is infeasible) and of the next ε km³ at a node."""
    more = (solve(extra_water={(node, month): EPS}).total - base) / EPS / 1000
    try:
        less = (base - solve(extra_water={(node, month): -EPS}).total) / EPS / 1000
    except RefusedInput:  # e.g. a withdrawal held at its plan needs the water
        less = None
    return less, more


# The last number is the share of points that must be smooth (left and right worth equal). With every strategy
# held, the energy regime's last LP is degenerate almost everywhere: one m³ less leaves a held withdrawal or energy
# requirement short, one m³ more can only be turbined or spilled, so its values are bracketed, not derivatives.
CASES = [
    ("syr-darya", "cooperative", "normal", (), 0.5),
    ("syr-darya", "irrigation", "dry", (), 0.5),
    ("syr-darya", "energy", "wet", (), 0.0),
    ("amu-darya", "cooperative", "dry", ("qosh_tepa",), 0.5),
    ("amu-darya", "cooperative", "normal", ("qosh_tepa",), 0.5),
]


@pytest.mark.slow  # about 90 re-solves per case; the two quoted values are checked in the fast suite below
@pytest.mark.parametrize(("basin", "scenario", "year", "planned", "smooth_share"), CASES)
def test_duals_agree_with_finite_differences(
    basin: str, scenario: str, year: str, planned: tuple[str, ...], smooth_share: float
) -> None:
    reported, solve = scenario_lp(basin, scenario, year, planned)
    values = reported.water_values
    assert values is not None
    base = solve().total
    assert base == pytest.approx(reported.total, abs=1e-6)  # the re-solved LP is the one the scenario reports
    smooth = 0
    points = [(node, month) for node in values for month in (JANUARY, AUGUST)]
    for node, month in points:
        less, more = worth(solve, base, node, month)
        dual = float(values[node][month])
        assert more - TOL <= dual, f"{node} month {month}: dual {dual} below the next m³'s worth {more}"
        if less is None:
            continue
        assert dual <= less + TOL, f"{node} month {month}: dual {dual} above the last m³'s worth {less}"
        if abs(less - more) < TOL:  # the basis does not change within ±ε: the dual is the derivative
            smooth += 1
            assert dual == pytest.approx(more, abs=TOL)
    assert smooth >= smooth_share * len(points)  # most points of a single LP are checked exactly, not only bracketed


def test_toktogul_in_january_and_the_delta_in_august_are_priced_exactly() -> None:
    """The two values the centre quotes, each checked against a re-solve with one more and one less unit of water."""
    for basin, node, month, planned in (
        ("syr-darya", "toktogul", JANUARY, ()),
        ("amu-darya", "aral_delta", AUGUST, ("qosh_tepa",)),
    ):
        reported, solve = scenario_lp(basin, "cooperative", "normal", planned)
        less, more = worth(solve, solve().total, node, month)
        assert less == pytest.approx(more, abs=TOL)
        assert reported.water_values is not None
        assert float(reported.water_values[node][month]) == pytest.approx(more, abs=TOL)
        assert more > 0.01  # scarce water: worth more than a cent per m³


def test_qosh_tepa_makes_water_at_the_delta_scarce() -> None:
    """In a normal year the delta's minimum is met with room to spare, so more water there is worth nothing; the
    canal's diversion brings the delta down to its minimum, and water there takes the value of irrigation."""
    without = solve_basin("amu-darya", "cooperative", "normal").as_dict()["water_values"]["aral_delta"]
    with_canal = solve_basin("amu-darya", "cooperative", "normal", planned=["qosh_tepa"], effect=False).as_dict()
    assert max(abs(v) for v in without) < 1e-9
    assert min(with_canal["water_values"]["aral_delta"]) > 0.03
    assert with_canal["terminal_inflow_km3"]["aral_delta"] == pytest.approx(4.2, abs=0.05)  # the ICWC minimum


def test_winter_water_that_can_only_spill_has_a_negative_value() -> None:
    """Non-cooperative regime, wet year: in the ice months Chardara is full and the channel below at capacity, so
    one more m³ there goes to Arnasai and costs its spill penalty (0.02 US$ per m³)."""
    values = solve_basin("syr-darya", "energy", "wet").as_dict()["water_values"]["chardara"]
    assert values[MONTHS.index("Dec")] == pytest.approx(-0.02, abs=1e-6)
    assert min(values) < 0 <= max(values)


def test_water_values_in_the_basin_json() -> None:
    result = CliRunner().invoke(app, ["water", "basin", "syr-darya", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    values = data["water_values"]
    assert {"toktogul", "chardara", "north_aral", "kaz_lower_syr"} <= set(values)
    assert "arnasai" not in values  # a spill's water is worth minus its penalty by construction; not a balance
    assert all(len(by_month) == 12 and all(isinstance(v, float) for v in by_month) for by_month in values.values())
    assert "US$ per m³" in data["units"] and "cooperative plan" in data["water_values_basis"]
    assert data["names"]["toktogul"] == "Toktogul" and data["reservoirs"]["toktogul"]["name"] == "Toktogul"


def test_water_cannot_be_added_where_there_is_no_balance() -> None:
    lp = basin_lp("syr-darya")
    with pytest.raises(RefusedInput, match="cannot add water at"):
        lp.solve(["normal"], extra_water={("arnasai", 0): 1.0})
    with pytest.raises(RefusedInput, match="cannot add water at"):
        lp.solve(["normal"], extra_water={("toktogul", 12): 1.0})
