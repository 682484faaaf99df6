"""Properties on random models (hypothesis): the two implementations agree, the concepts nest, labels don't matter."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from gmcr_models import graph_models, option_models
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from prevdip.gmcr import CONCEPTS, GraphModel, analyse_stability, explain, limited_move_stability
from prevdip.gmcr.matrix import matrix_stability
from prevdip.gmcr.stability import best_escape

SETTINGS = settings(max_examples=60, deadline=None)


def _same(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> None:
    for concept in CONCEPTS:
        assert np.array_equal(a[concept], b[concept]), concept


@SETTINGS
@given(graph_models())
def test_logical_and_matrix_implementations_agree(model: GraphModel) -> None:
    _same(analyse_stability(model).stable, matrix_stability(model).stable)


@settings(max_examples=30, deadline=None)
@given(option_models())
def test_implementations_agree_on_compiled_option_models(model: GraphModel) -> None:
    _same(analyse_stability(model).stable, matrix_stability(model).stable)


@settings(max_examples=40, deadline=None)
@given(option_models(), st.lists(st.floats(-5, 5, width=32), min_size=64, max_size=64))
def test_moves_over_the_option_cube_agree_with_the_arcs(model: GraphModel, draws: list[float]) -> None:
    if model.cube is None:  # merged states: the analysis uses the arcs
        reject()
    value = np.array(draws[: model.m] * (1 + model.m // len(draws)), dtype=np.float32)[: model.m]
    for j in range(model.n):
        assert np.array_equal(model.cube.min_after_move(j, value), model.moves[j].min_after_move(value))
        assert np.array_equal(model.cube.max_after_move(j, value), -model.moves[j].min_after_move(-value))
    by_arcs = analyse_stability(replace(model, cube=None)).stable
    _same(analyse_stability(model).stable, by_arcs)


@SETTINGS
@given(graph_models())
def test_concepts_nest_for_every_decision_maker(model: GraphModel) -> None:
    s = analyse_stability(model).stable
    assert not (s["nash"] & ~s["smr"]).any() and not (s["smr"] & ~s["gmr"]).any()
    assert not (s["nash"] & ~s["seq"]).any() and not (s["seq"] & ~s["gmr"]).any()


@SETTINGS
@given(graph_models(), st.randoms(use_true_random=False))
def test_invariant_under_relabelling_states_and_reordering_decision_makers(model: GraphModel, rnd) -> None:
    perm = np.array(rnd.sample(range(model.m), model.m))  # state s becomes perm[s]
    order = rnd.sample(range(model.n), model.n)  # new decision maker k is old order[k]
    payoffs = np.empty_like(model.payoffs)
    payoffs[:, perm] = model.payoffs
    shuffled = GraphModel(
        name="shuffled",
        decision_makers=tuple(model.decision_makers[i] for i in order),
        states=tuple(model.states[int(np.flatnonzero(perm == s)[0])] for s in range(model.m)),
        moves=tuple(model.moves[i].relabel(perm) for i in order),
        payoffs=payoffs[order],
    )
    before, after = analyse_stability(model).stable, analyse_stability(shuffled).stable
    for concept in CONCEPTS:
        assert np.array_equal(after[concept][:, perm], before[concept][order])


@settings(max_examples=40, deadline=None)
@given(graph_models(max_dms=3, max_states=6))
def test_explanations_agree_and_their_sanctions_are_legal(model: GraphModel) -> None:
    stable = analyse_stability(model).stable
    for i in range(model.n):
        escape = best_escape(model.moves[i], model.payoffs[i])
        for s in range(model.m):
            text = explain(model, i, s)
            for concept in CONCEPTS:
                assert text[concept]["stable"] == bool(stable[concept][i, s])
            for concept in ("gmr", "smr", "seq"):
                for start, sanction in text[concept]["sanctions"].items():
                    if sanction is not None:
                        _check_sanction(model, i, s, concept, model.state_index(start), sanction, escape)


def _check_sanction(model: GraphModel, i: int, s: int, concept: str, start: int, sanction: dict, escape) -> None:
    path = [model.state_index(x) for x in sanction["path"]]
    movers = [model.dm_index(d) for d in sanction["movers"]]
    assert path[0] == start and len(movers) == len(path) - 1 >= 1
    assert i not in movers and all(a != b for a, b in zip(movers, movers[1:], strict=False))
    for j, (a, b) in zip(movers, zip(path, path[1:], strict=False), strict=True):
        assert b in model.moves[j].targets(a)
        if concept == "seq":
            assert model.payoffs[j][b] > model.payoffs[j][a]
    value = escape if concept == "smr" else model.payoffs[i]
    assert value[path[-1]] <= model.payoffs[i][s]


@SETTINGS
@given(graph_models(max_dms=2))
def test_limited_move_follows_its_recursive_definition(model: GraphModel) -> None:
    tables = limited_move_stability(model, 3)
    assert np.array_equal(tables[1], analyse_stability(model).stable["nash"])
    for h in (1, 2, 3):
        for i in range(2):
            for s in range(model.m):
                assert tables[h][i, s] == (_anticipate(model, h, i, s) == s)


def _anticipate(model: GraphModel, h: int, i: int, s: int) -> int:
    """G_h(i, s) straight from the definition (ties to the lowest state index)."""
    if h == 0:
        return s
    p = model.payoffs[i]
    outcomes = [_anticipate(model, h - 1, 1 - i, int(t)) for t in model.moves[i].targets(s)]
    better = [g for g in outcomes if p[g] > p[s]]
    return min(better, key=lambda g: (-p[g], g)) if better else s
