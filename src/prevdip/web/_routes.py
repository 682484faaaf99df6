"""The pages. Each handler parses its input, calls its page's service once and lets :func:`respond` answer HTML or
JSON; the ``.json`` twin of every page is registered beside it (and is the one documented in the OpenAPI schema).

Every route names its access rule where it is declared (:mod:`prevdip.web.access`), and every service is given
the reader's audience as a plain argument: what a page shows is decided by who reads it, never by the request.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from prevdip.briefs import SiteLinks, render_html, render_pdf
from prevdip.briefs.locale import LANGUAGES, language
from prevdip.errors import NotFound, RefusedInput
from prevdip.events.sharing import Audience
from prevdip.gmcr import upload_reference, uploaded_id
from prevdip.months import Month
from prevdip.settings import Settings
from prevdip.situation import ReadModel
from prevdip.web import _schemas as schemas
from prevdip.web._negotiation import page_language, respond, respond_document, wants_json
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
from prevdip.web.services import (
    brief,
    country,
    disputes,
    dyad,
    event,
    events,
    forecasts,
    glossary,
    gmcr,
    overview,
    response,
    water,
)


async def _language(
    request: Request,
    lang: str | None = Query(None, description=f"the page's language: {' or '.join(LANGUAGES)} (JSON is the same)"),
) -> None:
    """Refuse an unknown ``?lang=`` on every page (422 naming the allowed values); pages read it when drawn. A
    signed-in reader's choice is kept on their account (a database write, so off the event loop). On the loop
    itself otherwise: a hop to a thread for a few comparisons cost every page more than the comparisons."""
    if lang is None:
        return
    language(lang)
    reader = reader_of(request)  # worked out by the guard, which runs first
    if reader.holder is not None and reader.via == "session" and reader.holder.language != lang:
        await run_in_threadpool(request.app.state.identity.keep_language, reader.holder, lang)


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


async def current_reader(request: Request) -> Reader:
    """The reader of the request (already worked out by the guard; on the event loop, as it reads no database)."""
    return reader_of(request)


READER = Depends(current_reader)


@page(
    "/", schemas.Overview, "The region: stages, trends, forecast risk, warnings, priority groups", access=PUBLIC_BOARD
)
def overview_page(request: Request, month: str | None = MONTH, reader: Reader = READER) -> Response:
    settings = _settings(request)
    data = overview.overview(_month(month), audience_for(reader, None), workspace=settings.workspace)
    data = disputes.with_disputes(data, url=_register_url(request))
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
    data = disputes.with_disputes(data, url=_register_url(request), party=data.country.iso3 if data.country else "")
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
    data = disputes.with_disputes(data, url=_register_url(request), units=[data.unit])
    return respond(
        request,
        "dyad.html",
        data,
        charts=lambda lang: country.unit_charts(data, data.countries or [], bundle=settings.bundle, lang=lang),
    )


async def event_query(
    region: str | None = Query(None, description="a region preset (default: Central Asia and Afghanistan), or world"),
    country: list[str] | None = Query(None, description="a country by name or ISO3, any number of times"),
    category: list[str] | None = Query(None, description="a category, any number of times"),
    group: list[str] | None = Query(None, description="a priority group, any number of times"),
    dyad: str | None = None,
    source: str | None = None,
    since: str | None = Query(None, description="YYYY-MM-DD"),
    until: str | None = Query(None, description="YYYY-MM-DD"),
    sort: str | None = Query(None, description="date (newest first, the default), deaths (most first) or source"),
    after: str | None = Query(None, description="cursor: the page after the event it names (the next link)"),
    before: str | None = Query(None, description="cursor: the page before the event it names (the previous link)"),
    page: int | None = Query(None, description="the page of that number, counted from 1 (no cap)"),
    audience: str | None = Query(
        None, description="narrow to what this audience may see (governments, partners, public); default: your own"
    ),
    reader: Reader = READER,
) -> events.EventQuery:
    """The events pages' and files' query, for the reader's audience (narrowed, never widened): parsed on the event
    loop, as it reads nothing but the request."""
    return events.parse_query(
        region_name=region, countries=country, categories=category, groups=group, sort=sort, after=after,
        before=before, page=page, dyad=dyad, source=source, since=since, until=until,
        audience=audience_for(reader, audience).value,
    )  # fmt: skip


EVENT_QUERY = Depends(event_query)


@page("/events", schemas.Events, "Events from the lake: filtered, sorted, paged by cursor", access=PUBLIC_BOARD)
async def events_page(request: Request, query: events.EventQuery = EVENT_QUERY) -> Response:
    settings = _settings(request)

    def answer() -> Response:
        data = events.events_page(query, workspace=settings.workspace, bundle=settings.bundle)
        charts = partial(events.events_charts, query, workspace=settings.workspace, bundle=settings.bundle)
        return respond(request, "events.html", data, charts=lambda lang: charts(lang=lang))

    return await events.answered(query, answer)


@page(
    "/events/{uid}",
    schemas.EventPage,
    "One event version: every canonical field, its versions, its source row and provenance (file, line, run)",
    access=PUBLIC_BOARD,
)
def event_page(request: Request, uid: str, reader: Reader = READER) -> Response:
    settings = _settings(request)
    store = request.app.state.identity.store()
    data = event.event_page(uid, audience_for(reader, None), workspace=settings.workspace, store=store)
    return respond(request, "event.html", data)


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


def events_export(request: Request, query: events.EventQuery = EVENT_QUERY, reader: Reader = READER) -> Response:
    """Every event of the filter, for the reader's audience and the sources' licences, as a file (audited)."""
    form = request.url.path.rsplit(".", 1)[-1]
    settings = _settings(request)
    body = events.export(query, form=form, workspace=settings.workspace, bundle=settings.bundle)
    audience = query.filters.audience or audience_for(reader, None)
    request.app.state.trail.export(request, reader, audience, chosen_by_query=True)
    disposition = f'attachment; filename="events.{form}"'
    return Response(body, media_type=EXPORTS[form], headers={"Content-Disposition": disposition})


for _form in EXPORTS:
    route(router, "GET", f"/events.{_form}", PUBLIC_BOARD, summary=f"The filtered events as {_form}",
          response_class=Response)(events_export)  # fmt: skip


@page("/backtests", schemas.Backtests, "The published backtest scores against the baselines", access=PUBLIC_BOARD)
def backtests_page(request: Request) -> Response:
    data = forecasts.backtests_page(workspace=_settings(request).workspace)
    return respond(request, "backtests.html", data, charts=lambda lang: forecasts.backtests_charts(data, lang))


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
        data = _with_link_form(request, upload_reference(model), from_state=from_state)
    else:
        data = gmcr.gmcr_page(
            example, None, from_state, workspace=_settings(request).workspace, lang=page_language(request)
        )
    return respond(request, "gmcr.html", data, charts=lambda lang: gmcr.gmcr_charts(data, lang))


def _with_link_form(request: Request, reference: str, from_state: str | None = None, **form: Any) -> schemas.Gmcr:
    """An uploaded model's page (``upload:<model id>``) with the form that links it to a dispute (the centre's staff,
    who alone open it); ``form``: the dispute chosen and why the link was refused."""
    model_id = uploaded_id(reference)
    if model_id is None:
        raise NotFound(f"gmcr: {reference!r} is not an uploaded model", hint="write upload:MODEL_ID")
    data = gmcr.gmcr_page(
        None, model_id, from_state, workspace=_settings(request).workspace, lang=page_language(request)
    )
    return data.model_copy(update={"link": disputes.link_form(reference, url=_register_url(request), **form)})


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
    page_data = gmcr.gmcr_page(None, None, None, workspace=workspace, lang=page_language(request))
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
    data = brief.brief_page(
        Month.parse(month).reported(), shown, workspace=settings.workspace, database_url=_register_url(request)
    )

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


#: The site's navigation on the brief's page (catalogue key → path), as in base.html.
SITE_NAV = (
    ("overview", "/"),
    ("events", "/events"),
    ("forecasts", "/forecasts"),
    ("backtests", "/backtests"),
    ("gmcr", "/gmcr"),
    ("water", "/water"),
    ("glossary", "/glossary"),
)


@page(
    "/briefs/{month}",
    schemas.Brief,
    "The monthly situation brief for the reader's audience (the HTML document; .pdf for the PDF)",
    access=PUBLIC_BOARD,
)
def brief_html(request: Request, month: str, audience: str | None = AUDIENCE, reader: Reader = READER) -> Response:
    settings = _settings(request)
    shown = _brief_audience(reader, audience)
    data = brief.brief_page(
        Month.parse(month).reported(), shown, workspace=settings.workspace, database_url=_register_url(request)
    )

    site = SiteLinks(nav=SITE_NAV, pdf=f"/briefs/{data.month}.pdf?audience={shown.value}")

    def html(lang: str) -> bytes:
        return render_html(data, bundle=settings.bundle, lang=lang, site=site).encode("utf-8")

    answer = respond_document(request, data, html, form="html", media_type="text/html; charset=utf-8")
    if (answer.media_type or "").startswith("text/html"):  # a document of its own: its inline stylesheet, by hash
        answer.headers["Content-Security-Policy"] = inline_style_policy(bytes(answer.body).decode("utf-8"))
    return answer


PLANNED = "a planned facility or variant to build (rogun, qosh_tepa, qosh_tepa_phase_1, ...); repeatable"


@page("/glossary", schemas.Glossary, "Every term the pages use, in plain words", access=PUBLIC_BOARD)
def glossary_page(request: Request) -> Response:
    return respond(request, "glossary.html", glossary.glossary_page())


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


# --- disputes ---------------------------------------------------------------------------------------------------


def _register_url(request: Request) -> str:
    return _settings(request).effective_database_url


@page(
    "/disputes",
    disputes.DisputesPage,
    "The dispute register: each dispute's phase on Zartman's line, its latest transition, and (the centre's staff) "
    "the transitions the signals propose",
    access=PUBLIC_BOARD,
)
def disputes_list(request: Request, reader: Reader = READER) -> Response:
    settings = _settings(request)
    data = disputes.disputes_page(
        url=_register_url(request), audience=audience_for(reader, None), staff=reader.staff,
        workspace=settings.workspace,
    )  # fmt: skip
    return respond(request, "disputes.html", data)


@page(
    "/disputes/{dispute_id}",
    disputes.DisputePage,
    "A dispute's timeline: phases with dates and sources, milestones, events and warnings on its units, the "
    "ledger's records (the centre's staff), and its GMCR cases and basin scenarios, run",
    access=PUBLIC_BOARD,
)
def dispute_timeline(request: Request, dispute_id: str, month: str | None = MONTH, reader: Reader = READER) -> Response:
    data = _dispute(request, reader, dispute_id, _month(month))
    return respond(request, "dispute.html", data)


def _dispute(
    request: Request, reader: Reader, dispute_id: str, month: Month | None, **form: Any
) -> disputes.DisputePage:
    settings = _settings(request)
    return disputes.dispute_page(
        dispute_id, month, url=_register_url(request), audience=audience_for(reader, None), staff=reader.staff,
        workspace=settings.workspace, **form,
    )  # fmt: skip


TRANSITION_FIELDS = ("phase", "date", "evidence", "sources", "note")
MILESTONE_FIELDS = ("what", "date", "evidence", "sources", "note")
DISPUTE_FIELDS = ("id", "name", "name_ru", "parties", "issues", "priority_group", "dyads", "provinces", "basins",
                  "summary", "phase", "date", "evidence", "sources")  # fmt: skip


async def _typed(request: Request, fields: tuple[str, ...]) -> dict[str, str]:
    """What the form carried in ``fields`` (text only), as typed."""
    sent = await request.form()
    return {name: value for name in fields if isinstance(value := sent.get(name, ""), str)}


def _refused(form: str, refusal: RefusedInput, fields: tuple[str, ...]) -> disputes.FormErrors:
    field = disputes.field_named(refusal.message, fields)
    return disputes.FormErrors(form=form, field=field, message=refusal.message, hint=refusal.hint)


def _written(request: Request, dispute_id: str, part: str = "timeline") -> Response:
    """After a write: the dispute's page at ``part`` (a person), or the dispute as it now stands (a program, 201)."""
    if wants_json(request):
        data = _dispute(request, reader_of(request), dispute_id, None)
        return respond(request, "dispute.html", data, status_code=201)
    return RedirectResponse(f"/disputes/{dispute_id}#{part}", status_code=303)


Redraw = Callable[[disputes.FormErrors], tuple[str, ReadModel]]


async def _write_or_redraw(
    request: Request,
    form: str,
    fields: tuple[str, ...],
    write: Callable[..., str],
    redraw: Redraw,
    part: str = "timeline",
) -> Response:
    """The officers' forms' one shape: ``write(url=, who=, workspace=)`` in one unit of work with its audit entry, in
    the signed-in officer's name (it returns the dispute written), and show that dispute; or, refused, nothing
    written and the form's page drawn again by ``redraw`` with 422 — the refusal beside the field it names, what
    was typed kept. A program gets the refusal itself (422 JSON), and a record that does not exist is a 404, not a
    form to correct."""
    where = {"url": _register_url(request), "who": reader_of(request).name, "workspace": _settings(request).workspace}
    try:
        dispute_id = await run_in_threadpool(partial(write, **where))
    except RefusedInput as refusal:
        if wants_json(request) or isinstance(refusal, NotFound):
            raise
        template, data = await run_in_threadpool(redraw, _refused(form, refusal, fields))
        return respond(request, template, data, status_code=422, cache=False)
    return _written(request, dispute_id, part)


@route(
    router,
    "POST",
    "/disputes/{dispute_id}/transitions",
    CENTRE_STAFF_ONLY,
    response_model=disputes.DisputePage,
    summary="Record a transition of a dispute (form fields phase, date, evidence, sources, note; the centre's staff)",
)
async def dispute_transition(request: Request, dispute_id: str, reader: Reader = READER) -> Response:
    form = disputes.TransitionForm(**await _typed(request, TRANSITION_FIELDS))
    write = partial(disputes.record_transition_form, dispute_id, form)

    def redraw(errors: disputes.FormErrors) -> tuple[str, ReadModel]:
        return "dispute.html", _dispute(request, reader, dispute_id, None, form=form, errors=errors)

    return await _write_or_redraw(request, "transition", TRANSITION_FIELDS, write, redraw)


@route(
    router,
    "POST",
    "/disputes/{dispute_id}/milestones",
    CENTRE_STAFF_ONLY,
    response_model=disputes.DisputePage,
    summary="Add a milestone to a dispute (form fields what, date, evidence, sources, note; the centre's staff)",
)
async def dispute_milestone(request: Request, dispute_id: str, reader: Reader = READER) -> Response:
    typed = await _typed(request, MILESTONE_FIELDS)
    write = partial(disputes.record_milestone_form, dispute_id, typed)

    def redraw(errors: disputes.FormErrors) -> tuple[str, ReadModel]:
        return "dispute.html", _dispute(request, reader, dispute_id, None, milestone=typed, errors=errors)

    return await _write_or_redraw(request, "milestone", MILESTONE_FIELDS, write, redraw)


@route(
    router,
    "POST",
    "/disputes",
    CENTRE_STAFF_ONLY,
    response_model=disputes.DisputePage,
    summary="Put a new dispute on the register with its first phase (form fields as `prevdip disputes add`; the "
    "centre's staff)",
)
async def dispute_add(request: Request, reader: Reader = READER) -> Response:
    typed = await _typed(request, DISPUTE_FIELDS)

    def redraw(errors: disputes.FormErrors) -> tuple[str, ReadModel]:
        return "disputes.html", disputes.disputes_page(
            url=_register_url(request), audience=audience_for(reader, None), staff=True,
            workspace=_settings(request).workspace, form=typed, errors=errors,
        )  # fmt: skip

    return await _write_or_redraw(request, "dispute", DISPUTE_FIELDS, partial(disputes.add_dispute_form, typed), redraw)


LINK_FIELDS = ("dispute", "gmcr")


@route(
    router,
    "POST",
    "/gmcr/links",
    CENTRE_STAFF_ONLY,
    response_model=disputes.DisputePage,
    summary="Link a GMCR model to a dispute (form fields dispute, and gmcr: upload:MODEL_ID or a shipped case; the "
    "centre's staff)",
)
async def gmcr_link(request: Request) -> Response:
    typed = await _typed(request, LINK_FIELDS)

    def redraw(errors: disputes.FormErrors) -> tuple[str, ReadModel]:
        reference = typed.get("gmcr", "")
        return "gmcr.html", _with_link_form(request, reference, dispute=typed.get("dispute", ""), errors=errors)

    write = partial(disputes.link_model_form, typed)
    return await _write_or_redraw(request, "link", LINK_FIELDS, write, redraw, part="models")
