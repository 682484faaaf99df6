"""Inverse GMCR in words and in the model file's own format: the ``prevdip gmcr inverse --json`` object.

``model`` is the input file with the changed rankings written in (graph form: the ranking; option form: a
``ranking`` over the compiled state numbers in place of that decision maker's statements; GMCR+: manual rankings
for every decision maker, GMCR+'s own state numbers), so ``prevdip gmcr analyze`` can check it. ``changes`` has one
entry per state moved, with what its owner would have to come to value, in words.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from prevdip.gmcr.explain import describe_state
from prevdip.gmcr.gmcrplus import gmcr_plus_to_option_form
from prevdip.gmcr.inverse import InverseAnswer
from prevdip.gmcr.inverse_moves import Move, comparisons_changed
from prevdip.gmcr.model import FloatArray, GraphModel, Moves, tie_classes

LISTED = 5  # states named in a sentence before "and n more"


def inverse_report(answer: InverseAnswer, document: dict[str, Any] | None) -> dict[str, Any]:
    model = answer.model
    after = answer.payoffs
    moves = answer.moves or ()
    out: dict[str, Any] = {
        "model_name": model.name,
        "target": model.states[answer.target],
        "concept": answer.concept,
        "fixed": [model.decision_makers[i] for i in answer.fixed],
        "found": answer.moves is not None,
        "minimal": answer.minimal if answer.moves is not None else None,
        "moves": len(moves) if answer.moves is not None else None,
        "comparisons_changed": sum(
            comparisons_changed(model.payoffs[i], after[i], [mv.state for mv in moves if mv.dm == i])
            for i in {mv.dm for mv in moves}
        ),
        "lower_bound": answer.lower_bound,
        "reason": answer.reason,
        "search": {"checks": answer.checks, "budget": answer.budget, "complete": answer.complete},
        "changes": [describe_move(model, after, move) for move in sorted(moves)],
    }
    out["model"] = adjusted_document(document, model, after, {mv.dm for mv in moves}) if answer.moves else None
    return out


def describe_move(model: GraphModel, after: FloatArray, move: Move) -> dict[str, Any]:
    """One state moved in one ranking: where it was and is (tie classes, 1 = most preferred), the states it now
    stands differently against, and the sentence."""
    i, x = move.dm, move.state
    before_row, after_row = model.payoffs[i], after[i]
    was = np.sign(before_row[x] - before_row)
    now = np.sign(after_row[x] - after_row)
    changed = (was != now) & (np.arange(model.m) != x)
    groups = {
        "now_above": np.flatnonzero(changed & (now > 0)),
        "now_tied": np.flatnonzero(changed & (now == 0)),
        "now_below": np.flatnonzero(changed & (now < 0)),
    }
    dm = model.decision_makers[i]
    parts = [
        f"{verb} {_listed(model, groups[key])}"
        for key, verb in (("now_above", "more than"), ("now_tied", "as much as"), ("now_below", "less than"))
        if groups[key].size
    ]
    return {
        "dm": dm,
        "state": model.states[x],
        "class_before": _class_of(before_row, x),
        "class_after": _class_of(after_row, x),
        **{key: [model.states[s] for s in states] for key, states in groups.items()},
        "text": f"{dm} would have to come to value {describe_state(model, x)} {_joined(parts)}.",
    }


def _class_of(row: FloatArray, state: int) -> int:
    """1-based position of the state's tie class, most preferred first."""
    return int(np.sum(np.unique(row) > row[state])) + 1


def _listed(model: GraphModel, states: Any) -> str:
    named = [describe_state(model, int(s)) for s in states[:LISTED]]
    more = len(states) - LISTED
    return ", ".join(named) + (f" and {more} more state{'s' if more > 1 else ''}" if more > 0 else "")


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def adjusted_document(
    document: dict[str, Any] | None, model: GraphModel, payoffs: FloatArray, changed: set[int]
) -> dict[str, Any]:
    """The model file with the changed decision makers' rankings written in, in the file's own format."""
    rankings = {i: [[model.states[s] for s in cls] for cls in tie_classes(payoffs[i])] for i in range(model.n)}
    if document is None or "decisionMakers" not in document and document.get("form") not in ("graph", "option"):
        return _graph_form(model, rankings)
    out = copy.deepcopy(document)
    if "decisionMakers" in out:
        return _gmcr_plus(out, model, rankings)
    for i in sorted(changed):
        name = model.decision_makers[i]
        out["preferences"][name] = rankings[i] if out["form"] == "graph" else {"ranking": rankings[i]}
    return out


def _gmcr_plus(document: dict[str, Any], model: GraphModel, rankings: dict[int, list[list[str]]]) -> dict[str, Any]:
    """GMCR+ manual rankings are all or nothing, over GMCR+'s own state numbers, and GMCR+ numbers states that way
    only when each decision maker's options are consecutive; otherwise the file is given in prevdip's option form."""
    owned = [int(k) for dm in document["decisionMakers"] for k in dm.get("options", [])]
    if owned != sorted(owned):
        spec, _ = gmcr_plus_to_option_form(document, "model")
        spec["preferences"] = {dm: {"ranking": rankings[i]} for i, dm in enumerate(model.decision_makers)}
        return spec
    document["useManualPreferenceRanking"] = True
    for d, dm in enumerate(document["decisionMakers"]):
        dm["preferenceRanking"] = [[int(s) for s in cls] for cls in rankings[d]]
    return document


def _graph_form(model: GraphModel, rankings: dict[int, list[list[str]]]) -> dict[str, Any]:
    return {
        "name": model.name,
        "form": "graph",
        "description": model.description,
        "decision_makers": list(model.decision_makers),
        "states": list(model.states),
        "moves": {
            dm: [
                [model.states[a], model.states[b]]
                for a, b in zip(mv.sources.tolist(), mv.indices.tolist(), strict=True)
            ]
            for dm, mv in zip(model.decision_makers, model.moves, strict=True)
        },
        "preferences": {dm: rankings[i] for i, dm in enumerate(model.decision_makers)},
    }


def _pairs(model: GraphModel, moves: Moves) -> list[list[str]]:
    return [
        [model.states[a], model.states[b]] for a, b in zip(moves.sources.tolist(), moves.indices.tolist(), strict=True)
    ]
