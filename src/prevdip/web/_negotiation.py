"""One service call, two answers: the HTML page for people, the same data as JSON for programs.

JSON is answered when the path ends in ``.json`` or the client prefers ``application/json`` in its Accept header;
chart specifications are built only for the HTML page, so the JSON twin stays small and fast.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import date, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from prevdip.briefs.locale import evidence_line, number, strings
from prevdip.web._reading import reading_html

VENDOR = {
    "htmx": "htmx-2.0.11.min.js",
    "vega": "vega-6.4.0.min.js",
    "vega_lite": "vega-lite-6.5.0.min.js",
    "vega_embed": "vega-embed-7.3.0.min.js",
    "swagger_js": "swagger-ui-bundle-5.35.0.js",
    "swagger_css": "swagger-ui-5.35.0.css",
}

templates = Jinja2Templates(directory=str(files("prevdip.web").joinpath("templates")))
templates.env.globals.update(t=strings("en"), vendor=VENDOR)


def _chart_json(spec: Mapping[str, Any]) -> Markup:
    """A spec for a ``<script type="application/json">`` block: compact, and unable to close the script early."""
    return Markup(json.dumps(spec, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/"))


templates.env.filters["reading"] = reading_html
templates.env.filters["number"] = number
templates.env.filters["evidence"] = evidence_line
templates.env.filters["nonzero"] = lambda d: {k: v for k, v in (d or {}).items() if v not in (None, 0, False, "")}


def _accepts_json(accept: str) -> bool:
    """True when ``application/json`` is acceptable at least as much as ``text/html``."""
    quality: dict[str, float] = {}
    for part in accept.split(","):
        media, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        quality[media.strip().lower()] = q
    json_q = quality.get("application/json", 0.0)
    return json_q > 0 and json_q >= quality.get("text/html", 0.0)


def wants_json(request: Request) -> bool:
    """Does this request ask for the JSON twin?"""
    return request.url.path.endswith(".json") or _accepts_json(request.headers.get("accept", ""))


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


class PageJSON(JSONResponse):
    """JSON that also carries dates, paths and numpy values, and refuses NaN (JSON has none)."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, default=_default, ensure_ascii=False, allow_nan=False).encode("utf-8")


def json_path(request: Request) -> str:
    """The address of this page's JSON twin, query string kept."""
    path = request.url.path
    twin = path if path.endswith(".json") else ("/index.json" if path == "/" else f"{path.rstrip('/')}.json")
    return twin + (f"?{request.url.query}" if request.url.query else "")


_drawn: OrderedDict[int, tuple[Mapping[str, Any], dict[str, Any]]] = OrderedDict()
_drawn_lock = threading.Lock()


def _charts_of(data: Mapping[str, Any], build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The chart specs of ``data``, built once per answer: services hand out the same answer object until the
    workspace changes, so its charts are kept beside it (holding it, so its id cannot be reused)."""
    with _drawn_lock:
        known = _drawn.get(id(data))
    if known is not None and known[0] is data:
        return known[1]
    charts = {name: _chart_json(spec) for name, spec in build().items()}
    with _drawn_lock:
        _drawn[id(data)] = (data, charts)
        while len(_drawn) > 64:
            _drawn.popitem(last=False)
    return charts


def respond(
    request: Request,
    template: str,
    data: Mapping[str, Any],
    *,
    charts: Callable[[], dict[str, Any]] | None = None,
    status_code: int = 200,
) -> Response:
    """The JSON twin of ``data``, or the page ``template`` drawn from it (with ``charts()`` specs by id)."""
    if wants_json(request):
        return PageJSON(dict(data), status_code=status_code)
    drawn = _charts_of(data, charts) if charts else {}
    context = {"data": data, "charts": drawn, "json_url": json_path(request)}
    return HTMLResponse(templates.get_template(template).render(request=request, **context), status_code=status_code)
