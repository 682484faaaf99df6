"""Model files: both forms' meaning, the option-form compiler, and validation errors that name the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from prevdip.errors import RefusedInput
from prevdip.gmcr import load_model


def graph(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "tiny",
        "form": "graph",
        "decision_makers": ["A", "B"],
        "states": ["1", "2", "3", "4"],
        "moves": {"A": [["1", "2"], ["2", "1"]], "B": [["1", "3"], ["2", "4"]]},
        "preferences": {"A": [["2"], ["1", "3"], ["4"]], "B": [["4"], ["3"], ["2"], ["1"]]},
    }
    base.update(changes)
    return base


def option(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "opts",
        "form": "option",
        "decision_makers": [{"name": "A", "options": ["a1", "a2"]}, {"name": "B", "options": ["b1"]}],
        "preferences": {"A": {"statements": ["a1", "not b1"]}, "B": {"statements": ["b1 iff a2"]}},
    }
    base.update(changes)
    return base


def test_graph_form_ties_and_payoffs() -> None:
    model = load_model(graph())
    assert model.ranking(0) == [["2"], ["1", "3"], ["4"]]
    assert model.payoffs[0][0] == model.payoffs[0][2] < model.payoffs[0][1]
    by_payoff = load_model(
        graph(preferences={"A": {"1": 1, "2": 5, "3": 1, "4": 0}, "B": {"1": 0, "2": 1, "3": 2, "4": 3}})
    )
    assert by_payoff.ranking(0) == model.ranking(0)


def test_graph_form_reads_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps(graph()))
    assert load_model(path).states == ("1", "2", "3", "4")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"preferences": {"A": [["2"], ["1", "3"]], "B": [["4"], ["3"], ["2"], ["1"]]}},
            "preferences.A: state 4 missing",
        ),
        ({"preferences": {"A": [["2"], ["1", "3"], ["4", "2"]], "B": [["1", "2", "3", "4"]]}}, "ranked twice"),
        ({"moves": {"A": [["1", "9"]], "B": []}}, "moves.A[0]: '9' is not a state"),
        ({"moves": {"A": [["1", "1"]], "B": []}}, "moves.A[0]: a move must change the state"),
        ({"moves": {"A": []}}, "moves: no entry for decision maker 'B'"),
        ({"moves": {"A": [], "B": [], "C": []}}, "moves.C: 'C' is not one of the decision makers"),
        ({"states": ["1", "2", "2", "4"]}, "states[2]: '2' appears twice"),
        ({"decision_makers": ["A"]}, "field decision_makers"),
        ({"form": "matrix"}, "field form"),
        ({"moves": {"A": [["1"]], "B": []}}, "field moves.A[0]"),
        ({"status_quo": "7"}, "field status_quo"),
        ({"colour": "red"}, "field colour"),
    ],
)
def test_graph_form_errors_name_the_field(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(RefusedInput, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_model(graph(**changes))


def test_bad_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(RefusedInput, match="no such model file"):
        load_model(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(RefusedInput, match="not valid JSON"):
        load_model(tmp_path / "bad.json")


def test_option_form_standard_numbering_and_moves() -> None:
    model = load_model(option())
    # codes 0..7 (a1 = 1, a2 = 2, b1 = 4) all feasible: state k+1 has code k
    assert model.states == tuple(str(k) for k in range(1, 9))
    assert model.options is not None and model.options.vectors[5] == "YNY"  # code 5 = a1 + b1
    assert list(model.moves[0].targets(0)) == [1, 2, 3]  # A changes any non-empty subset of its options
    assert list(model.moves[1].targets(0)) == [4]


def test_option_form_infeasibility_rules() -> None:
    rules = [{"not_both": ["a1", "a2"]}, "--Y", {"at_least_one_of": ["a1", "a2"]}]
    model = load_model(option(infeasible=rules))
    assert model.options is not None and model.options.vectors == ("YNN", "NYN")
    patterned = load_model(option(infeasible=[{"pattern": {"a1": "Y", "b1": "N"}}, {"exactly_one_of": ["a2", "b1"]}]))
    assert patterned.options is not None and set(patterned.options.vectors) == {"NYN", "NNY", "YNY"}
    most = load_model(option(infeasible=[{"at_most_one_of": ["a1", "a2", "b1"]}]))
    assert most.m == 4


def test_option_form_irreversibility() -> None:
    model = load_model(option(irreversible={"a1": "N->Y", "b1": "Y->N"}))
    vec = model.options.vectors if model.options else ()
    for s in range(model.m):
        for t in model.moves[0].targets(s):
            assert not (vec[s][0] == "Y" and vec[t][0] == "N")
        for t in model.moves[1].targets(s):
            assert vec[s][2] == "Y" and vec[t][2] == "N"


def test_option_prioritisation_is_lexicographic() -> None:
    model = load_model(option())
    vec = model.options.vectors if model.options else ()
    score_a = {v: model.payoffs[0][k] for k, v in enumerate(vec)}
    assert score_a["YNN"] == score_a["YYN"] == 3 > score_a["YNY"] == 2 > score_a["NNN"] == 1 > score_a["NNY"] == 0
    score_b = {v: model.payoffs[1][k] for k, v in enumerate(vec)}
    assert score_b["NYY"] == score_b["NNN"] > score_b["NYN"] == score_b["NNY"]


@pytest.mark.parametrize(
    ("statement", "holds_for"),
    [
        ("-1", {"NNN", "NYN", "NNY", "NYY"}),
        ("if a1 then b1", {"NNN", "NYN", "NNY", "NYY", "YNY", "YYY"}),
        ("a1 and (a2 or b1)", {"YYN", "YNY", "YYY"}),
        ("not (a1 or a2) iff b1", {"NNY", "YNN", "NYN", "YYN"}),
    ],
)
def test_statement_language(statement: str, holds_for: set[str]) -> None:
    model = load_model(option(preferences={"A": {"statements": [statement]}, "B": {"statements": ["b1"]}}))
    vec = model.options.vectors if model.options else ()
    assert {v for k, v in enumerate(vec) if model.payoffs[0][k] == 1} == holds_for


def test_aggregation_merges_dont_care_states_and_numbers_them_last() -> None:
    model = load_model(option(aggregate=[{"when": {"a1": "Y"}}], irreversible={"a1": "N->Y"}))
    assert model.m == 5 and model.options is not None
    assert model.options.vectors[-1] == "Y--"
    assert all(model.moves[j].targets(4).size == 0 for j in range(2))  # nothing leaves the merged state


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"infeasible": ["YN"]}, r"infeasible\[0\]: pattern 'YN' must have one of Y, N or - per option"),
        ({"infeasible": [{"not_both": ["a1", "zz"]}]}, "'zz' is not an option"),
        ({"infeasible": [{"not_both": ["a1", "a2"], "pattern": "---"}]}, r"field infeasible\[0\]"),
        ({"infeasible": ["---"]}, "leave no feasible state"),
        ({"irreversible": {"a1": "sideways"}}, "field irreversible.a1"),
        ({"irreversible": {"zz": "N->Y"}}, "irreversible.zz: not an option"),
        ({"preferences": {"A": {"statements": ["a1 and"]}, "B": {"statements": ["b1"]}}}, r"statements\[0\]"),
        ({"preferences": {"A": {"statements": ["c9"]}, "B": {"statements": ["b1"]}}}, "'c9' is not an option"),
        ({"preferences": {"A": {"statements": ["a1"]}}}, "no entry for decision maker 'B'"),
        ({"preferences": {"A": {"statements": ["a1"], "ranking": ["1"]}, "B": {"statements": ["b1"]}}}, "exactly one"),
        (
            {"decision_makers": [{"name": "A", "options": ["two words"]}, {"name": "B", "options": ["b"]}]},
            "option name",
        ),
        ({"decision_makers": [{"name": "A", "options": ["x"]}, {"name": "B", "options": ["x"]}]}, "appears twice"),
        ({"status_quo": "YYYY"}, "status_quo"),
        ({"aggregate": [{"when": "---"}, {"when": "Y--"}]}, r"aggregate\[1\].when: matches no feasible state"),
    ],
)
def test_option_form_errors_name_the_field(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(RefusedInput, match=message):
        load_model(option(**changes))


def test_status_quo_as_option_vector() -> None:
    model = load_model(option(status_quo="YNY"))
    assert model.status_quo == "6"
    assert model.options is not None and model.options.vectors[5] == "YNY"


def test_gmcr_plus_errors() -> None:
    with pytest.raises(RefusedInput, match="'options' key"):
        load_model({"decisionMakers": []})
    bad = {"options": [{"name": "x", "permittedDirection": "both"}], "decisionMakers": [], "infeasibles": []}
    with pytest.raises(RefusedInput, match="exactly one decision maker"):
        load_model(bad)


def test_payoff_and_ranking_preferences_in_option_form() -> None:
    model = load_model(
        option(
            preferences={
                "A": {"ranking": [["1", "2"], "3", "4", "5", "6", "7", "8"]},
                "B": {"payoffs": {str(k): float(k) for k in range(1, 9)}},
            }
        )
    )
    assert model.payoffs[0][0] == model.payoffs[0][1] > model.payoffs[0][2]
    assert np.argmax(model.payoffs[1]) == 7


def test_chunked_move_generation_matches_the_direct_one(monkeypatch: pytest.MonkeyPatch) -> None:
    import prevdip.gmcr.option_form as option_form

    spec = option(irreversible={"a2": "Y->N"}, infeasible=["YY-"])
    direct = load_model(spec)
    monkeypatch.setattr(option_form, "CHUNK", 3)
    chunked = load_model(spec)
    for a, b in zip(direct.moves, chunked.moves, strict=True):
        assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
