"""One home for each shared concept: its literal appears in its home module of ``src/prevdip`` and nowhere else.

A second spelling of the home region, a stage or priority-group list, a bundle path, a workspace folder or a forecast
target is a second home that will drift from the first; prose (docstrings, comments) may name them freely. Each rule
is checked on the real tree and, in the test of the test, shown to fire on a small file written for it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from prevdip.signals import PRIORITY_GROUPS, STAGES

SRC = Path(__file__).resolve().parents[1] / "src" / "prevdip"
BUNDLE_FOLDERS = ("ucdp/", "gdelt/", "tfdd/", "natural-earth/", "covariates/", "acled/", "mid/")
WORKSPACE_FOLDERS = {"lake", "events", "series", ".staging", "vintages", "backtests", "briefs", "downloads", "gmcr"}
# "provinces" is a forecast target too, but also a plain word (a dispute's provinces): only the others are checked.
TARGETS = {"ucdp-best", "stage-crisis", "border-dyads"}


@dataclass(frozen=True)
class Home:
    concept: str
    home: tuple[str, ...]  # paths under src/prevdip
    found: Callable[[ast.AST], bool]


def _text(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _words(node: ast.AST) -> list[str]:
    """The string elements of a tuple, list or set literal, or the string keys of a dict literal."""
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        items = node.elts
    elif isinstance(node, ast.Dict):
        items = [k for k in node.keys if k is not None]
    else:
        return []
    return [t for t in (_text(i) for i in items) if t is not None]


def _several(node: ast.AST, vocabulary: set[str]) -> bool:
    words = _words(node)
    return len(words) >= 2 and all(w in vocabulary for w in words)


def _folder_joined(node: ast.AST) -> bool:
    """``something / "lake"``: a workspace folder spelled as a path part."""
    return isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and _text(node.right) in WORKSPACE_FOLDERS


def _defines(name: str) -> Callable[[ast.AST], bool]:
    def found(node: ast.AST) -> bool:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            return node.name == name
        if isinstance(node, ast.Assign):
            return any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
        return isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name

    return found


HOMES = (
    Home("the home region", ("geo/_regions.py",), lambda n: "central-asia+afghanistan" in (_text(n) or "")),
    Home("a list of stages", ("signals/stages.py",), lambda n: _several(n, {*STAGES, "unknown"})),
    Home("a list of priority groups", ("signals/taxonomy.py",), lambda n: _several(n, set(PRIORITY_GROUPS))),
    Home("a path in the bundle", ("catalogue.py",), lambda n: (_text(n) or "").startswith(BUNDLE_FOLDERS)),
    Home("the bundle's manifest", ("catalogue.py",), lambda n: _text(n) == "MANIFEST.tsv"),
    Home("a workspace folder", ("catalogue.py",), _folder_joined),
    Home("a forecast target", ("forecast/targets.py",), lambda n: _text(n) in TARGETS),
    Home("the backtest's default origins", ("forecast/targets.py",), lambda n: _text(n) == "2018-01:2025-06"),
    Home(
        "the forecast horizons",
        ("forecast/targets.py",),
        lambda n: isinstance(n, ast.Tuple | ast.List) and [getattr(e, "value", None) for e in n.elts] == [1, 3, 6, 12],
    ),
    Home("the stage list's name", ("signals/stages.py",), _defines("STAGES")),
    Home("the crisis stages' name", ("signals/stages.py",), _defines("CRISIS_STAGES")),
    Home("the priority groups' name", ("signals/taxonomy.py",), _defines("PRIORITY_GROUPS")),
    Home("the audience", ("events/sharing.py",), _defines("Audience")),
    Home("the month", ("months.py",), _defines("Month")),
    Home("a month parser", (), _defines("parse_month")),
    Home("a workspace resolver", ("settings.py",), _defines("resolve_workspace")),
    Home("a private workspace resolver", (), _defines("_workspace")),
)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and _text(first.value) is not None:
                found.add(id(first.value))
    return found


def spellings(root: Path, homes: tuple[Home, ...] = HOMES) -> Iterator[str]:
    """Every place under ``root`` where a concept is spelled outside its home."""
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        prose = _docstrings(tree)
        for node in ast.walk(tree):
            if id(node) in prose:
                continue
            for home in homes:
                if relative not in home.home and home.found(node):
                    where = " or ".join(home.home) or "nowhere: it was folded into one"
                    yield f"{relative}:{getattr(node, 'lineno', '?')}: {home.concept} (its home: {where})"


def test_each_concept_is_spelled_in_its_home_only() -> None:
    assert list(spellings(SRC)) == []


@pytest.mark.parametrize(
    ("code", "concept"),
    [
        ('REGION = "central-asia+afghanistan"\n', "the home region"),
        ('HELP = "default central-asia+afghanistan"\n', "the home region"),
        ('ACTIVE = ("crisis", "war")\n', "a list of stages"),
        ('GROUPS = {"border_disputes": "x", "afghanistan_spillover": "y"}\n', "a list of priority groups"),
        ('FILE = "ucdp/ucdp-brd-dyadic-251.csv"\n', "a path in the bundle"),
        ('def f(ws):\n    return ws / "vintages"\n', "a workspace folder"),
        ('TARGET = "stage-crisis"\n', "a forecast target"),
        ("HORIZONS = [1, 3, 6, 12]\n", "the forecast horizons"),
        ("def parse_month(text):\n    return text\n", "a month parser"),
        ("STAGES = ()\n", "the stage list's name"),
    ],
)
def test_a_second_home_is_found(tmp_path: Path, code: str, concept: str) -> None:
    (tmp_path / "elsewhere.py").write_text(code, encoding="utf-8")
    found = list(spellings(tmp_path))
    assert any(f.startswith("elsewhere.py:") and concept in f for f in found), found


def test_prose_may_name_them(tmp_path: Path) -> None:
    (tmp_path / "prose.py").write_text(
        '"""The centre reports on central-asia+afghanistan; stages ("crisis", "war") are named here."""\n'
        "def f():\n"
        '    """Reads ucdp/ucdp-brd-dyadic-251.csv once."""\n',
        encoding="utf-8",
    )
    assert list(spellings(tmp_path)) == []
