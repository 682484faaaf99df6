"""The pages. Each handler parses its input, calls its page's service once and lets :func:`respond` answer HTML or
JSON; the ``.json`` twin of every page is registered beside it (and is the one documented in the OpenAPI schema).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from prevdip.briefs import render_html, render_pdf
from prevdip.briefs.locale import LANGUAGES, language
from prevdip.briefs.months import parse_month
from prevdip.events.sharing import audience as parse_audience
from prevdip.settings import Settings
from prevdip.web import _schemas as schemas
from prevdip.web._negotiation import respond, respond_document, wants_json
from prevdip.web.services import brief, country, dyad, events, forecasts, gmcr, overview, response, water


def _language(
    lang: str | None = Query(None, description=f"the page's language: {' or '.join(LANGUAGES)} (JSON is the same)"),
) -> None:
    """Refuse an unknown ``?lang=`` on every page (422 naming the allowed values); pages read it when drawn."""
    if lang is not None:
        language(lang)


router = APIRouter(dependencies=[Depends(_language)])
MONTH = Query(None, description="YYYY-MM; the latest month with signals when omitted", pattern=r"^\d{4}-\d{2}$")
AUDIENCE = Query("governments", description="who the brief is for: governments (default), centre or public")


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def _month(text: str | None) -> date | None:
    return parse_month(text) if text else None


def page(path: str, model: type, summary: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a handler at ``path`` (HTML or JSON by Accept) and at its ``.json`` twin (documented)."""
    twin = "/index.json" if path == "/" else f"{path}.json"

    def register(handler: Callable[..., Any]) -> Callable[..., Any]:
        router.get(twin, response_model=model, summary=summary, response_class=Response)(handler)
        if path == "/":
            router.get("/.json", include_in_schema=False)(handler)
        router.get(path, include_in_schema=False)(handler)
        return handler

    return register


@page("/", schemas.Overview, "The region: stages, trends, forecast risk, warnings, priority groups")
def overview_page(request: Request, month: str | None = MONTH) -> Response:
    settings = _settings(request)
    data = overview.overview(_month(month), workspace=settings.workspace)
    return respond(
        request,
        "overview.html",
        data,
        charts=lambda lang: overview.overview_charts(data, bundle=settings.bundle, lang=lang),
    )


@page("/countries/{iso3}", schemas.Unit, "A country: stage history, events by priority group, forecast")
def country_page(request: Request, iso3: str, month: str | None = MONTH) -> Response:
    settings = _settings(request)
    data = country.country_page(iso3, _month(month), workspace=settings.workspace)
    highlight = [data["country"]["iso3"]]
    return respond(
        request,
        "country.html",
        data,
        charts=lambda lang: country.unit_charts(data, highlight, bundle=settings.bundle, lang=lang),
    )


@page("/dyads/{a}-{b}", schemas.Unit, "A border dyad: incidents, water events, stage, forecast")
def dyad_page(request: Request, a: str, b: str, month: str | None = MONTH) -> Response:
    settings = _settings(request)
    data = dyad.dyad_page(f"{a}-{b}", _month(month), workspace=settings.workspace)
    return respond(
        request,
        "dyad.html",
        data,
        charts=lambda lang: country.unit_charts(data, data["countries"], bundle=settings.bundle, lang=lang),
    )


@page("/events", schemas.Events, "Events from the lake, filtered and paginated")
def events_page(
    request: Request,
    country: str | None = None,
    dyad: str | None = None,
    source: str | None = None,
    category: str | None = None,
    since: str | None = Query(None, description="YYYY-MM-DD"),
    until: str | None = Query(None, description="YYYY-MM-DD"),
    page: int = Query(1, ge=1),
    audience: str | None = Query(None, description="centre, governments or public: only what it may see (all)"),
) -> Response:
    filters = events.parse_filters(
        country=country, dyad=dyad, source=source, category=category, since=since, until=until, audience=audience
    )
    data = events.events_page(filters, page, workspace=_settings(request).workspace)
    return respond(request, "events.html", data)


@page("/forecasts", schemas.Forecasts, "The latest frozen forecast vintage")
def forecasts_page(request: Request) -> Response:
    return respond(request, "forecasts.html", forecasts.forecasts_page(workspace=_settings(request).workspace))


@page("/backtests", schemas.Backtests, "The published backtest scores against the baselines")
def backtests_page(request: Request) -> Response:
    data = forecasts.backtests_page(workspace=_settings(request).workspace)
    return respond(request, "backtests.html", data, charts=lambda lang: forecasts.backtests_charts(data))


@page("/gmcr", schemas.Gmcr, "Dispute analysis: an example or uploaded model with its stability analysis")
def gmcr_page(
    request: Request,
    example: str | None = None,
    model: str | None = Query(None, description="id of an uploaded model"),
    from_state: str | None = Query(None, alias="from", description="status-quo state label"),
) -> Response:
    data = gmcr.gmcr_page(example, model, from_state, workspace=_settings(request).workspace)
    return respond(request, "gmcr.html", data, charts=lambda lang: gmcr.gmcr_charts(data, lang))


@router.post("/gmcr", response_model=schemas.GmcrUpload, summary="Upload a GMCR model (JSON file, field `model`)")
async def gmcr_upload(request: Request, model: UploadFile | None = None) -> Response:
    workspace: Path = _settings(request).workspace
    raw = await model.read() if model is not None else b""
    model_id, errors = gmcr.accept_upload(raw, workspace=workspace)
    if model_id is not None:
        if wants_json(request):
            return respond(request, "gmcr.html", {"model_id": model_id, "errors": []}, status_code=201)
        return RedirectResponse(f"/gmcr?model={model_id}", status_code=303)
    if wants_json(request):
        return respond(request, "gmcr.html", {"model_id": None, "errors": errors}, status_code=422)
    data = gmcr.gmcr_page(None, None, None, workspace=workspace) | {"errors": errors}
    return respond(request, "gmcr.html", data, status_code=422)


@router.get("/briefs/{month}.pdf", summary="The monthly situation brief as PDF", response_class=Response)
def brief_pdf(request: Request, month: str, audience: str = AUDIENCE) -> Response:
    settings = _settings(request)
    data = brief.brief_page(parse_month(month), parse_audience(audience), workspace=settings.workspace)

    def pdf(lang: str) -> bytes:
        return render_pdf(render_html(data, bundle=settings.bundle, lang=lang))

    return respond_document(request, data, pdf, form="pdf", media_type="application/pdf")


@page("/response", response.ResponsePage, "The response ledger: unanswered warnings, actions, meetings, commitments")
def response_page(request: Request, month: str | None = MONTH) -> Response:
    data = response.response_page(_month(month), settings=_settings(request))
    return respond(request, "response.html", data)


@page("/briefs/{month}", schemas.Brief, "The monthly situation brief (the HTML document; .pdf for the PDF)")
def brief_html(request: Request, month: str, audience: str = AUDIENCE) -> Response:
    settings = _settings(request)
    data = brief.brief_page(parse_month(month), parse_audience(audience), workspace=settings.workspace)

    def html(lang: str) -> bytes:
        return render_html(data, bundle=settings.bundle, lang=lang).encode("utf-8")

    return respond_document(request, data, html, form="html", media_type="text/html; charset=utf-8")


PLANNED = "a planned facility or variant to build (rogun, qosh_tepa, qosh_tepa_phase_1, ...); repeatable"


@page("/water", schemas.Water, "Basin scenarios side by side and the benefit-sharing deal")
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


@page("/water/deal", schemas.WaterDeal, "The benefit-sharing deal of a basin, with side payments")
def water_deal_page(
    request: Request,
    basin: str = Query("syr-darya", description="syr-darya or amu-darya"),
    planned: list[str] = Query([], alias="with", description=PLANNED),
) -> Response:
    return respond(request, "water_deal.html", water.deal_page(basin, _planned(planned)))


def _planned(names: list[str]) -> tuple[str, ...]:
    """The planned facilities asked for, as a sorted tuple (the cache key); an empty choice means none."""
    return tuple(sorted({n for n in names if n}))
