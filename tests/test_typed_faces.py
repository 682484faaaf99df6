"""Issue 11: no ``dict[str, Any]`` crosses from a domain into a face for the situation, forecasts, warnings or agenda.

The faces (``web/``, ``cli/``, ``briefs/``, ``cycle.py``) are read from their syntax: every name they import from
``prevdip.situation``, ``prevdip.forecast`` or ``prevdip.response`` that is a function must declare a return type
without ``Any`` and without an untyped ``dict`` — a pydantic model, a TypedDict, or plain typed values — so mypy
follows what a page shows from the domain that computed it. A TypedDict is read field by field, so an ``Any`` inside
one (or inside a record it holds) is caught too. The ledger's record reads (issue 14's pages) are held to the same
rule: they were the last exception, and the scan is checked to see them.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

SRC = Path(__file__).resolve().parents[1] / "src" / "prevdip"
FACES = ("web", "cli", "briefs", "cycle.py")
DOMAINS = ("prevdip.situation", "prevdip.forecast", "prevdip.response")
#: The ledger's record reads its pages and CLI show (once untyped mappings, now records of the response domain).
LEDGER_RECORDS = {
    ("prevdip.response", "commitment_dict"),
    ("prevdip.response", "list_commitments"),
    ("prevdip.response", "show_meeting"),
    ("prevdip.response", "review"),
}


def _face_files() -> list[Path]:
    return [
        p for face in FACES for p in ([SRC / face] if (SRC / face).is_file() else sorted((SRC / face).rglob("*.py")))
    ]


def _names_used(tree: ast.AST) -> set[tuple[str, str]]:
    """The (domain module, name) pairs one face file reaches: imported by name, or read as an attribute of a domain
    imported whole (``from prevdip import response`` ... ``response.list_commitments(...)``)."""
    names, modules = set(), {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(DOMAINS):
            names |= {(node.module, alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module == "prevdip":
            found = {alias.asname or alias.name: f"prevdip.{alias.name}" for alias in node.names}
            modules |= {local: module for local, module in found.items() if module in DOMAINS}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules:
            names.add((modules[node.value.id], node.attr))
    return names


def crossing_names() -> set[tuple[str, str]]:
    """Every (domain module, name) a face takes from the situation, forecast or response domains."""
    return {pair for path in _face_files() for pair in _names_used(ast.parse(path.read_text(encoding="utf-8")))}


def untyped(annotation: object, seen: frozenset[object] = frozenset()) -> bool:
    """True when the annotation is ``Any``, holds ``Any``, or is a ``dict`` whose values are not typed — looking
    into a TypedDict's and a pydantic model's fields (once each, for records that hold themselves)."""
    if annotation is typing.Any:
        return True
    if annotation is dict:
        return True
    if typing.is_typeddict(annotation) and annotation not in seen:
        fields = typing.get_type_hints(annotation).values()
        return any(untyped(field, seen | {annotation}) for field in fields)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and annotation not in seen:
        fields = [field.annotation for field in annotation.model_fields.values()]
        return any(untyped(field, seen | {annotation}) for field in fields)
    return any(untyped(arg, seen) for arg in typing.get_args(annotation))


def returns(module: str, name: str) -> object | None:
    found = getattr(importlib.import_module(module), name)
    if not inspect.isfunction(found):
        return None
    return typing.get_type_hints(found).get("return")


def test_the_faces_get_typed_answers_from_the_situation_forecast_and_response_domains() -> None:
    crossing = crossing_names()
    assert ("prevdip.situation", "forecast_section") in crossing  # the scan sees the faces' imports
    assert LEDGER_RECORDS <= crossing  # ... the ledger's record reads among them, checked like any other
    untyped_ones = sorted(
        f"{module}.{name} -> {annotation}"
        for module, name in crossing
        if (annotation := returns(module, name)) is not None and untyped(annotation)
    )
    assert not untyped_ones, "a face receives an untyped answer:\n" + "\n".join(untyped_ones)


class _Loose(typing.TypedDict):
    id: int
    extra: dict[str, typing.Any]


class _HoldsLoose(typing.TypedDict):
    rows: list[_Loose]


class _Tight(typing.TypedDict):
    id: int
    due: str | None
    children: list[_Tight]  # a record holding itself is read once


class _LooseModel(BaseModel):
    rows: list[dict[str, typing.Any]] | None = None


class _TightModel(BaseModel):
    rows: list[dict[str, int]] | None = None
    parent: _TightModel | None = None


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        (_LooseModel, True),  # a section holding untyped rows, as the dispute page's ledger part did
        (list[_LooseModel], True),
        (_TightModel, False),
        (_Loose, True),
        (list[_HoldsLoose], True),
        (_Tight, False),
        (dict[str, typing.Any], True),
        (list[dict[str, typing.Any]], True),
        (typing.Any, True),
        (dict, True),
        (dict[str, int], False),
        (tuple[int, str], False),
        (typing.Optional[dict[str, typing.Any]], True),  # noqa: UP045 - the old spelling must be caught too
    ],
)
def test_the_check_knows_an_untyped_answer(annotation: object, expected: bool) -> None:
    assert untyped(annotation) is expected


def test_the_scan_sees_a_domain_imported_whole() -> None:
    used = _names_used(
        ast.parse("from prevdip import response as r\nfrom prevdip import geo\nr.review(x)\ngeo.find(y)")
    )
    assert used == {("prevdip.response", "review")}
    assert ("prevdip.response", "open_commitments") in crossing_names()  # web/services/ledger.py reads it so
