"""Issue 11: no ``dict[str, Any]`` crosses from a domain into a face for the situation, forecasts, warnings or agenda.

The faces (``web/``, ``cli/``, ``briefs/``, ``cycle.py``) are read from their syntax: every name they import from
``prevdip.situation``, ``prevdip.forecast`` or ``prevdip.response`` that is a function must declare a return type
without ``Any`` and without an untyped ``dict`` — a pydantic model, a TypedDict, or plain typed values — so mypy
follows what a page shows from the domain that computed it. The ledger's record reads (issue 14's pages) are not yet
typed; they are named below with that reason, and a name leaving the list when it is typed is checked too.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import typing
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "prevdip"
FACES = ("web", "cli", "briefs", "cycle.py")
DOMAINS = ("prevdip.situation", "prevdip.forecast", "prevdip.response")
#: The ledger's records, read by its pages and CLI as mappings; not the situation, forecasts, warnings or agenda.
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


def crossing_names() -> set[tuple[str, str]]:
    """Every (domain module, name) a face imports from the situation, forecast or response domains."""
    names = set()
    for path in _face_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(DOMAINS):
                names |= {(node.module, alias.name) for alias in node.names}
    return names


def untyped(annotation: object) -> bool:
    """True when the annotation is ``Any``, holds ``Any``, or is a ``dict`` whose values are not typed."""
    if annotation is typing.Any:
        return True
    if annotation is dict:
        return True
    return any(untyped(arg) for arg in typing.get_args(annotation))


def returns(module: str, name: str) -> object | None:
    found = getattr(importlib.import_module(module), name)
    if not inspect.isfunction(found):
        return None
    return typing.get_type_hints(found).get("return")


def test_the_faces_get_typed_answers_from_the_situation_forecast_and_response_domains() -> None:
    crossing = crossing_names()
    assert ("prevdip.situation", "forecast_section") in crossing  # the scan sees the faces' imports
    untyped_ones = sorted(
        f"{module}.{name} -> {annotation}"
        for module, name in crossing - LEDGER_RECORDS
        if (annotation := returns(module, name)) is not None and untyped(annotation)
    )
    assert not untyped_ones, "a face receives an untyped answer:\n" + "\n".join(untyped_ones)


def test_the_ledger_records_still_listed_are_still_untyped() -> None:
    """A listed read that has been typed leaves the list (so the list only shrinks)."""
    typed_now = sorted(f"{m}.{n}" for m, n in LEDGER_RECORDS if not untyped(returns(m, n)))
    assert not typed_now, f"typed now, remove from LEDGER_RECORDS: {typed_now}"


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
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
