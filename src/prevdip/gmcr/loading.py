"""Load a model from a file or a dict: graph form, option form, or a GMCR+ ``.gmcr`` file."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from prevdip.errors import RefusedInput
from prevdip.gmcr.model import GraphModel, Moves
from prevdip.gmcr.preferences import payoff_vector, ranking_payoff
from prevdip.gmcr.schema import GraphFile, OptionFile, parse_file


def load_model(source: str | Path | Mapping[str, Any]) -> GraphModel:
    """A model from a path (``.json`` in either form, or GMCR+ ``.gmcr``) or an already parsed dict."""
    if isinstance(source, Mapping):
        return model_from_dict(dict(source), "model")
    path = Path(source)
    if not path.is_file():
        raise RefusedInput(
            f"{path}: no such model file", hint="give a path, or a shipped case name (prevdip gmcr cases)"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RefusedInput(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise RefusedInput(f"{path}: a model file holds one JSON object")
    return model_from_dict(data, str(path))


def model_from_dict(data: dict[str, Any], source: str) -> GraphModel:
    if "decisionMakers" in data:
        from prevdip.gmcr.gmcrplus import from_gmcr_plus

        return from_gmcr_plus(data, source)
    form = data.get("form")
    if form == "graph":
        return build_graph(parse_file(GraphFile, data, source), source)
    if form == "option":
        from prevdip.gmcr.option_form import compile_options

        return compile_options(parse_file(OptionFile, data, source), source)
    raise RefusedInput(
        f'{source}: field form: expected "graph" or "option", got {form!r}',
        hint="see docs/gmcr.md; GMCR+ files (with decisionMakers) are read as they are",
    )


def _unique(values: list[str], where: str) -> None:
    seen: set[str] = set()
    for k, v in enumerate(values):
        if v in seen:
            raise RefusedInput(f"{where}[{k}]: {v!r} appears twice")
        seen.add(v)


def build_graph(spec: GraphFile, source: str) -> GraphModel:
    """Check the graph form's meaning and build the model."""
    _unique(spec.decision_makers, f"{source}: field decision_makers")
    _unique(spec.states, f"{source}: field states")
    index = {label: k for k, label in enumerate(spec.states)}
    for key, field in (("moves", spec.moves), ("preferences", spec.preferences)):
        for dm in field:
            if dm not in spec.decision_makers:
                raise RefusedInput(f"{source}: field {key}.{dm}: {dm!r} is not one of the decision makers")
        for dm in spec.decision_makers:
            if dm not in field:
                extra = " (write [] if it cannot move)" if key == "moves" else ""
                raise RefusedInput(f"{source}: field {key}: no entry for decision maker {dm!r}{extra}")
    moves = []
    for dm in spec.decision_makers:
        src, dst = [], []
        for k, (a, b) in enumerate(spec.moves[dm]):
            for label in (a, b):
                if label not in index:
                    raise RefusedInput(f"{source}: field moves.{dm}[{k}]: {label!r} is not a state of the model")
            if a == b:
                raise RefusedInput(f"{source}: field moves.{dm}[{k}]: a move must change the state ({a!r} to itself)")
            src.append(index[a])
            dst.append(index[b])
        moves.append(Moves.from_arrays(len(spec.states), np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64)))
    payoffs = np.vstack(
        [
            ranking_payoff(pref, spec.states, f"{source}: field preferences.{dm}")
            if isinstance(pref, list)
            else payoff_vector(pref, spec.states, f"{source}: field preferences.{dm}")
            for dm, pref in ((dm, spec.preferences[dm]) for dm in spec.decision_makers)
        ]
    )
    if spec.status_quo is not None and spec.status_quo not in index:
        raise RefusedInput(f"{source}: field status_quo: {spec.status_quo!r} is not a state of the model")
    return GraphModel(
        name=spec.name,
        decision_makers=tuple(spec.decision_makers),
        states=tuple(spec.states),
        moves=tuple(moves),
        payoffs=payoffs,
        description=spec.description,
        status_quo=spec.status_quo,
    )
