"""Coalition analysis: the published Elmira coalition, and the two implementations of coalitional stability (bit rows
and reach minima; dense matrix formulas) agreeing with each other and with the definitions on random models."""

from __future__ import annotations

import numpy as np
from gmcr_models import graph_models, option_models
from hypothesis import given, settings

from prevdip.gmcr import GraphModel, analyse_stability, analyze, load_case
from prevdip.gmcr.coalition_matrix import matrix_coalition_stability
from prevdip.gmcr.coalition_reach import coalition_reach
from prevdip.gmcr.coalition_stability import coalition_stability
from prevdip.gmcr.coalitions import JointImprovements, coalition_improvements, coalitions
from prevdip.gmcr.reachability import all_moves, reachable_states
from prevdip.gmcr.stability import CONCEPTS

SETTINGS = settings(max_examples=60, deadline=None)


def _labels(model: GraphModel, states: list[int] | np.ndarray) -> list[str]:
    return [model.states[s] for s in states]


def test_elmira_moe_and_ur_reach_6_to_9_from_5_and_jointly_improve_only_to_8() -> None:
    """Reference §3.3 (Kilgour, Hipel, Fang & Peng 2001's reading of Elmira): from 5 the coalition {MoE, UR} can reach
    {6, 7, 8, 9}; its only joint improvement is 8 (5 -> 6 MoE modifies, -> 8 UR accepts)."""
    model = load_case("elmira")
    moe_ur = (model.dm_index("MoE"), model.dm_index("UR"))
    five = model.state_index("5")
    table = coalition_reach(all_moves(model), model.m)  # all three: a superset, as a sanity check below
    pair = coalition_reach([all_moves(model)[i] for i in moe_ur], model.m)
    assert _labels(model, np.flatnonzero(pair.row(five))) == ["6", "7", "8", "9"]
    assert set(np.flatnonzero(pair.row(five))) <= set(np.flatnonzero(table.row(five)))
    assert _labels(model, JointImprovements(model).of(five, moe_ur)) == ["8"]
    assert _labels(model, coalition_improvements(model, five, moe_ur)) == ["8"]


def test_elmira_coalition_analysis_removes_5_and_keeps_the_historical_outcome_8() -> None:
    """5 is a Nash equilibrium that MoE and UR leave together for 8; 8 and 9 hold against every coalition (states 4, 8
    and 9 admit no coalition improvement, reference §3.3). Both implementations give the same tables."""
    model = load_case("elmira")
    report = analyze(model).as_dict()
    assert "5" in report["equilibria"]["nash"]
    assert report["coalitions"]["equilibria"]["nash"] == ["8", "9"]
    assert report["coalitions"]["equilibria"]["seq"] == ["8", "9"]
    # GMR/SMR keep 1 and 4: MoE+LG's improvement 1 -> 5 is answered by UR abandoning (9), which MoE likes least.
    assert (
        report["coalitions"]["equilibria"]["gmr"] == report["coalitions"]["equilibria"]["smr"] == ["1", "4", "8", "9"]
    )
    assert "5" not in report["coalitions"]["stability"]["nash"]["MoE+UR"]
    assert report["coalitions"]["improvements"]["MoE+UR"]["5"] == ["8"]
    for state in ("4", "8", "9"):
        assert all(state not in by_state for by_state in report["coalitions"]["improvements"].values())
    groups = coalitions(model)
    matrix = matrix_coalition_stability(model, groups)
    ours = coalition_stability(model)
    for concept in CONCEPTS:
        assert np.array_equal(matrix[concept], ours.stable[concept])


def _agree(model: GraphModel) -> None:
    groups = [(i,) for i in range(model.n)] + coalitions(model)
    ours = coalition_stability(model, groups)
    matrix = matrix_coalition_stability(model, groups)
    individual = analyse_stability(model).stable
    for concept in CONCEPTS:
        assert np.array_equal(ours.stable[concept], matrix[concept]), concept
        assert np.array_equal(ours.stable[concept][: model.n], individual[concept]), concept  # H = {i}: the usual


@SETTINGS
@given(graph_models())
def test_both_implementations_agree_on_random_graphs(model: GraphModel) -> None:
    _agree(model)


@settings(max_examples=30, deadline=None)
@given(option_models())
def test_both_implementations_agree_on_compiled_option_models(model: GraphModel) -> None:
    _agree(model)


@SETTINGS
@given(graph_models())
def test_reach_tables_and_joint_improvements_follow_the_definitions(model: GraphModel) -> None:
    joint = JointImprovements(model)
    for group in coalitions(model, min_size=1):
        table = coalition_reach([model.moves[i] for i in group], model.m)
        for s in range(model.m):
            assert set(np.flatnonzero(table.row(s))) == reachable_states([model.moves[i] for i in group], s)
            if len(group) > 1:
                assert joint.of(s, group) == coalition_improvements(model, s, group)


@SETTINGS
@given(graph_models())
def test_coalitional_concepts_nest_and_equilibria_are_equilibria(model: GraphModel) -> None:
    result = coalition_stability(model)
    s = result.stable
    assert not (s["nash"] & ~s["smr"]).any() and not (s["smr"] & ~s["gmr"]).any()
    assert not (s["nash"] & ~s["seq"]).any() and not (s["seq"] & ~s["gmr"]).any()
    assert np.array_equal(result.improvable, ~s["nash"])
    individual = analyse_stability(model)
    for concept in CONCEPTS:
        assert not (result.equilibria(concept, individual) & ~individual.equilibria(concept)).any()
