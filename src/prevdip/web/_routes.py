"""The pages. Each handler parses its input, calls its page's service once and lets :func:`respond` answer HTML or
JSON; the ``.json`` twin of every page is registered beside it (and is the one documented in the OpenAPI schema).

Every route names its access rule where it is declared (:mod:`prevdip.web.access`), and every service is given
the reader's audience as a plain argument: what a page shows is decided by who reads it, never by the request.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from prevdip.briefs import render_html, render_pdf
from prevdip.briefs.locale import LANGUAGES, language
from prevdip.events.sharing import Audience
from prevdip.months import Month
from prevdip.settings import Settings
from prevdip.situation import ReadModel
from prevdip.web import _schemas as schemas
from prevdip.web._negotiation import respond, respond_document, wants_json
from prevdip.web.access import (
    CENTRE_STAFF_ONLY,
    PUBLIC_BOARD,
    ROUTES,
    Access,
    Reader,
    audience_for,
    csrf,
    guard,
    reader_of,
    require,
)
from prevdip.web.security import inline_style_policy
from prevdip.web.services import brief, country, dyad, events, forecasts, gmcr, overview, response, water


def _language(
    request: Request,
    lang: str | None = Query(None, description=f"the page's language: {' or '.join(LANGUAGES)} (JSON is the same)"),
) -> None:
    """Refuse an unknown ``?lang=`` on every page (422 naming the allowed values); pages read it when drawn. A
    signed-in reader's choice is kept on their account."""
    if lang is None:
        return
    language(lang)
    reader = reader_of(request)
    if reader.holder is not None and reader.via == "session" and reader.holder.language != lang:
        request.app.state.identity.keep_language(reader.holder, lang)


def guarded_router() -> APIRouter:
    """A router whose every route is checked against its access rule (and its CSRF token, if it changes state)."""
    return APIRouter(dependencies=[Depends(guard), Depends(csrf), Depends(_language)])


router = guarded_router()
MONTH = Query(None, description="YYYY-MM; the latest month with signals when omitted", pattern=r"^\d{4}-\d{2}$")
AUDIENCE = Query(
    None,
    description="who the brief is for — governments (default for the centre), partners, public or centre; "
    "only an audience that sees no more than the reader's own (403 otherwise)",
)


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def _month(text: str | None) -> Month | None:
    """A month the record covers (``?month=``); an impossible or uncovered one is a 404."""
    return Month.parse(text).reported() if text else None


def route(
    on: APIRouter,
    method: str,
    path: str,
    access: Access,
    *,
    upload: bool = False,
    attachments: bool = False,
    **options: Any,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a handler for ``method path`` on ``on`` with its access rule (``upload``: it takes large bodies;
    ``attachments``: it takes a field report's photos and PDFs)."""

    def register(handler: Callable[..., Any]) -> Callable[..., Any]:
        ROUTES.declare(method, path, access)
        if upload:
            ROUTES.uploads.add(path)
        if attachments:
            ROUTES.with_attachments.add(path)
        on.add_api_route(path, handler, methods=[method], **options)
        return handler

    return register


def page(
    path: str, model: type[ReadModel], summary: str, *, access: Access
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a handler at ``path`` (HTML or JSON by Accept) and at its ``.json`` twin (documented), all three
    under one access rule."""
    twin = "/index.json" if path == "/" else f"{path}.json"

    def register(handler: Callable[..., Any]) -> Callable[..., Any]:
        route(router, "GET", twin, access, response_model=model, summary=summary, response_class=Response)(handler)
        if path == "/":
            route(router, "GET", "/.json", access, include_in_schema=False)(handler)
        route(router, "GET", path, access, include_in_schema=False)(handler)
        return handler

    return register


def current_reader(request: Request) -> Reader:
    """The reader of the request (already worked out by the guard)."""
    return reader_of(request)


READER = Depends(current_reader)


@page(
    "/", schemas.Overview, "The region: stages, trends, forecast risk, warnings, priority groups", access=PUBLIC_BOARD
)
def overview_page(request: Request, month: str | None = MONTH, reader: Reader = READER) -> Response:
    settings = _settings(request)
    data = overview.overview(_month(month), audience_for(reader, None), workspace=settings.workspace)
    return respond(
        request,
        "overview.html",
        data,
        charts=lambda lang: overview.overview_charts(data, bundle=settings.bundle, lang=lang),
    )


@page(
    "/countries/{iso3}",
    schemas.Unit,
    "A country: stage history, events by priority group, forecast",
    access=PUBLIC_BOARD,
)
def country_page(request: Request, iso3: str, month: str | None = MONTH, reader: Reader = READER) -> Response:
    settings = _settings(request)
    data = country.country_page(iso3, _month(month), audience_for(reader, None), workspace=settings.workspace)
    highlight = [data.country.iso3] if data.country else []
    return respond(
        request,
        "country.html",
        data,
        charts=lambda lang: country.unit_charts(data, highlight, bundle=settings.bundle, lang=lang),
    )


@page("/dyads/{a}-{b}", schemas.Unit, "A border dyad: incidents, water events, stage, forecast", access=PUBLIC_BOARD)
def dyad_page(request: Request, a: str, b: str, month: str | None = MONTH, reader: Reader = READER) -> Response:
    settings = _settings(request)
    data = dyad.dyad_page(f"{a}-{b}", _month(month), audience_for(reader, None), workspace=settings.workspace)
    return respond(
        request,
        "dyad.html",
        data,
        charts=lambda lang: country.unit_charts(data, data.countries or [], bundle=settings.bundle, lang=lang),
    )


@page("/events", schemas.Events, "Events from the lake, filtered and paginated", access=PUBLIC_BOARD)
def events_page(
    request: Request,
    country: str | None = None,
    dyad: str | None = None,
    source: str | None = None,
    category: str | None = None,
    since: str | None = Query(None, description="YYYY-MM-DD"),
    until: str | None = Query(None, description="YYYY-MM-DD"),
    page: int = Query(1, ge=1),
    audience: str | None = Query(
        None, description="narrow to what this audience may see (governments, partners, public); default: your own"
    ),
    reader: Reader = READER,
) -> Response:
    shown = audience_for(reader, audience).value
    filters = events.parse_filters(
        country=country, dyad=dyad, source=source, category=category, since=since, until=until, audience=shown
    )
    data = events.events_page(filters, page, workspace=_settings(request).workspace)
    return respond(request, "events.html", data)


@page(
    "/forecasts", schemas.Forecasts, "The region's forecasts and the latest frozen global vintage", access=PUBLIC_BOARD
)
def forecasts_page(request: Request, reader: Reader = READER) -> Response:
    settings = _settings(request)
    data = forecasts.forecasts_page(audience_for(reader, None), workspace=settings.workspace)
    charts = lambda lang: forecasts.forecasts_charts(data, bundle=settings.bundle, lang=lang)  # noqa: E731
    return respond(request, "forecasts.html", data, charts=charts)


EXPORTS = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}


def forecasts_export(request: Request, reader: Reader = READER) -> Response:
    """The latest global vintage as a file (no P(crisis) column: nothing to withhold from any audience)."""
    form = request.url.path.rsplit(".", 1)[-1]
    body = forecasts.export_table(audience_for(reader, None), workspace=_settings(request).workspace, form=form)
    disposition = f'attachment; filename="forecasts.{form}"'
    return Response(body, media_type=EXPORTS[form], headers={"Content-Disposition": disposition})


for _form in EXPORTS:
    route(router, "GET", f"/forecasts.{_form}", PUBLIC_BOARD, summary=f"The latest global forecast vintage as {_form}",
          response_class=Response)(forecasts_export)  # fmt: skip


@page("/backtests", schemas.Backtests, "The published backtest scores against the baselines", access=PUBLIC_BOARD)
def backtests_page(request: Request) -> Response:
    data = forecasts.backtests_page(workspace=_settings(request).workspace)
    return respond(request, "backtests.html", data, charts=lambda lang: forecasts.backtests_charts(data))


@page(
    "/gmcr",
    schemas.Gmcr,
    "Dispute analysis: a shipped example, or an uploaded model (the centre's staff), with its stability analysis",
    access=PUBLIC_BOARD,
)
def gmcr_page(
    request: Request,
    example: str | None = None,
    model: str | None = Query(None, description="id of an uploaded model (the centre's staff only)"),
    from_state: str | None = Query(None, alias="from", description="status-quo state label"),
    reader: Reader = READER,
) -> Response:
    if model:
        require(request, reader, CENTRE_STAFF_ONLY)
    data = gmcr.gmcr_page(example, model, from_state, workspace=_settings(request).workspace)
    return respond(request, "gmcr.html", data, charts=lambda lang: gmcr.gmcr_charts(data, lang))


@route(
    router,
    "POST",
    "/gmcr",
    CENTRE_STAFF_ONLY,
    upload=True,
    response_model=schemas.GmcrUpload,
    summary="Upload a GMCR model (JSON file, field `model`; the centre's staff; CSRF token or bearer token)",
)
async def gmcr_upload(request: Request, model: UploadFile | None = None) -> Response:
    workspace: Path = _settings(request).workspace
    raw = await model.read() if model is not None else b""
    model_id, errors = await run_in_threadpool(gmcr.accept_upload, raw, workspace=workspace)  # off the event loop
    if model_id is not None:
        if wants_json(request):
            return respond(request, "gmcr.html", schemas.GmcrUpload(model_id=model_id, errors=[]), status_code=201)
        return RedirectResponse(f"/gmcr?model={model_id}", status_code=303)
    if wants_json(request):
        return respond(request, "gmcr.html", schemas.GmcrUpload(model_id=None, errors=errors), status_code=422)
    page_data = gmcr.gmcr_page(None, None, None, workspace=workspace)
    return respond(request, "gmcr.html", page_data.model_copy(update={"errors": errors}), status_code=422)


def _brief_audience(reader: Reader, asked: str | None) -> Audience:
    """A brief is a document that leaves the room: the centre's own staff get the governments' brief unless they
    ask for the centre's by name (fail closed); everyone else gets their own audience's."""
    return audience_for(reader, asked, default=Audience.governments)


@route(
    router,
    "GET",
    "/briefs/{month}.pdf",
    PUBLIC_BOARD,
    summary="The monthly situation brief as PDF, for the reader's audience",
    response_class=Response,
)
def brief_pdf(request: Request, month: str, audience: str | None = AUDIENCE, reader: Reader = READER) -> Response:
    settings = _settings(request)
    shown = _brief_audience(reader, audience)
    data = brief.brief_page(Month.parse(month).reported(), shown, workspace=settings.workspace)

    def pdf(lang: str) -> bytes:
        return render_pdf(render_html(data, bundle=settings.bundle, lang=lang))

    answer = respond_document(request, data, pdf, form="pdf", media_type="application/pdf")
    if answer.media_type == "application/pdf":
        request.app.state.trail.export(request, reader, shown)
    return answer


@page(
    "/response",
    response.ResponsePage,
    "The response ledger: unanswered warnings, actions, meetings, commitments (the centre's staff)",
    access=CENTRE_STAFF_ONLY,
)
def response_page(request: Request, month: str | None = MONTH) -> Response:
    data = response.response_page(_month(month), settings=_settings(request))
    return respond(request, "response.html", data)


@page(
    "/briefs/{month}",
    schemas.Brief,
    "The monthly situation brief for the reader's audience (the HTML document; .pdf for the PDF)",
    access=PUBLIC_BOARD,
)
def brief_html(request: Request, month: str, audience: str | None = AUDIENCE, reader: Reader = READER) -> Response:
    settings = _settings(request)
    shown = _brief_audience(reader, audience)
    data = brief.brief_page(Month.parse(month).reported(), shown, workspace=settings.workspace)

    def html(lang: str) -> bytes:
        return render_html(data, bundle=settings.bundle, lang=lang).encode("utf-8")

    answer = respond_document(request, data, html, form="html", media_type="text/html; charset=utf-8")
    if (answer.media_type or "").startswith("text/html"):  # a document of its own: its inline stylesheet, by hash
        answer.headers["Content-Security-Policy"] = inline_style_policy(bytes(answer.body).decode("utf-8"))
    return answer


PLANNED = "a planned facility or variant to build (rogun, qosh_tepa, qosh_tepa_phase_1, ...); repeatable"


@page("/water", schemas.Water, "Basin scenarios side by side and the benefit-sharing deal", access=PUBLIC_BOARD)
def water_page(
    request: Request,
    basin: str = Query("syr-darya", description="syr-darya or amu-darya"),
    year: str = Query("normal", description="dry, normal or wet"),
    planned: list[str] = Query([], alias="with", description=PLANNED),
) -> Response:
    data = water.water_page(basin, year, _planned(planned))
    return respond(
        request,
        "water.html",
        data,
        charts=lambda lang: water.water_charts(data, bundle=_settings(request).bundle, lang=lang),
    )


@page("/water/deal", schemas.WaterDeal, "The benefit-sharing deal of a basin, with side payments", access=PUBLIC_BOARD)
def water_deal_page(
    request: Request,
    basin: str = Query("syr-darya", description="syr-darya or amu-darya"),
    planned: list[str] = Query([], alias="with", description=PLANNED),
) -> Response:
    return respond(request, "water_deal.html", water.deal_page(basin, _planned(planned)))


def _planned(names: list[str]) -> tuple[str, ...]:
    """The planned facilities asked for, as a sorted tuple (the cache key); an empty choice means none."""
    return tuple(sorted({n for n in names if n}))
