"""``/gmcr``: open a shipped example or an uploaded model, and show its analysis.

An upload is checked by the GMCR domain before anything is written; a model that passes is kept in the workspace
by the GMCR domain (:mod:`prevdip.gmcr.uploads`, under its content hash) so its page can be reopened; a malformed
one is shown back with its errors and nothing is stored.

Checking and analysing run in a separate process with a time and memory limit
(:mod:`prevdip.web._time_limit`): the page gets the same analysis as ``prevdip gmcr analyze`` (the same defaults),
and a model too large to finish in :data:`WEB_SECONDS` gets a sentence saying so and pointing to the command
line, instead of a server that stalls for everyone. Finished analyses are kept (by content) so the page reopens
at once; a stopped one is not, so it is tried again on the next visit.

The page payload is flat and documented in ``docs/gmcr.md``: ``model.analysis`` is the ``analyze --json`` object,
``model.status_quo`` the ``status-quo --json`` one (a section), and ``model.table`` the rows the page draws (the
first :data:`TABLE_ROWS` states; the JSON has them all).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from prevdip.briefs import charts
from prevdip.briefs.locale import say
from prevdip.errors import NotFound, RefusedInput
from prevdip.gmcr import analyze, keep_upload, list_cases, load_model, read_upload, status_quo
from prevdip.situation import Unavailable, asked, section
from prevdip.web._schemas import (
    Case,
    CasesSection,
    Gmcr,
    GmcrAnalysis,
    GmcrModel,
    StabilityRow,
    StabilityTable,
    StatusQuoSection,
    extended,
)
from prevdip.web._time_limit import OverTimeLimit, run_with_time_limit, warm_up

MAX_UPLOAD_BYTES = 1_000_000
CONCEPTS = ("nash", "gmr", "smr", "seq")
WEB_SECONDS = 30.0  # what a page waits for an analysis; the command line has no such limit
WEB_MEMORY_BYTES = 3 * 1024**3  # address space of one analysis (the server itself is not touched)
TABLE_ROWS = 256  # states drawn in the page's stability table and chart
KEPT_ANALYSES = 32

_analyses: OrderedDict[tuple[str, str | None, str], dict[str, Any]] = OrderedDict()
_analyses_lock = threading.Lock()


def _examples(lang: str) -> dict[str, dict[str, Any]]:
    """The shipped example models by name, titled, described and read in ``lang``: ``{name: {"title", "reading",
    "document"}}`` (the document's name and description are the case's in ``lang``, so its analysis says them)."""
    return {
        case["case"]: {
            "title": case["title"],
            "reading": case["reading"],
            "document": json.loads(Path(case["path"]).read_text(encoding="utf-8"))
            | {"name": case["title"], "description": case["description"]},
        }
        for case in asked(lambda: list_cases(lang))
    }


def _example(name: str, lang: str) -> tuple[str, dict[str, Any], str]:
    examples = _examples(lang)
    if name not in examples:
        raise NotFound(f"no GMCR example {name!r}", hint=f"examples: {', '.join(examples)}")
    case = examples[name]
    return case["title"], case["document"], case["reading"]


def gmcr_page(
    example: str | None, model_id: str | None, from_state: str | None, *, workspace: Path, lang: str = "en"
) -> Gmcr:
    """The examples to open and, when one is chosen, its analysis and status-quo paths, the readings in ``lang``.

    An unknown uploaded model or example is a 404; with the GMCR engine missing, the page says so. An uploaded
    model is titled by its own name (the file's ``name``), as the command line titles it.
    """
    warm_up()  # the first upload then finds the analysis worker ready
    examples = section(
        CasesSection, lambda: {"cases": [Case(name=k, title=v["title"]) for k, v in sorted(_examples(lang).items())]}
    )
    chosen = None
    if model_id:
        document = read_upload(model_id, workspace)
        chosen = str(document.get("name") or f"upload {model_id}"), document, ""
    elif example and examples.available:
        chosen = _example(example, lang)
    model = None
    if chosen is not None:
        title, document, reading = chosen
        found = section(GmcrAnalysis, lambda: _analysis(document, from_state, lang))
        if found.analysis is not None and model_id:
            title = found.analysis.model
        model = extended(GmcrModel, found, name=title, example=example, id=model_id, reading=reading)
    return Gmcr(examples=examples, model=model, errors=[])


def check(document: dict[str, Any]) -> dict[str, Any]:
    """Read a model document the way the analysis will: ``{"name", "states"}``, or :class:`RefusedInput` naming the
    field that is wrong (run in the worker with the time limit)."""
    model = load_model(document)
    return {"name": model.name, "states": model.m}


def analysis(document: dict[str, Any], from_state: str | None, lang: str = "en") -> dict[str, Any]:
    """Analyse a model document: ``{"analysis": <gmcr analyze --json>, "status_quo": <a section>}``, the
    explanations in ``lang`` (run in the worker with the time limit).

    A malformed document is refused by the domain with :class:`RefusedInput`; that refusal is passed on untouched,
    so the upload form can show it. Status-quo analysis refused for a large model becomes a stated reason.
    """
    model = load_model(document)
    found = dict(analyze(model, lang=lang).as_dict())
    start = from_state or found.get("status_quo") or found["states"][0]
    return {"analysis": found, "status_quo": section(StatusQuoSection, lambda: status_quo(model, str(start)))}


def _analysis(document: dict[str, Any], from_state: str | None, lang: str) -> dict[str, Any]:
    """The analysis of a model document (kept once finished, per language), with the rows the page draws."""
    key = (hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest(), from_state, lang)
    with _analyses_lock:
        if key in _analyses:
            _analyses.move_to_end(key)
            return _analyses[key]
    try:
        found = run_with_time_limit(
            analysis, document, from_state, lang, seconds=WEB_SECONDS, memory_bytes=WEB_MEMORY_BYTES
        )
    except OverTimeLimit as stopped:
        raise Unavailable(say(f"gmcr.over_{stopped.why}_limit", seconds=f"{WEB_SECONDS:g}")) from None
    except RuntimeError as failure:
        raise Unavailable(f"this part failed inside prevdip ({failure})") from None
    found["table"] = stability_table(found["analysis"])
    with _analyses_lock:
        _analyses[key] = found
        while len(_analyses) > KEPT_ANALYSES:
            _analyses.popitem(last=False)
    return found


def stability_table(analysis: dict[str, Any], limit: int = TABLE_ROWS) -> StabilityTable:
    """For the first ``limit`` states, each state's options, the decision makers it is stable for under each concept
    and whether it is an equilibrium: what the page draws, decided once here rather than by list lookups in the
    template (which took half a minute at a thousand states)."""
    states = analysis["states"][:limit]
    stable = {c: {dm: set(s) for dm, s in analysis["stability"][c].items()} for c in CONCEPTS}
    equilibria = {c: set(analysis["equilibria"][c]) for c in CONCEPTS}
    options = analysis.get("options") or {}
    rows = [
        StabilityRow(
            state=s,
            options="".join(options[s].values()) if s in options else "",
            stable={c: [s in stable[c][dm] for dm in analysis["decision_makers"]] for c in CONCEPTS},
            equilibrium={c: s in equilibria[c] for c in CONCEPTS},
        )
        for s in states
    ]
    return StabilityTable(rows=rows, shown=len(rows), total=len(analysis["states"]))


def _problems(refusal: Exception) -> list[str]:
    errors = getattr(refusal, "errors", None)
    if callable(errors):  # pydantic ValidationError
        return [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors()]
    return [str(refusal)]


def accept_upload(raw: bytes, *, workspace: Path) -> tuple[str | None, list[str]]:
    """Check an uploaded model and keep it: ``(model_id, [])``, or ``(None, errors)`` with nothing written.

    Checking reads the model as the analysis will (every field, the compiled states), in the worker with the time
    limit; the analysis itself is the page's.
    """
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
        run_with_time_limit(check, document, seconds=WEB_SECONDS, memory_bytes=WEB_MEMORY_BYTES)
    except Unavailable as missing:
        return None, [missing.reason]
    except OverTimeLimit as stopped:
        return None, [say(f"gmcr.over_{stopped.why}_limit", seconds=f"{WEB_SECONDS:g}")]
    except RuntimeError as failure:
        return None, [f"the model could not be checked: {failure}"]
    except (RefusedInput, ValueError, KeyError, TypeError) as refusal:
        return None, _problems(refusal)
    return keep_upload(raw, workspace), []


def stability_rows(table: StabilityTable) -> list[dict[str, Any]]:
    """State × concept with the number of decision makers for which the state is stable (the table's states)."""
    return [
        {"state": row.state, "concept": concept, "stable_for": sum(row.stable[concept])}
        for row in table.rows
        for concept in CONCEPTS
    ]


def gmcr_charts(data: Gmcr, lang: str = "en") -> dict[str, Any]:
    """The stability heatmap of the open model, titled in ``lang``."""
    if data.model is None or data.model.table is None:
        return {}
    rows = stability_rows(data.model.table)
    return {"stability": charts.stability_heatmap(rows, title=say("gmcr.chart_title", lang))}
