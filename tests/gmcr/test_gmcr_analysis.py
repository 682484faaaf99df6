"""Limited move, robustness, explanations, the size limits of the report, and the shipped cases' readings."""

from __future__ import annotations

import re

import numpy as np
import pytest

from prevdip.errors import RefusedInput
from prevdip.gmcr import (
    CONCEPTS,
    analyse_stability,
    analyze,
    explain,
    explain_all,
    limited_move_stability,
    list_cases,
    load_case,
    load_model,
    matrix_stability,
    robustness,
    status_quo,
)


def test_limited_move_prisoners_dilemma() -> None:
    model = load_case("prisoners-dilemma")
    table = limited_move_stability(model, 2)
    assert [model.states[s] for s in np.flatnonzero(table[1][0])] == ["2", "4"]  # L1 = Nash
    assert [model.states[s] for s in np.flatnonzero(table[2][0])] == ["1", "2", "4"]
    assert [model.states[s] for s in np.flatnonzero(table[2][1])] == ["1", "3", "4"]
    with pytest.raises(RefusedInput, match="two decision makers"):
        limited_move_stability(load_case("elmira"), 2)


def test_robustness_counts_swaps_that_remove_an_equilibrium() -> None:
    model = load_case("elmira")
    result = robustness(model)
    assert set(result) == set(CONCEPTS)
    five = result["nash"]["5"]
    assert five["swaps_tested"] == 3 * 8
    assert {"dm": "UR", "swap": [["5"], ["9"]]} in five["removed_by"]
    assert five["swaps_removing"] == len(five["removed_by"]) and five["kept_share"] < 1
    assert result["nash"]["8"]["swaps_removing"] == 0


def test_explanations_name_the_sanction() -> None:
    model = load_case("elmira")
    text = explain(model, model.dm_index("LG"), model.state_index("1"))
    assert text["improvements"] == ["5"]
    assert text["gmr"]["stable"] and text["gmr"]["sanctions"]["5"] == {"path": ["5", "6"], "movers": ["MoE"]}
    assert "MoE moves to 6" in text["gmr"]["text"]
    assert not text["seq"]["stable"] and text["seq"]["sanctions"]["5"] is None
    assert "credible" in text["seq"]["text"]
    quiet = explain(model, model.dm_index("MoE"), model.state_index("1"))
    assert quiet["improvements"] == [] and "has no move" in quiet["nash"]["text"]


def test_explanations_read_in_russian_with_the_same_verdicts_and_sanctions() -> None:
    """Issue 16: the readings in the GMCR literature's Russian terms; only the words change, never a verdict."""
    model = load_case("elmira")
    english, russian = explain_all(model), explain_all(model, "ru")
    strip = {dm: {s: {c: {**e[c], "text": ""} if c in CONCEPTS else e[c] for c in e} for s, e in by.items()}
             for dm, by in english.items()}  # fmt: skip
    assert {dm: {s: {c: {**e[c], "text": ""} if c in CONCEPTS else e[c] for c in e} for s, e in by.items()}
            for dm, by in russian.items()} == strip  # fmt: skip
    texts = [e[c]["text"] for by in russian.values() for e in by.values() for c in CONCEPTS]
    assert all(CYRILLIC.search(t) and not ENGLISH_WORDS.search(t) for t in texts)
    lg = russian["LG"]["1"]
    assert "MoE переходит в 6" in lg["gmr"]["text"] and "общей метарациональности (GMR)" in lg["gmr"]["text"]
    assert lg["seq"]["text"].startswith(
        "Состояние 1 (Delay) нестабильно для LG по критерию последовательной стабильности"
    )
    assert "правдоподобных" in lg["seq"]["text"]
    assert "нет хода" in russian["MoE"]["1"]["nash"]["text"]
    assert "не является равновесием по Нэшу" in russian["LG"]["1"]["nash"]["text"]


CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
ENGLISH_WORDS = re.compile(r"\b(moves?|stable|under|prefers|likes|then|replies|others)\b")


def _generated(options_per_dm: int, dms: int = 4) -> dict:
    decision_makers = [{"name": f"D{d}", "options": [f"o{d}_{k}" for k in range(options_per_dm)]} for d in range(dms)]
    names = [o for d in decision_makers for o in d["options"]]
    prefs = {
        d["name"]: {"statements": [names[(3 * i + 5 * k) % len(names)] for k in range(3)] + [f"not {names[i]}"]}
        for i, d in enumerate(decision_makers)
    }
    return {
        "form": "option",
        "decision_makers": decision_makers,
        "irreversible": {names[0]: "N->Y"},
        "preferences": prefs,
    }


def test_larger_models_leave_out_explanations_but_keep_tables() -> None:
    model = load_model(_generated(3))  # 4,096 states
    report = analyze(model)
    data = report.as_dict()
    assert data["explanations"] == {} and data["robustness"] == {}
    assert any("explanations left out" in note for note in data["notes"])
    assert set(data["stability"]) == set(CONCEPTS) and len(data["states"]) == 4096
    russian = analyze(model, robustness=False, coalitions=False, lang="ru").as_dict()["notes"]
    assert russian == ["объяснения не построены: в модели больше 512 состояний (их можно запросить явно)"]


def test_implementations_agree_on_a_generated_256_state_model() -> None:
    model = load_model(_generated(2))
    logical, matrix = analyse_stability(model), matrix_stability(model)
    for concept in CONCEPTS:
        assert np.array_equal(logical.stable[concept], matrix.stable[concept])
    assert logical.equilibria("gmr").sum() >= logical.equilibria("nash").sum()


def test_every_shipped_case_loads_with_a_reading() -> None:
    cases = list_cases()
    assert {"elmira", "prisoners-dilemma", "chicken", "toktogul-winter-release"} <= {c["case"] for c in cases}
    russian = {c["case"]: c for c in list_cases("ru")}
    assert set(russian) == {c["case"] for c in cases}
    for case in cases:
        assert len(case["reading"]) > 200, case["case"]
        ru = russian[case["case"]]  # the reading, title and description in Russian, the model's labels its own
        assert CYRILLIC.search(ru["reading"]) and CYRILLIC.search(ru["title"]) and CYRILLIC.search(ru["description"])
        assert ru["reading"] != case["reading"] and ru["decision_makers"] == case["decision_makers"]
        assert "reference/" not in case["reading"] + ru["reading"]  # sources cited as such, never a repository path
        model = load_case(case["case"])
        for concept in CONCEPTS:
            assert np.array_equal(analyse_stability(model).stable[concept], matrix_stability(model).stable[concept])


def test_toktogul_reading_holds() -> None:
    """What the case's markdown says: escalation is the only Nash equilibrium; the 1998-style deal is sequentially
    stable, held by Kyrgyzstan's credible threat of winter releases, and only the three together can reach it."""
    model = load_case("toktogul-winter-release")
    report = analyze(model)
    assert model.status_quo == "2" and model.options is not None
    assert model.options.vectors[model.state_index("2")] == "YNNN"
    assert report.equilibria("nash") == ["6"] and model.options.vectors[5] == "YNYN"
    assert report.equilibria("seq") == report.equilibria("gmr") == ["6", "9"]
    assert model.options.vectors[8] == "NYNY"
    uzb = report.explanations["UZB"]["9"]["seq"]["sanctions"]["7"]
    assert uzb == {"path": ["7", "8"], "movers": ["KGZ"]}
    sq = status_quo(model, "2")
    assert sq["coalition_improvements"] == {"KGZ+UZB": [], "KGZ+KAZ": [], "UZB+KAZ": [], "KGZ+UZB+KAZ": ["9"]}
    assert ["2", "9"] in sq["paths"] and ["2", "6"] in sq["paths"]
    assert report.robustness["seq"]["9"]["swaps_removing"] == 0
    assert report.robustness["nash"]["6"]["removed_by"] == [{"dm": "KAZ", "swap": [["6"], ["12"]]}]


def test_gmcr_stands_alone() -> None:
    """gmcr imports only numpy, scipy, networkx, pydantic, the standard library, prevdip.errors and — for where
    uploaded models are kept — prevdip.catalogue (the workspace's folder names, itself importing nothing of
    prevdip's)."""
    import ast
    import sys
    from pathlib import Path

    import prevdip.gmcr

    allowed = {"numpy", "scipy", "networkx", "pydantic", "__future__"} | set(sys.stdlib_module_names)
    for path in Path(prevdip.gmcr.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                ok = (
                    name.split(".")[0] in allowed
                    or name in ("prevdip.errors", "prevdip.catalogue")
                    or name.startswith("prevdip.gmcr")
                )
                assert ok, f"{path.name} imports {name}"


def test_rogun_reading_holds() -> None:
    """What the Rogun case's markdown says: power trade without energy mode is the one Nash/SEQ equilibrium,
    reachable from the status quo by Uzbekistan buying and then Tajikistan leaving energy mode."""
    model = load_case("rogun-vakhsh")
    report = analyze(model)
    vec = dict(zip(model.states, model.options.vectors if model.options else (), strict=True))
    assert model.status_quo == "4" and vec["4"] == "YYNN" and vec["10"] == "YNNY" and vec["12"] == "YYNY"
    assert report.equilibria("nash") == report.equilibria("seq") == ["10"]
    assert report.equilibria("gmr") == report.equilibria("smr") == ["2", "10", "12"]
    assert report.explanations["UZB"]["4"]["improvements"] == ["12"]
    assert report.explanations["TJK"]["12"]["improvements"] == ["10"]
    assert report.robustness["seq"]["10"]["removed_by"] == [{"dm": "TJK", "swap": [["10"], ["12"]]}]
    assert [model.states[s] for s in np.flatnonzero(report.limited_move[2][0])] == ["10"]
    # Rogun, once built, stays built: no move of Tajikistan switches Build_Rogun off
    for s in range(model.m):
        for t in model.moves[0].targets(s):
            assert not (vec[model.states[s]][0] == "Y" and vec[model.states[t]][0] == "N")
