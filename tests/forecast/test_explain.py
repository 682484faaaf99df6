"""What moved a forecast since last month: the model re-scored with last month's value of each input."""

from __future__ import annotations

from pathlib import Path

import pytest

from prevdip.briefs.locale import explanation_line, probability
from prevdip.forecast import TargetPanel, registry
from prevdip.forecast.explain import WINDOW, explain


@pytest.fixture(scope="module")
def september_2022(panel: TargetPanel, bundle: Path) -> dict[str, dict]:
    """Forecasts issued with data to September 2022, the month of the Kyrgyz–Tajik border war."""
    forecasters = registry(bundle)
    return explain(forecasters["ensemble"], forecasters, panel, panel.month_index("2022-09"), 1)


@pytest.mark.slow
def test_the_border_war_raised_the_risk_and_says_why(september_2022: dict[str, dict], panel: TargetPanel) -> None:
    for unit in ("KGZ", "TJK"):
        e = september_2022[unit]
        assert e["p_now"] > e["p_before"] + 0.05  # deaths in September 2022 raise October's risk
        features = [d["feature"] for d in e["drivers"]]
        assert WINDOW in features or "log_deaths_lag0" in features
        assert all(d["p_change"] > 0 for d in e["drivers"] if d["feature"] in (WINDOW, "log_deaths_lag0"))
    assert set(september_2022) == set(panel.units)
    kaz = september_2022["KAZ"]
    assert 0 < kaz["p_now"] < 0.05  # a state UCDP never recorded a death in still gets a forecast


@pytest.mark.slow
def test_a_unit_whose_inputs_did_not_move_has_no_drivers(panel: TargetPanel, bundle: Path) -> None:
    forecasters = registry(bundle)
    frozen = panel.with_values(panel.values.copy())
    origin = panel.month_index("2022-09")
    frozen.values[:, origin] = frozen.values[:, origin - 1]  # the origin month repeats the month before
    e = explain(forecasters["conflictology12"], forecasters, frozen, origin, 1)
    moved = [u for u, x in e.items() if x["drivers"]]
    changed = [u for i, u in enumerate(frozen.units) if frozen.values[i, origin - 12] != frozen.values[i, origin]]
    assert set(moved) <= set(changed)  # only the month that left the 12-month window can move conflictology12


def test_probabilities_are_never_shown_as_certain() -> None:
    assert [probability(p) for p in (0.0, 0.004, 0.005, 0.14, 0.994, 0.995, 1.0)] == [
        "<1%", "<1%", "<1%", "14%", "99%", ">99%", ">99%"
    ]  # fmt: skip
    assert probability(None) == "—"


def test_the_brief_line_names_the_direction_and_the_drivers() -> None:
    explanation = {
        "p_now": 0.14, "p_before": 0.09, "median_now": 0.0, "median_before": 0.0,
        "drivers": [{"feature": "log_deaths_lag0", "words": "deaths last month", "p_change": 0.04, "median_change": 0},
                    {"feature": "neighbours_decay1", "words": "neighbours' violence", "p_change": 0.01,
                     "median_change": 0}],
    }  # fmt: skip
    line = explanation_line("Tajikistan", explanation)
    assert line == "Risk in Tajikistan rose from 9% to 14%: deaths last month, neighbours' violence"
    assert explanation_line("Tajikistan", {**explanation, "p_now": 0.0001, "p_before": 0.0002}) == (
        "Risk in Tajikistan held at <1%"
    )
    assert explanation_line("Таджикистан", explanation, "ru").startswith("Риск в Таджикистан вырос с 9% до 14%: ")
    assert explanation_line("Tajikistan", None) is None
