"""One service call, two answers: the HTML page for people, the same data as JSON for programs.

JSON is answered when the path ends in ``.json`` or the client prefers ``application/json`` in its Accept header;
chart specifications are built only for the HTML page, so the JSON twin stays small and fast.

Pages are worded in the reader's language (:func:`page_language`): ``?lang=ru`` on any page, kept on a signed-in
reader's account (a cookie for a visitor) so the links inside the dashboard keep it. The JSON twin is the same in
every language (its keys are codes).

The page's header names who is signed in, with their role, and carries their CSRF token (the sign-out form, and
``hx-headers`` for HTMX): a page is drawn once per answer and role, with stand-ins that are replaced by the
reader's own name, governments and token (HTML-escaped) as it is sent.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from importlib.resources import files
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from pydantic_core import to_json

from prevdip.briefs.charts import BASIN_SYMBOLS
from prevdip.briefs.locale import LANGUAGES, evidence_line, explanation_line, number, probability, strings, terms
from prevdip.events.licences import lake_attributions
from prevdip.geo import world_name
from prevdip.situation import ReadModel
from prevdip.web._accept import wants_json
from prevdip.web._reading import reading_html

VENDOR = {
    "htmx": "htmx-2.0.11.min.js",
    "vega": "vega-6.4.0.min.js",
    "vega_lite": "vega-lite-6.5.0.min.js",
    "vega_embed": "vega-embed-7.3.0.min.js",
    "vega_interpreter": "vega-interpreter-2.3.2.js",
    "swagger_js": "swagger-ui-bundle-5.35.0.js",
    "swagger_css": "swagger-ui-5.35.0.css",
}

templates = Jinja2Templates(directory=str(files("prevdip.web").joinpath("templates")))
templates.env.globals.update(vendor=VENDOR, basin_symbols=BASIN_SYMBOLS)


def _chart_json(spec: Mapping[str, Any]) -> Markup:
    """A spec for a ``<script type="application/json">`` block: compact, and unable to close the script early."""
    return Markup(json.dumps(spec, separators=(",", ":"), ensure_ascii=False).replace("<", "\\u003c"))


templates.env.filters["reading"] = reading_html
templates.env.filters["number"] = number
templates.env.filters["country_name"] = world_name
templates.env.filters["probability"] = probability
templates.env.filters["explained"] = explanation_line
templates.env.filters["evidence"] = evidence_line
templates.env.filters["nonzero"] = lambda d: {k: v for k, v in (d or {}).items() if v not in (None, 0, False, "")}
terms.install(templates.env)


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
    """The language to draw this page in: ``?lang=`` when given, else the reader's last choice (kept on their
    account, or a cookie), else English. An unknown ``?lang=`` was refused before the page was built; a stale
    choice is simply ignored."""
    reader = getattr(request.state, "reader", None)
    kept = reader.holder.language if reader is not None and reader.holder is not None else None
    for chosen in (request.query_params.get("lang"), kept, request.cookies.get(LANG_COOKIE)):
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


Answer = ReadModel | Mapping[str, Any]  # a typed page, or a form's few words (sign-in, the audit log, API docs)
_rendered: OrderedDict[tuple[Any, ...], tuple[Answer, bytes]] = OrderedDict()
_rendered_lock = threading.Lock()
RENDERED_KEPT = 256


def _once(data: Answer, how: tuple[str, ...], render: Callable[[], bytes]) -> bytes:
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


#: Stand-ins for the reader's own words in a rendered page, filled in per request: a page is drawn once per role,
#: not once per reader. Random per process, so no page content can forge one.
_MARK = secrets.token_hex(8)
STAND_IN = {part: f"prevdip-{_MARK}-{part}" for part in ("name", "countries", "csrf")}


def _who(request: Request) -> tuple[dict[str, Any], dict[bytes, bytes]]:
    """The header's view of the reader — the same for everyone with their role — and the stand-ins to replace in
    the drawn page with their name, their governments and their CSRF token."""
    from prevdip.events.sharing import Audience, narrows
    from prevdip.web.access import csrf_token, reader_of

    reader = reader_of(request)
    holder = reader.holder
    own = reader.audience
    view = {
        "audiences": [a.value for a in Audience if own is not None and narrows(a, own)],
        "name": STAND_IN["name"] if holder else None,
        "role": holder.role if holder else None,
        "countries": STAND_IN["countries"] if holder and holder.countries else None,
        "staff": reader.staff,
        "admin": holder is not None and holder.role == "admin",
        "csrf": STAND_IN["csrf"] if holder else None,
    }
    if holder is None:
        return view, {}
    words = {"name": holder.name, "countries": ", ".join(holder.countries), "csrf": csrf_token(request, reader) or ""}
    return view, {STAND_IN[k].encode(): str(escape(v)).encode("utf-8") for k, v in words.items()}


def _fill(body: bytes, words: dict[bytes, bytes]) -> bytes:
    for stand_in, word in words.items():
        body = body.replace(stand_in, word)
    return body


def respond(
    request: Request,
    template: str,
    data: Answer,
    *,
    charts: Callable[[str], dict[str, Any]] | None = None,
    status_code: int = 200,
    cache: bool = True,
) -> Response:
    """The JSON twin of ``data``, or the page ``template`` drawn from it (with ``charts(lang)`` specs by id, worded
    in the page's language); ``cache=False`` for pages made fresh each time (the sign-in form)."""
    if wants_json(request):
        return _json_twin(data, status_code)
    json_url = json_path(request)
    lang = page_language(request)
    who, words = _who(request)

    def page() -> bytes:
        drawn = {name: _chart_json(spec) for name, spec in (charts(lang) if charts else {}).items()}
        words = {"t": strings(lang), "lang": lang, "languages": language_links(request)}
        words["data_sources"] = lake_attributions(request.app.state.settings.workspace)  # what the footer cites
        shown = _json_form(data)
        html = templates.get_template(template).render(data=shown, charts=drawn, json_url=json_url, who=who, **words)
        return html.encode("utf-8")

    # json_url carries the query, so the links match too; a page is drawn once per role, then filled in
    body = _fill(_once(data, (template, json_url, lang, str(who["role"])), page) if cache else page(), words)
    page_response = Response(body, status_code=status_code, media_type="text/html; charset=utf-8")
    return _remember_language(request, page_response)


def json_answer(data: Mapping[str, Any], status_code: int = 200) -> Response:
    """A JSON answer of its own (a write's result for a program), not a page's twin."""
    return Response(encode_json(data), status_code=status_code, media_type="application/json")


def _json_form(data: Answer) -> Mapping[str, Any]:
    """What a page is drawn from and its JSON twin prints: a typed page's JSON form."""
    return data.as_json() if isinstance(data, ReadModel) else data


def _json_twin(data: Answer, status_code: int = 200) -> Response:
    body = _once(data, ("json",), lambda: encode_json(_json_form(data)))
    return Response(body, status_code=status_code, media_type="application/json")


def respond_document(
    request: Request, data: Answer, document: Callable[[str], bytes], *, form: str, media_type: str
) -> Response:
    """A page that is a whole document of its own (the brief as HTML or PDF) drawn by ``document(lang)`` in the
    reader's language, or, when asked, its JSON twin."""
    if wants_json(request):
        return _json_twin(data)
    lang = page_language(request)
    body = _once(data, (form, lang), lambda: document(lang))
    return _remember_language(request, Response(body, media_type=media_type))
