"""``/gmcr``: open a shipped example or an uploaded model, and show its analysis.

An upload is checked by the GMCR domain before anything is written; a model that passes is kept in the workspace
under ``gmcr/models/<sha256 prefix>.json`` so its page can be reopened; a malformed one is shown back with its
errors and nothing is stored.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from prevdip.briefs import charts
from prevdip.briefs.locale import say
from prevdip.catalogue import Workspace
from prevdip.errors import NotFound, RefusedInput
from prevdip.gmcr import analyze, list_cases, load_model, status_quo
from prevdip.situation import asked, section
from prevdip.web._cache import while_workspace_unchanged
from prevdip.web._schemas import Case, CasesSection, Gmcr, GmcrAnalysis, GmcrModel, StatusQuoSection, extended

MAX_UPLOAD_BYTES = 1_000_000
CONCEPTS = ("nash", "gmr", "smr", "seq")


def _models(workspace: Path) -> Path:
    return Workspace(workspace).gmcr_models


def _stored(model_id: str, workspace: Path) -> dict[str, Any]:
    path = _models(workspace) / f"{model_id}.json"
    if not model_id.isalnum() or not path.is_file():
        raise NotFound(f"no uploaded GMCR model {model_id!r}", hint="upload it again on the GMCR page")
    return dict(json.loads(path.read_text(encoding="utf-8")))


def _examples() -> dict[str, dict[str, Any]]:
    """The shipped example models by name: ``{name: {"title", "reading", "document"}}``."""
    return {
        case["case"]: {
            "title": case["title"],
            "reading": case["reading"],
            "document": json.loads(Path(case["path"]).read_text(encoding="utf-8")),
        }
        for case in asked(list_cases)
    }


def _example(name: str) -> tuple[str, dict[str, Any], str]:
    examples = _examples()
    if name not in examples:
        raise NotFound(f"no GMCR example {name!r}", hint=f"examples: {', '.join(examples)}")
    case = examples[name]
    return case["title"], case["document"], case["reading"]


def analysis(document: dict[str, Any], from_state: str | None) -> dict[str, Any]:
    """Analyse a model document: ``{"analysis": <gmcr analyze --json>, "status_quo": <a section>}``.

    A malformed document is refused by the domain with :class:`RefusedInput`; that refusal is passed on untouched,
    so the upload form can show it. Status-quo analysis refused for a large model becomes a stated reason.
    """
    model = load_model(document)
    found = dict(analyze(model).as_dict())
    start = from_state or found.get("status_quo") or found["states"][0]
    return {"analysis": found, "status_quo": section(StatusQuoSection, lambda: status_quo(model, str(start)))}


@while_workspace_unchanged()
def gmcr_page(example: str | None, model_id: str | None, from_state: str | None, *, workspace: Path) -> Gmcr:
    """The examples to open and, when one is chosen, its analysis and status-quo paths.

    An unknown uploaded model or example is a 404.
    """
    examples = section(
        CasesSection, lambda: {"cases": [Case(name=k, title=v["title"]) for k, v in sorted(_examples().items())]}
    )
    chosen = None
    if model_id:
        chosen = f"upload {model_id}", _stored(model_id, workspace), ""
    elif example and examples.available:
        chosen = _example(example)
    model = None
    if chosen is not None:
        title, document, reading = chosen
        found = section(GmcrAnalysis, lambda: analysis(document, from_state))
        model = extended(GmcrModel, found, name=title, example=example, id=model_id, reading=reading)
    return Gmcr(examples=examples, model=model, errors=[])


def _problems(refusal: Exception) -> list[str]:
    errors = getattr(refusal, "errors", None)
    if callable(errors):  # pydantic ValidationError
        return [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors()]
    return [str(refusal)]


def accept_upload(raw: bytes, *, workspace: Path) -> tuple[str | None, list[str]]:
    """Check an uploaded model and keep it: ``(model_id, [])``, or ``(None, errors)`` with nothing written."""
    if not raw:
        return None, ["the file is empty: choose a model file in the JSON format"]
    if len(raw) > MAX_UPLOAD_BYTES:
        return None, [f"the file is {len(raw):,} bytes; the limit is {MAX_UPLOAD_BYTES:,}"]
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as problem:
        return None, [f"the file is not UTF-8 text (byte {problem.start})"]
    except json.JSONDecodeError as problem:
        return None, [f"not valid JSON: {problem.msg} at line {problem.lineno}, column {problem.colno}"]
    if not isinstance(document, dict):
        return None, ["the model must be a JSON object with decision_makers, states or options, and preferences"]
    try:
        analysis(document, None)
    except (RefusedInput, ValueError, KeyError, TypeError) as refusal:
        return None, _problems(refusal)
    return _keep(raw, workspace), []


def _keep(raw: bytes, workspace: Path) -> str:
    """Write the model atomically under its content hash (the same upload twice is one file)."""
    model_id = hashlib.sha256(raw).hexdigest()[:16]
    folder = _models(workspace)
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(raw)
    os.replace(temporary, folder / f"{model_id}.json")
    return model_id


def stability_rows(analysis: dict[str, Any]) -> list[dict[str, Any]]:
    """State × concept with the number of decision makers for which the state is stable."""
    stability = analysis.get("stability", {})
    return [
        {
            "state": state,
            "concept": concept,
            "stable_for": sum(state in states for states in stability.get(concept, {}).values()),
        }
        for state in analysis.get("states", [])
        for concept in CONCEPTS
    ]


def gmcr_charts(data: Gmcr, lang: str = "en") -> dict[str, Any]:
    """The stability heatmap of the open model, titled in ``lang``."""
    if data.model is None or not data.model.available:
        return {}
    rows = stability_rows(data.model.analysis or {})
    return {"stability": charts.stability_heatmap(rows, title=say("gmcr.chart_title", lang))}
