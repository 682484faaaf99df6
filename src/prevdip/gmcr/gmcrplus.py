"""Import GMCR+ ``.gmcr`` files (the JSON written by the GMCR+ tool, reference §1.1) as option-form models.

GMCR+ keys: ``options`` (``name``, ``permittedDirection`` both/fwd/back), ``decisionMakers`` (``name``,
``options`` as global option indices, ``preferences`` as prioritised conditions, ``preferenceRanking`` or the
older ``preferenceVector``), ``infeasibles``, ``useManualPreferenceRanking`` (older
``useManualPreferenceVectors``). A condition is a list of ``[option index, "Y"|"N"]`` (all must hold) or
``{"compound": true, "members": [...]}`` (any member holds). The file is translated into prevdip's option form
and compiled the same way, so state numbers are GMCR+'s own (ascending option code). Coalitions and
misperceptions are not imported; the model's notes say so.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from prevdip.errors import RefusedInput
from prevdip.gmcr.model import GraphModel
from prevdip.gmcr.schema import OptionFile, parse_file

DIRECTIONS = {"fwd": "N->Y", "back": "Y->N"}


def from_gmcr_plus(data: dict[str, Any], source: str) -> GraphModel:
    from prevdip.gmcr.option_form import compile_options

    spec, notes = gmcr_plus_to_option_form(data, source)
    model = compile_options(parse_file(OptionFile, spec, source), source)
    return replace(model, notes=tuple(notes))


def gmcr_plus_to_option_form(data: dict[str, Any], source: str) -> tuple[dict[str, Any], list[str]]:
    """The prevdip option-form dict for a GMCR+ file, and notes on what was left out."""
    try:
        options = data["options"]
        dms = data["decisionMakers"]
    except KeyError as exc:
        raise RefusedInput(f"{source}: GMCR+ file without the {exc.args[0]!r} key") from None
    names = _option_names([str(o.get("name", f"option{k + 1}")) for k, o in enumerate(options)])
    owned = [int(k) for dm in dms for k in dm.get("options", [])]
    if sorted(owned) != list(range(len(options))):
        raise RefusedInput(f"{source}: every GMCR+ option must belong to exactly one decision maker")
    manual = bool(data.get("useManualPreferenceRanking", data.get("useManualPreferenceVectors", False)))
    if manual and owned != list(range(len(options))):
        raise RefusedInput(
            f"{source}: the decision makers' options are not listed in option order, so GMCR+'s state numbers in "
            "the manual rankings cannot be kept",
            hint="reorder the options in GMCR+ so each decision maker's options are consecutive",
        )
    preferences: dict[str, Any] = {}
    for d, dm in enumerate(dms):
        where = f"{source}: decisionMakers[{d}]"
        if manual:
            ranking = dm.get("preferenceRanking", dm.get("preferenceVector"))
            if ranking is None:
                raise RefusedInput(f"{where}: manual ranking requested but no preferenceRanking given")
            preferences[dm["name"]] = {"ranking": ranking}
        else:
            preferences[dm["name"]] = {"statements": [_statement(c, names, where) for c in dm.get("preferences", [])]}
    spec = {
        "name": str(data.get("name", source.rsplit("/", 1)[-1].removesuffix(".gmcr"))),
        "form": "option",
        "description": f"imported from the GMCR+ file {source}",
        "decision_makers": [
            {"name": dm["name"], "options": [names[int(k)] for k in dm.get("options", [])]} for dm in dms
        ],
        "infeasible": [
            {"pattern": {names[int(k)]: v for k, v in conj}}
            for cond in data.get("infeasibles", [])
            for conj in _conjunctions(cond)
        ],
        "irreversible": {
            names[k]: DIRECTIONS[o["permittedDirection"]]
            for k, o in enumerate(options)
            if o.get("permittedDirection", "both") in DIRECTIONS
        },
        "preferences": preferences,
    }
    notes = []
    if len(data.get("coalitions", [])) not in (0, len(dms)) or data.get("misperceptions"):
        notes.append("GMCR+ coalitions and misperceptions were not imported")
    return spec, notes


def _option_names(raw: list[str]) -> list[str]:
    """Option names usable in statements: one word each, unique."""
    out: list[str] = []
    for name in raw:
        word = re.sub(r"[\s()]+", "_", name.strip()).strip("_-") or "option"
        if word.isdigit() or word.lower() in {"not", "and", "or", "if", "then", "iff"}:
            word = f"option_{word}"
        base, k = word, 2
        while word in out:
            word, k = f"{base}_{k}", k + 1
        out.append(word)
    return out


def _conjunctions(cond: Any) -> list[list[tuple[int, str]]]:
    if isinstance(cond, dict) and cond.get("compound"):
        return [[(int(k), str(v)) for k, v in member] for member in cond["members"]]
    return [[(int(k), str(v)) for k, v in cond]]


def _statement(cond: Any, names: list[str], where: str) -> str:
    """A GMCR+ condition as a prevdip statement: conjunctions joined by "or"."""
    try:
        parts = [
            " and ".join(names[k] if v == "Y" else f"not {names[k]}" for k, v in conj) for conj in _conjunctions(cond)
        ]
    except (IndexError, ValueError, TypeError, KeyError):
        raise RefusedInput(f"{where}: cannot read preference condition {cond!r}") from None
    return " or ".join(f"({p})" for p in parts)
