"""Inverse GMCR: every answer makes the target an equilibrium when the forward engine checks it (through the model
file written back, too); "minimal" and "no such preferences" hold against an exhaustive search over every
ranking on small models; the published Elmira case reads as it should."""

from __future__ import annotations

import json
from itertools import combinations, product

import numpy as np
from gmcr_models import graph_models
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from prevdip.cli.app import app
from prevdip.gmcr import CONCEPTS, GraphModel, analyse_stability, inverse, inverse_report, load_case, load_model
from prevdip.gmcr.inverse import TargetCheck
from prevdip.gmcr.model import payoff_from_classes


def _is_equilibrium(model: GraphModel, payoffs: np.ndarray, target: int, concept: str) -> bool:
    return bool(analyse_stability(model.with_payoffs(payoffs), (concept,)).equilibria(concept)[target])


@settings(max_examples=120, deadline=None)
@given(graph_models(max_dms=4, max_states=7), st.data())
def test_every_answer_makes_the_target_an_equilibrium_in_the_model_written_back(model: GraphModel, data) -> None:
    target = data.draw(st.integers(0, model.m - 1))
    concept = data.draw(st.sampled_from(CONCEPTS))
    fixed = data.draw(st.lists(st.integers(0, model.n - 1), max_size=model.n - 1, unique=True))
    answer = inverse(model, target, concept, fixed=fixed)
    report = inverse_report(answer, None)
    if answer.moves is None:
        assert answer.reason.startswith(("no such preferences", "none found"))
        return
    assert _is_equilibrium(model, answer.payoffs, target, concept)
    assert all(move.dm not in fixed for move in answer.moves)
    if answer.moves:
        written = load_model(report["model"])
        assert written.states == model.states
        assert bool(analyse_stability(written, (concept,)).equilibria(concept)[target])
    assert report["moves"] == len(answer.moves) == len(report["changes"])


def _weak_orders(m: int) -> list[np.ndarray]:
    """Every ranking with ties of m states, as payoff rows."""
    seen, out = set(), []
    for ranks in product(range(m), repeat=m):
        used = sorted(set(ranks))
        if tuple(used) != tuple(range(len(used))):
            continue
        classes = [[s for s in range(m) if ranks[s] == k] for k in used]
        row = payoff_from_classes(classes, m)
        if tuple(row) not in seen:
            seen.add(tuple(row))
            out.append(row)
    return out


def _states_moved(before: np.ndarray, after: np.ndarray) -> int:
    """m minus the largest set of states both rankings order alike: the definition, by exhaustion."""
    m = before.size
    agree = np.sign(before[:, None] - before[None, :]) == np.sign(after[:, None] - after[None, :])
    for size in range(m, 0, -1):
        if any(agree[np.ix_(keep, keep)].all() for keep in combinations(range(m), size)):
            return m - size
    return m


def _fewest_by_exhaustion(model: GraphModel, target: int, concept: str, fixed: list[int]) -> int | None:
    """The true minimum over every profile of rankings (fixed decision makers unchanged); None: none exists."""
    check = TargetCheck(model, target)
    orders = _weak_orders(model.m)
    best = None
    choices = [[model.payoffs[i]] if i in fixed else orders for i in range(model.n)]
    for rows in product(*choices):
        payoffs = np.vstack(rows)
        if check.equilibrium(payoffs, concept):
            cost = sum(_states_moved(model.payoffs[i], payoffs[i]) for i in range(model.n))
            best = cost if best is None else min(best, cost)
    return best


@settings(max_examples=40, deadline=None)
@given(graph_models(max_dms=2, max_states=4), st.data())
def test_minimal_and_impossible_claims_hold_against_every_ranking(model: GraphModel, data) -> None:
    target = data.draw(st.integers(0, model.m - 1))
    concept = data.draw(st.sampled_from(CONCEPTS))
    fixed = data.draw(st.lists(st.integers(0, model.n - 1), max_size=1, unique=True))
    answer = inverse(model, target, concept, fixed=fixed)
    truth = _fewest_by_exhaustion(model, target, concept, fixed)
    if answer.moves is None:
        assert truth is None or not answer.reason.startswith("no such preferences")
        if answer.reason.startswith("no such preferences"):
            assert truth is None
        return
    assert truth is not None and len(answer.moves) >= truth
    if answer.minimal:
        assert len(answer.moves) == truth
    moved = {(mv.dm, mv.state) for mv in answer.moves}
    assert len(moved) == len(answer.moves)  # a state is moved at most once per ranking


@settings(max_examples=15, deadline=None)
@given(graph_models(max_dms=3, max_states=3), st.data())
def test_three_party_answers_hold_against_every_ranking(model: GraphModel, data) -> None:
    assume(model.n == 3)
    target = data.draw(st.integers(0, model.m - 1))
    concept = data.draw(st.sampled_from(CONCEPTS))
    answer = inverse(model, target, concept)
    truth = _fewest_by_exhaustion(model, target, concept, [])
    assert answer.moves is not None and truth is not None and len(answer.moves) >= truth
    if answer.minimal:
        assert len(answer.moves) == truth


def test_elmira_what_uniroyal_would_have_to_value_for_7_to_hold() -> None:
    """State 7 (Uniroyal accepts the order, local government insists) is not an equilibrium: Uniroyal would abandon
    Elmira (9). One change suffices: Uniroyal coming to value 7 as much as abandoning."""
    model = load_case("elmira")
    answer = inverse(model, model.state_index("7"), "seq")
    assert answer.minimal and [(model.decision_makers[m.dm], model.states[m.state]) for m in answer.moves] == [
        ("UR", "7")
    ]
    change = inverse_report(answer, None)["changes"][0]
    assert change["now_tied"] == ["9"] and "UR would have to come to value 7 (Accept, Insist)" in change["text"]
    assert "as much as 9 (Abandon)" in change["text"]


def test_the_command_writes_a_model_that_analyze_confirms_and_proves_a_fixed_party_impossible(tmp_path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["gmcr", "inverse", "elmira", "--target", "1", "--concept", "nash", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["found"] and data["minimal"] and data["moves"] == 1 and data["changes"][0]["dm"] == "LG"
    assert data["model"]["form"] == "option" and data["model"]["preferences"]["LG"]["ranking"]
    written = tmp_path / "adjusted.json"
    written.write_text(json.dumps(data["model"]))
    analysed = runner.invoke(app, ["gmcr", "analyze", str(written), "--json"])
    assert "1" in json.loads(analysed.output)["equilibria"]["nash"]
    refused = runner.invoke(
        app, ["gmcr", "inverse", "elmira", "--target", "1", "--concept", "nash", "--fixed", "LG", "--json"]
    )
    answer = json.loads(refused.output)
    assert refused.exit_code == 0 and not answer["found"] and answer["model"] is None
    assert answer["reason"].startswith("no such preferences: 1 is unstable for LG, which is held fixed")
    bad = runner.invoke(app, ["gmcr", "inverse", "elmira", "--target", "1", "--concept", "nash", "--fixed", "XX"])
    assert bad.exit_code == 2 and "not a decision maker" in bad.output


def test_the_adjusted_model_keeps_the_input_s_format_graph_and_gmcr_plus() -> None:
    from test_gmcr_published import DATA, elmira_graph_form

    graph = elmira_graph_form()
    model = load_model(graph)
    answer = inverse(model, model.state_index("1"), "nash")
    written = inverse_report(answer, graph)["model"]
    assert written["form"] == "graph" and written["moves"] == graph["moves"]
    changed = {model.decision_makers[m.dm] for m in answer.moves}
    assert {dm for dm in graph["preferences"] if written["preferences"][dm] != graph["preferences"][dm]} == changed
    assert _is_equilibrium(load_model(written), load_model(written).payoffs, model.state_index("1"), "nash")
    plus = json.loads((DATA / "elmira12.gmcr").read_text())
    model = load_model(plus)
    answer = inverse(model, model.state_index("2"), "seq")
    written = inverse_report(answer, plus)["model"]
    assert written["useManualPreferenceRanking"] is True and "decisionMakers" in written
    again = load_model(written)
    assert again.states == model.states and _is_equilibrium(again, again.payoffs, model.state_index("2"), "seq")
