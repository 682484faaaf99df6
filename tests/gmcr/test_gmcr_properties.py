"""Properties on random models (hypothesis): the two implementations agree, the concepts nest, labels don't matter."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from prevdip.errors import RefusedInput
from prevdip.gmcr import CONCEPTS, GraphModel, Moves, analyse_stability, explain, limited_move_stability, load_model
from prevdip.gmcr.matrix import matrix_stability
from prevdip.gmcr.stability import best_escape

SETTINGS = settings(max_examples=60, deadline=None)


@st.composite
def graph_models(draw: st.DrawFn, max_dms: int = 4, max_states: int = 7) -> GraphModel:
    n = draw(st.integers(2, max_dms))
    m = draw(st.integers(2, max_states))
    pairs = [(a, b) for a in range(m) for b in range(m) if a != b]
    moves = []
    for _ in range(n):
        chosen = draw(st.lists(st.sampled_from(pairs), max_size=len(pairs), unique=True))
        moves.append(Moves.from_pairs(m, (a for a, _ in chosen), (b for _, b in chosen)))
    payoffs = np.array(draw(st.lists(st.lists(st.integers(0, 3), min_size=m, max_size=m), min_size=n, max_size=n)))
    return GraphModel(
        name="random",
        decision_makers=tuple(f"D{i}" for i in range(n)),
        states=tuple(str(s + 1) for s in range(m)),
        moves=tuple(moves),
        payoffs=payoffs.astype(np.float64),
    )


@st.composite
def option_models(draw: st.DrawFn) -> GraphModel:
    """Random option-form files: 2-3 decision makers, up to 6 options, patterns, irreversibility, statements."""
    n = draw(st.integers(2, 3))
    counts = [draw(st.integers(1, 2)) for _ in range(n)]
    names = [f"o{k}" for k in range(sum(counts))]
    it = iter(names)
    dms = [{"name": f"D{i}", "options": [next(it) for _ in range(c)]} for i, c in enumerate(counts)]
    patterns = draw(st.lists(st.text("YN--", min_size=len(names), max_size=len(names)), max_size=2))
    patterns = [p for p in patterns if p.count("-") >= 1]
    irreversible = {o: draw(st.sampled_from(["N->Y", "Y->N"])) for o in names if draw(st.booleans())}
    literal = st.sampled_from(names + [f"not {o}" for o in names])
    statement = st.one_of(
        literal,
        st.tuples(literal, st.sampled_from(["and", "or", "iff"]), literal).map(" ".join),
        st.tuples(literal, literal).map(lambda t: f"if {t[0]} then {t[1]}"),
    )
    prefs = {d["name"]: {"statements": draw(st.lists(statement, min_size=1, max_size=4))} for d in dms}
    spec: dict = {"form": "option", "decision_makers": dms, "infeasible": patterns, "irreversible": irreversible}
    if draw(st.booleans()):  # merge the "don't care" states of one option combination
        spec["aggregate"] = [{"when": draw(st.text("YN-", min_size=len(names), max_size=len(names)))}]
    try:
        return load_model({**spec, "preferences": prefs})
    except RefusedInput as refusal:
        assert "no feasible state" in str(refusal) or "matches no feasible state" in str(refusal)
        reject()


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
