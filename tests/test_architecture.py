"""The architecture, checked: the import graph of ``src/prevdip``, read from the code's syntax, against the layers and
forbidden arrows of ``docs/architecture.toml`` — and ``docs/architecture.md`` states the same tables.

Every ``import``, every ``from ... import`` (inside functions too) and every ``importlib.import_module("prevdip...")``
is an arrow. The tests of the test build small trees in a temporary folder and show each kind of violation is found.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
TABLE = REPO / "docs" / "architecture.toml"
DOC = REPO / "docs" / "architecture.md"


@dataclass(frozen=True)
class Arrow:
    """``source`` imports ``target`` (module names), ``typing_only`` when under ``if TYPE_CHECKING:``."""

    source: str
    target: str
    typing_only: bool
    line: int


def _modules(root: Path, package: str) -> dict[str, Path]:
    found = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _typing_only(tree: ast.AST) -> set[int]:
    """The nodes inside ``if TYPE_CHECKING:`` blocks."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        test = node.test if isinstance(node, ast.If) else None
        named = getattr(test, "id", None) or getattr(test, "attr", None)
        if named == "TYPE_CHECKING":
            inside |= {id(sub) for statement in node.body for sub in ast.walk(statement)}  # type: ignore[attr-defined]
    return inside


def _imported(node: ast.AST) -> list[str]:
    """The dotted names an import statement or an ``import_module("...")`` call brings in."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and not node.level:  # a submodule, or a name in the module
        return [f"{node.module}.{alias.name}" for alias in node.names]
    if isinstance(node, ast.Call):
        called = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
        first = node.args[0] if node.args else None
        if called == "import_module" and isinstance(first, ast.Constant) and isinstance(first.value, str):
            return [first.value]
        if called == "import_module" and isinstance(first, ast.JoinedStr) and first.values:
            head = first.values[0]
            return [str(head.value).rstrip(".")] if isinstance(head, ast.Constant) else []
    return []


def import_graph(root: Path, package: str = "prevdip") -> list[Arrow]:
    """Every arrow between the modules of ``package`` under ``root``."""
    modules = _modules(root, package)
    arrows = []
    for source, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = _typing_only(tree)
        for node in ast.walk(tree):
            names = [n for n in _imported(node) if n == package or n.startswith(package + ".")]
            targets = {_known(name, modules) for name in names} - {None, source}
            for target in sorted(t for t in targets if t is not None):
                arrows.append(Arrow(source, target, id(node) in typing_only, getattr(node, "lineno", 0)))
    return arrows


def _known(name: str, modules: dict[str, Path]) -> str | None:
    """The module a dotted name lands in (``from a.b import c`` names module ``a.b.c`` or a name inside ``a.b``)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def component(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _within(module: str, prefix: str, package: str) -> bool:
    full = f"{package}.{prefix}"
    return module == full or module.startswith(full + ".")


def violations(arrows: list[Arrow], table: dict[str, Any], package: str = "prevdip") -> list[str]:
    """What the arrows break: a layer order, a forbidden arrow, a private module reached from outside."""
    layer_of = {c: n for n, layer in enumerate(table["layer"]) for c in layer["components"]}
    found = []
    for arrow in arrows:
        here, there = component(arrow.source), component(arrow.target)
        where = f"{arrow.source} (line {arrow.line}) imports {arrow.target}"
        if here not in layer_of or there not in layer_of:
            found.append(f"{where}: {here if here not in layer_of else there} is in no layer of the table")
        elif here != there and layer_of[there] >= layer_of[here]:
            found.append(f"{where}: {here} may not import {there} (not a lower layer)")
        for rule in table.get("forbidden", []):
            if here == rule["from"] and any(_within(arrow.target, t, package) for t in rule["to"]):
                found.append(f"{where}: forbidden — {rule['why']}")
        private = [p for p in arrow.target.split(".")[1:] if p.startswith("_") and p != "__init__"]
        if private and here != there:
            found.append(f"{where}: a private module of {there}")
    return found


def circles(arrows: list[Arrow]) -> list[list[str]]:
    """Import circles between modules (Tarjan's strongly connected components), type-only arrows aside."""
    graph: dict[str, set[str]] = {}
    for arrow in arrows:
        if not arrow.typing_only:
            graph.setdefault(arrow.source, set()).add(arrow.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            members = []
            while True:
                member = stack.pop()
                members.append(member)
                if member == node:
                    break
            if len(members) > 1:
                found.append(sorted(members))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _table() -> dict[str, Any]:
    return tomllib.loads(TABLE.read_text(encoding="utf-8"))


# --- the real tree -----------------------------------------------------------------------------------------------


def test_every_arrow_points_down_the_layers() -> None:
    assert violations(import_graph(REPO / "src"), _table()) == []


def test_no_import_circle() -> None:
    assert circles(import_graph(REPO / "src")) == []


def test_every_component_of_the_package_has_a_layer() -> None:
    components = {component(m) for m in _modules(REPO / "src", "prevdip")}
    placed = {c for layer in _table()["layer"] for c in layer["components"]}
    assert components == placed


def test_only_the_cli_discovers_modules_by_name() -> None:
    dynamic = [a for a in import_graph(REPO / "src") if "import_module" in _line(a)]
    assert {component(a.source) for a in dynamic} <= {"cli"}


def _line(arrow: Arrow) -> str:
    path = REPO / "src" / (arrow.source.replace(".", "/") + ".py")
    path = path if path.is_file() else path.with_suffix("") / "__init__.py"
    return path.read_text(encoding="utf-8").splitlines()[arrow.line - 1]


def test_the_document_states_the_table() -> None:
    doc = DOC.read_text(encoding="utf-8")
    for n, layer in enumerate(_table()["layer"]):
        row = f"| {n} | {layer['name']} | {', '.join(f'`{c}`' for c in layer['components'])} | {layer['why']} |"
        assert row in doc, row
    for rule in _table()["forbidden"]:
        row = f"| `{rule['from']}` | {', '.join(f'`{t}`' for t in rule['to'])} | {rule['why']} |"
        assert row in doc, row


# --- the test of the test: a small tree with each kind of fault --------------------------------------------------

SMALL = {
    "layer": [
        {"name": "base", "components": ["prevdip", "errors"], "why": ""},
        {"name": "lake", "components": ["events"], "why": ""},
        {"name": "signals", "components": ["signals"], "why": ""},
        {"name": "forecast", "components": ["forecast"], "why": ""},
    ],
    "forbidden": [{"from": "forecast", "to": ["events.query"], "why": "read through signals"}],
}


def _tree(root: Path, files: dict[str, str]) -> Path:
    base = {
        "prevdip/__init__.py": "",
        "prevdip/errors.py": "",
        "prevdip/events/__init__.py": "",
        "prevdip/events/query.py": "from prevdip.errors import x\n",
        "prevdip/events/_lake.py": "",
        "prevdip/signals/__init__.py": "from prevdip.events import query\n",
        "prevdip/forecast/__init__.py": "from prevdip.signals import stages\n",
    }
    for name, text in {**base, **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def _found(tmp_path: Path, files: dict[str, str]) -> Iterator[str]:
    arrows = import_graph(_tree(tmp_path, files))
    yield from violations(arrows, SMALL)
    yield from (" <-> ".join(c) for c in circles(arrows))


def test_a_clean_small_tree_passes(tmp_path: Path) -> None:
    assert list(_found(tmp_path, {})) == []


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"prevdip/events/query.py": "from prevdip.signals import panels\n"}, "events may not import signals"),
        ({"prevdip/signals/panels.py": "def f():\n    from prevdip.forecast import x\n"}, "may not import forecast"),
        (
            {"prevdip/events/query.py": "import importlib\nm = importlib.import_module('prevdip.forecast')\n"},
            "events may not import forecast",
        ),
        ({"prevdip/forecast/target.py": "from prevdip.events.query import read\n"}, "forbidden — read through"),
        ({"prevdip/signals/lake.py": "from prevdip.events._lake import files\n"}, "a private module of events"),
        ({"prevdip/cycle.py": "import prevdip.errors\n"}, "cycle is in no layer"),
        (
            {
                "prevdip/signals/a.py": "from prevdip.signals.b import y\n",
                "prevdip/signals/b.py": "import prevdip.signals.a\n",
            },
            "prevdip.signals.a <-> prevdip.signals.b",
        ),
    ],
)
def test_each_fault_is_found(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    found = list(_found(tmp_path, files))
    assert any(expected in problem for problem in found), found


def test_a_type_only_import_counts_for_the_layers_but_makes_no_circle(tmp_path: Path) -> None:
    typing_only = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    "
    files = {
        "prevdip/signals/a.py": "from prevdip.signals.b import y\n",
        "prevdip/signals/b.py": typing_only + "from prevdip.signals.a import z\n",
        "prevdip/events/hint.py": typing_only + "from prevdip.forecast import p\n",
    }
    found = list(_found(tmp_path, files))
    assert not any("<->" in problem for problem in found)
    assert any("events may not import forecast" in problem for problem in found)
