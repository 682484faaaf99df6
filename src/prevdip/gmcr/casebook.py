"""The example models shipped with prevdip, each with a reading of its result in plain words.

Each case is ``<case>.json`` (the model, titled and described in English) with its reading ``<case>.md``; in Russian,
``<case>.ru.md`` is the reading and ``ru.toml`` the title and description of every case, so a mediator reads the
whole case in the region's working language. The model's own labels (decision makers, options, states) are not
translated: they are what the model file says.
"""

from __future__ import annotations

import json
import tomllib
from importlib.resources import files
from pathlib import Path
from typing import Any

from prevdip.errors import NotFound
from prevdip.gmcr.loading import load_model
from prevdip.gmcr.model import GraphModel


def _case_dir() -> Path:
    return Path(str(files("prevdip.gmcr") / "cases"))


def list_cases(lang: str = "en") -> list[dict[str, Any]]:
    """``[{"case", "title", "form", "decision_makers", "description", "path", "reading"}]``, sorted by case name; title,
    description and reading in ``lang`` (English where a case has no translation)."""
    translated = _translations(lang)
    out = []
    for path in sorted(_case_dir().glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        dms = data["decision_makers"]
        own = translated.get(path.stem, {})
        out.append(
            {
                "case": path.stem,
                "title": own.get("title") or data.get("name", path.stem),
                "form": data.get("form"),
                "decision_makers": [d if isinstance(d, str) else d["name"] for d in dms],
                "description": own.get("description") or data.get("description", ""),
                "path": str(path),
                "reading": _reading(path, lang),
            }
        )
    return out


def _translations(lang: str) -> dict[str, dict[str, str]]:
    """The cases' titles and descriptions in ``lang`` (``<lang>.toml``); none for English, the models' own."""
    table = _case_dir() / f"{lang}.toml"
    return tomllib.loads(table.read_text(encoding="utf-8")) if lang != "en" and table.is_file() else {}


def _reading(path: Path, lang: str) -> str:
    """The case's reading in ``lang`` (``<case>.<lang>.md``), or the English one (``<case>.md``)."""
    for reading in (path.with_suffix(f".{lang}.md"), path.with_suffix(".md")):
        if reading.is_file():
            return reading.read_text(encoding="utf-8")
    return ""


def case_path(name: str) -> Path:
    path = _case_dir() / f"{name}.json"
    if not path.is_file():
        known = ", ".join(p.stem for p in sorted(_case_dir().glob("*.json")))
        raise NotFound(f"no shipped case named {name!r}", hint=f"shipped cases: {known}")
    return path


def load_case(name: str) -> GraphModel:
    """A shipped case by name (e.g. ``"elmira"``)."""
    return load_model(case_path(name))


def resolve_model(path_or_case: str) -> GraphModel:
    """A model file path, or a shipped case's name when no such file exists."""
    path = Path(path_or_case)
    if path.is_file() or path.suffix in {".json", ".gmcr"} or "/" in path_or_case:
        return load_model(path)
    return load_case(path_or_case)


def resolve_document(path_or_case: str) -> tuple[dict[str, Any], GraphModel]:
    """The model file's own JSON (to write an adjusted copy in the same format) and the model read from it."""
    path = Path(path_or_case)
    if not (path.is_file() or path.suffix in {".json", ".gmcr"} or "/" in path_or_case):
        path = case_path(path_or_case)
    model = load_model(path)  # refuses a missing or malformed file, naming it
    return json.loads(path.read_text(encoding="utf-8")), model
