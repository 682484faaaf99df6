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

from prevdip.briefs import charts, readings
from prevdip.briefs.locale import say
from prevdip.briefs.readings import Unavailable, section
from prevdip.catalogue import Workspace
from prevdip.errors import NotFound, RefusedInput
from prevdip.web._cache import while_workspace_unchanged

MAX_UPLOAD_BYTES = 1_000_000
CONCEPTS = ("nash", "gmr", "smr", "seq")


def _models(workspace: Path) -> Path:
    return Workspace(workspace).gmcr_models


def _stored(model_id: str, workspace: Path) -> dict[str, Any]:
    path = _models(workspace) / f"{model_id}.json"
    if not model_id.isalnum() or not path.is_file():
        raise NotFound(f"no uploaded GMCR model {model_id!r}", hint="upload it again on the GMCR page")
    return dict(json.loads(path.read_text(encoding="utf-8")))


def _example(name: str) -> tuple[str, dict[str, Any], str]:
    examples = readings.gmcr_examples()
    if name not in examples:
        raise NotFound(f"no GMCR example {name!r}", hint=f"examples: {', '.join(examples)}")
    case = examples[name]
    return case["title"], case["document"], case["reading"]


@while_workspace_unchanged()
def gmcr_page(example: str | None, model_id: str | None, from_state: str | None, *, workspace: Path) -> dict[str, Any]:
    """The examples to open and, when one is chosen, its analysis and status-quo paths.

    An unknown uploaded model or example is a 404; with the GMCR engine missing, the page says so.
    """
    examples = section(
        lambda: {"cases": [{"name": k, "title": v["title"]} for k, v in sorted(readings.gmcr_examples().items())]}
    )
    chosen = None
    if model_id:
        chosen = f"upload {model_id}", _stored(model_id, workspace), ""
    elif example and examples["available"]:
        chosen = _example(example)
    result: dict[str, Any] = {"examples": examples, "model": None, "errors": []}
    if chosen is not None:
        title, document, reading = chosen
        result["model"] = {
            "name": title,
            "example": example,
            "id": model_id,
            "reading": reading,
            **section(lambda: readings.gmcr_analysis(document, from_state)),
        }
    return result


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
        readings.gmcr_analysis(document, None)
    except Unavailable as missing:
        return None, [missing.reason]
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


def gmcr_charts(data: dict[str, Any], lang: str = "en") -> dict[str, Any]:
    """The stability heatmap of the open model, titled in ``lang``."""
    model = data.get("model")
    if not model or not model.get("available"):
        return {}
    rows = stability_rows(model["analysis"])
    return {"stability": charts.stability_heatmap(rows, title=say("gmcr.chart_title", lang))}
