"""Published results: Elmira (three encodings), Prisoner's Dilemma and Chicken, by both implementations."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from prevdip.gmcr import (
    CONCEPTS,
    GraphModel,
    all_coalition_improvements,
    analyse_stability,
    analyze,
    load_case,
    load_model,
    matrix_stability,
    status_quo,
)

DATA = Path(__file__).parent / "data"

# Reference §3.3: stable states per decision maker (MoE, UR, LG) and concept, states 1-9.
ELMIRA_STABLE = {
    "nash": {"MoE": "123456789", "UR": "14589", "LG": "56789"},
    "gmr": {"MoE": "123456789", "UR": "14589", "LG": "123456789"},
    "smr": {"MoE": "123456789", "UR": "14589", "LG": "123456789"},
    "seq": {"MoE": "123456789", "UR": "14589", "LG": "2356789"},
}
ELMIRA_EQUILIBRIA = {"nash": "589", "gmr": "14589", "smr": "14589", "seq": "589"}


def elmira_graph_form() -> dict[str, object]:
    """Elmira from the Xu (2007) payoff vectors, written as a graph-form file."""
    payoffs = {
        "MoE": [4, 3, 8, 7, 5, 2, 9, 6, 1],
        "UR": [9, 2, 4, 8, 6, 1, 3, 7, 5],
        "LG": [6, 2, 8, 3, 7, 4, 9, 5, 1],
    }
    return {
        "name": "Elmira (graph form)",
        "form": "graph",
        "decision_makers": ["MoE", "UR", "LG"],
        "states": [str(s) for s in range(1, 10)],
        "moves": {
            "MoE": [["1", "2"], ["3", "4"], ["5", "6"], ["7", "8"]],
            "UR": [["1", "3"], ["2", "4"], ["5", "7"], ["6", "8"]] + [[str(s), "9"] for s in range(1, 9)],
            "LG": [[a, b] for x, y in (("1", "5"), ("2", "6"), ("3", "7"), ("4", "8")) for a, b in ((x, y), (y, x))],
        },
        "preferences": {dm: {str(s + 1): v for s, v in enumerate(p)} for dm, p in payoffs.items()},
    }


def _check_elmira(model: GraphModel) -> None:
    for stability in (analyse_stability(model), matrix_stability(model)):
        for concept, per_dm in ELMIRA_STABLE.items():
            for dm, states in per_dm.items():
                got = [model.states[s] for s in np.flatnonzero(stability.stable[concept][model.dm_index(dm)])]
                assert got == list(states), (concept, dm)
            assert [model.states[s] for s in np.flatnonzero(stability.equilibria(concept))] == list(
                ELMIRA_EQUILIBRIA[concept]
            )


def test_elmira_option_form_case_reproduces_published_tables() -> None:
    model = load_case("elmira")
    assert model.m == 9
    assert model.options is not None and model.options.vectors[8] == "-NNY-"
    _check_elmira(model)


def test_elmira_graph_form_from_payoff_vectors_agrees() -> None:
    _check_elmira(load_model(elmira_graph_form()))


def test_elmira_unilateral_improvements_and_the_moe_ur_coalition() -> None:
    model = load_case("elmira")
    ups = model.improvements()
    ur = {model.states[s]: [model.states[t] for t in ups[1].targets(s)] for s in range(9)}
    assert {k: v for k, v in ur.items() if v} == {"2": ["4", "9"], "3": ["9"], "6": ["8", "9"], "7": ["9"]}
    assert all(ups[0].targets(s).size == 0 for s in range(9))  # MoE has no improvement anywhere
    from_5 = all_coalition_improvements(model, model.state_index("5"))
    assert from_5["MoE+UR"] == [model.state_index("8")]
    for state in ("4", "8", "9"):
        assert not any(all_coalition_improvements(model, model.state_index(state)).values())


def test_elmira_status_quo_reaches_the_historical_outcome_through_the_coalition() -> None:
    result = status_quo(load_case("elmira"), "1")
    assert result["from"] == "1"
    assert result["reachable_equilibria"]["nash"] == ["5", "8"]
    assert result["reachable_equilibria"]["gmr"] == ["1", "5", "8"]
    assert ["1", "5", "8"] in result["paths"] and ["1", "5"] in result["paths"]
    assert result["coalition_improvements"]["MoE+LG"] == ["5"]
    assert status_quo(load_case("elmira"), "5")["coalition_improvements"]["MoE+UR"] == ["8"]


def test_gmcr_plus_twelve_state_elmira_maps_to_the_published_equilibria() -> None:
    model = load_model(json.loads((DATA / "elmira12.gmcr").read_text()))
    assert model.m == 12 and model.decision_makers == ("MoE", "Uniroyal", "Local Government")
    result = analyze(model, explain=False, robustness=False)
    assert result.equilibria("nash") == result.equilibria("seq") == ["5", "6", "7", "10", "11", "12"]
    assert result.equilibria("gmr") == result.equilibria("smr") == ["1", "4", "5", "6", "7", "10", "11", "12"]
    matrix = matrix_stability(model)
    for concept in CONCEPTS:
        assert np.array_equal(matrix.stable[concept], result.stability.stable[concept])


def test_gmcr_plus_prioritisation_reproduces_the_manual_rankings_outside_abandon() -> None:
    data = json.loads((DATA / "elmira12.gmcr").read_text())
    manual = load_model(data)
    data["useManualPreferenceRanking"] = False
    prioritised = load_model(data)
    kept = [manual.state_index(s) for s in ("1", "2", "3", "4", "7", "8", "9", "10")]
    for i in range(3):
        a, b = manual.payoffs[i][kept], prioritised.payoffs[i][kept]
        assert np.array_equal(np.sign(a[:, None] - a[None, :]), np.sign(b[:, None] - b[None, :]))


def test_gmcr_plus_file_loads_from_disk() -> None:
    model = load_model(DATA / "elmira12.gmcr")
    assert model.options is not None and model.options.names == ("Modify", "Delay", "Accept", "Abandon", "Insist")
    assert model.options.vectors[0] == "NYNNN"  # state 1 has code 2: Delay only


@pytest.mark.parametrize(
    ("case", "stable", "equilibria"),
    [
        (
            "prisoners-dilemma",
            {
                "nash": (["2", "4"], ["3", "4"]),
                "gmr": (["1", "2", "4"], ["1", "3", "4"]),
                "smr": (["1", "2", "4"], ["1", "3", "4"]),
                "seq": (["1", "2", "4"], ["1", "3", "4"]),
            },
            {"nash": ["4"], "gmr": ["1", "4"], "smr": ["1", "4"], "seq": ["1", "4"]},
        ),
        (
            "chicken",
            {
                "nash": (["2", "3"], ["2", "3"]),
                "gmr": (["1", "2", "3"], ["1", "2", "3"]),
                "smr": (["1", "2", "3"], ["1", "2", "3"]),
                "seq": (["2", "3"], ["2", "3"]),
            },
            {"nash": ["2", "3"], "gmr": ["1", "2", "3"], "smr": ["1", "2", "3"], "seq": ["2", "3"]},
        ),
    ],
)
def test_two_by_two_games(case: str, stable: dict[str, tuple[list[str], list[str]]], equilibria: dict) -> None:
    model = load_case(case)
    report = analyze(model).as_dict()
    for concept, (dm1, dm2) in stable.items():
        assert report["stability"][concept] == {"DM1": dm1, "DM2": dm2}
    assert report["equilibria"] == equilibria
    matrix = matrix_stability(model)
    for concept in CONCEPTS:
        assert np.array_equal(matrix.stable[concept], analyse_stability(model).stable[concept])
