"""One service call, two answers: the HTML page for people, the same data as JSON for programs.

JSON is answered when the path ends in ``.json`` or the client prefers ``application/json`` in its Accept header;
chart specifications are built only for the HTML page, so the JSON twin stays small and fast.

Pages are worded in the reader's language (:func:`page_language`): ``?lang=ru`` on any page, remembered in a cookie
so the links inside the dashboard keep it. The JSON twin is the same in every language (its keys are codes).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from importlib.resources import files
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from pydantic_core import to_json

from prevdip.briefs.locale import LANGUAGES, evidence_line, explanation_line, number, probability, strings, terms
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
templates.env.globals.update(vendor=VENDOR)


def _chart_json(spec: Mapping[str, Any]) -> Markup:
    """A spec for a ``<script type="application/json">`` block: compact, and unable to close the script early."""
    return Markup(json.dumps(spec, separators=(",", ":"), ensure_ascii=False).replace("<", "\\u003c"))


templates.env.filters["reading"] = reading_html
templates.env.filters["number"] = number
templates.env.filters["probability"] = probability
templates.env.filters["explained"] = explanation_line
templates.env.filters["evidence"] = evidence_line
templates.env.filters["nonzero"] = lambda d: {k: v for k, v in (d or {}).items() if v not in (None, 0, False, "")}
terms.install(templates.env)


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


def _numpy(value: Any) -> Any:
    if hasattr(value, "tolist"):  # numpy scalars and arrays from the domains' frames
        return value.tolist()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def encode_json(content: Any) -> bytes:
    """UTF-8 JSON that also carries dates, paths and numpy values; NaN and infinities become null (JSON has none)."""
    return to_json(content, fallback=_numpy, inf_nan_mode="null")


def json_path(request: Request) -> str:
    """The address of this page's JSON twin, query string kept."""
    path = request.url.path
    twin = path if path.endswith(".json") else ("/index.json" if path == "/" else f"{path.rstrip('/')}.json")
    return twin + (f"?{request.url.query}" if request.url.query else "")


LANG_COOKIE = "lang"
LANG_KEPT_SECONDS = 365 * 24 * 3600


def page_language(request: Request) -> str:
    """The language to draw this page in: ``?lang=`` when given, else the reader's last choice (a cookie), else
    English. An unknown ``?lang=`` was refused before the page was built; a stale cookie is simply ignored."""
    for chosen in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if chosen in LANGUAGES:
            return str(chosen)
    return "en"


def language_links(request: Request) -> dict[str, str]:
    """This page in each language: the same path and query with ``lang`` set (for the EN/RU switch)."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return {code: f"{request.url.path}?{urlencode([*kept, ('lang', code)])}" for code in LANGUAGES}


def _remember_language(request: Request, response: Response) -> Response:
    """Keep a language chosen with ``?lang=`` for the pages the reader opens next."""
    chosen = request.query_params.get("lang")
    if chosen in LANGUAGES and request.cookies.get(LANG_COOKIE) != chosen:
        response.set_cookie(LANG_COOKIE, str(chosen), max_age=LANG_KEPT_SECONDS, samesite="lax", httponly=True)
    response.headers["Content-Language"] = page_language(request)
    return response


_rendered: OrderedDict[tuple[Any, ...], tuple[Mapping[str, Any], bytes]] = OrderedDict()
_rendered_lock = threading.Lock()
RENDERED_KEPT = 256


def _once(data: Mapping[str, Any], how: tuple[str, ...], render: Callable[[], bytes]) -> bytes:
    """``render()`` once per answer and form: services hand out the same answer object until the workspace changes,
    so its rendering is kept beside it (holding the answer, so its id cannot be reused meanwhile)."""
    key = (id(data), *how)
    with _rendered_lock:
        known = _rendered.get(key)
        if known is not None and known[0] is data:
            _rendered.move_to_end(key)
            return known[1]
    body = render()
    with _rendered_lock:
        _rendered[key] = (data, body)
        while len(_rendered) > RENDERED_KEPT:
            _rendered.popitem(last=False)
    return body


def respond(
    request: Request,
    template: str,
    data: Mapping[str, Any],
    *,
    charts: Callable[[str], dict[str, Any]] | None = None,
    status_code: int = 200,
) -> Response:
    """The JSON twin of ``data``, or the page ``template`` drawn from it (with ``charts(lang)`` specs by id, worded
    in the page's language)."""
    if wants_json(request):
        return _json_twin(data, status_code)
    json_url = json_path(request)
    lang = page_language(request)

    def page() -> bytes:
        drawn = {name: _chart_json(spec) for name, spec in (charts(lang) if charts else {}).items()}
        words = {"t": strings(lang), "lang": lang, "languages": language_links(request)}
        html = templates.get_template(template).render(data=data, charts=drawn, json_url=json_url, **words)
        return html.encode("utf-8")

    body = _once(data, (template, json_url, lang), page)  # json_url carries the query, so the links match too
    page_response = Response(body, status_code=status_code, media_type="text/html; charset=utf-8")
    return _remember_language(request, page_response)


def _json_twin(data: Mapping[str, Any], status_code: int = 200) -> Response:
    body = _once(data, ("json",), lambda: encode_json(data))
    return Response(body, status_code=status_code, media_type="application/json")


def respond_document(
    request: Request, data: Mapping[str, Any], document: Callable[[str], bytes], *, form: str, media_type: str
) -> Response:
    """A page that is a whole document of its own (the brief as HTML or PDF) drawn by ``document(lang)`` in the
    reader's language, or, when asked, its JSON twin."""
    if wants_json(request):
        return _json_twin(data)
    lang = page_language(request)
    body = _once(data, (form, lang), lambda: document(lang))
    return _remember_language(request, Response(body, media_type=media_type))
