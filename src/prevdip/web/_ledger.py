"""``/response/...``: the response ledger from the web — forms for everything ``prevdip response`` records, the
lists with their filters (each also as CSV), the Programme of Action and the partners on pages of their own, an
iCalendar file of what is coming, and the filtered events list as CSV.

The checks and their messages are the ledger's own, the same as the CLI's (:mod:`prevdip.response`): a refused form
comes back with the field named and everything typed kept; a write is one unit of work with its audit entry. Every
export is noted in the audit log; a CSV of events holds only what the reader's audience may see, and never ACLED's
rows outside the centre (ACLED's terms forbid passing its data on).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from prevdip import response
from prevdip.errors import Conflict, RefusedInput
from prevdip.events.sharing import Audience
from prevdip.response.ledger import Ledger
from prevdip.web._calendar import Entry, calendar
from prevdip.web._negotiation import json_answer, respond
from prevdip.web._routes import guarded_router, route
from prevdip.web.access import CENTRE_STAFF_ONLY, answers_json, reader_of
from prevdip.web.services import ledger as service
from prevdip.web.services.field_reports import store_of

router = guarded_router()
MANY = ("partners", "participants")  # fields a form may repeat


async def _body(request: Request) -> dict[str, Any]:
    """The request's fields, from a JSON object or a form (repeated fields as lists)."""
    if "json" in request.headers.get("content-type", ""):
        body = await request.json()
        if not isinstance(body, dict):
            raise RefusedInput("expected a JSON object", hint="send the record's fields as an object")
        return body
    form = await request.form()
    fields: dict[str, Any] = {}
    for key in form:
        if key == "csrf_token":
            continue
        values = [v for v in form.getlist(key) if isinstance(v, str)]
        fields[key] = [v for v in values if v.strip()] if key in MANY else (values[-1] if values else None)
    return fields


def _field_of(refusal: RefusedInput) -> dict[str, str]:
    """The refusal as the form shows it: beside the field its message names (a record changed by someone else
    meanwhile names no field: it heads the page)."""
    if isinstance(refusal, Conflict):
        return {"record": refusal.message}
    field, _, problem = refusal.message.partition(": ")
    return {field.split("[")[0].split(".")[0] if problem else "record": refusal.message}


def _today(request: Request) -> Any:
    return request.app.state.identity.clock().date()


def _who(request: Request) -> str:
    return reader_of(request).name


def _written(request: Request, kind: str, record: Mapping[str, Any]) -> Response:
    if answers_json(request):
        return json_answer({kind: record}, status_code=201)
    return RedirectResponse(f"/response/{kind}", status_code=303)


def _cell(value: Any) -> str:
    """A CSV cell: lists joined, records as JSON, and text that a spreadsheet would run as a formula defused."""
    if value is None:
        return ""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        text = "; ".join(value)
    elif isinstance(value, list | dict):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_file(columns: list[str], rows: list[Mapping[str, Any]], name: str) -> Response:
    """A UTF-8 CSV (with a byte-order mark, so spreadsheets read Cyrillic) to download as ``name``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([_cell(row.get(c)) for c in columns] for row in rows)
    headers = {"Content-Disposition": f"attachment; filename={name}"}
    return Response(("\ufeff" + out.getvalue()).encode("utf-8"), media_type="text/csv; charset=utf-8", headers=headers)


def _list_handler(kind: str) -> Callable[..., Response]:
    def show(request: Request) -> Response:
        store = store_of(request.app.state.identity)
        filters = dict(request.query_params.items())
        data = service.list_page(store, kind, filters, _today(request))
        if request.url.path.endswith(".csv"):
            request.app.state.trail.export(request, reader_of(request), Audience.centre)
            return csv_file(data["columns"], data["rows"], f"{kind}.csv")
        return respond(request, "ledger.html", data, cache=False)

    return show


# --- adding records: each form's fields → the ledger's own function -------------------------------------------


def _add_action(led: Ledger, f: Mapping[str, Any], workspace: Any) -> dict[str, Any]:
    common: dict[str, Any] = {
        "kind": f.get("kind"),
        "when": f.get("date"),
        "description": f.get("description"),
        "programme_item": f.get("programme_item") or None,
        "partners": f.get("partners") or [],
    }
    if f.get("from_warning"):
        made = response.action_from_warning(
            led, f.get("unit"), f.get("month"), instrument=f.get("instrument") or None, workspace=workspace, **common
        )
    else:
        made = response.add_action(
            led, unit_code=f.get("unit"), warning_month=f.get("month"), instrument=f.get("instrument"), **common
        )
    return made.as_dict()


def _blocks(f: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The agenda blocks of the meeting form (``block-N-title`` ...), in order, the dropped ones left out."""
    numbers = sorted({int(k.split("-")[1]) for k in f if k.startswith("block-") and k.split("-")[1].isdigit()})
    blocks = []
    for n in numbers:
        if f.get(f"block-{n}-drop") or not (f.get(f"block-{n}-title") or f.get(f"block-{n}-priority_group")):
            continue  # dropped, or the empty block the form offers for a new one
        warnings = [w.split() for w in str(f.get(f"block-{n}-warnings") or "").split(",") if w.strip()]
        blocks.append(
            {
                "priority_group": f.get(f"block-{n}-priority_group"),
                "title": f.get(f"block-{n}-title"),
                "instrument": f.get(f"block-{n}-instrument") or None,
                "proposal": f.get(f"block-{n}-proposal") or None,
                "warnings": [{"unit": w[0], "month": w[1] if len(w) > 1 else ""} for w in warnings],
            }
        )
    return blocks if numbers else list(f.get("agenda_blocks") or [])


def _add_meeting(led: Ledger, f: Mapping[str, Any], workspace: Any) -> dict[str, Any]:
    made = response.add_meeting(
        led,
        f.get("title"),
        f.get("date"),
        place=f.get("place"),
        blocks=_blocks(f),
        participants=f.get("participants") or [],
        outcome=f.get("outcome"),
    )
    return made.as_dict()


def _add_commitment(led: Ledger, f: Mapping[str, Any], workspace: Any) -> Mapping[str, Any]:
    made = response.add_commitment(
        led,
        partner=f.get("partner"),
        what=f.get("what"),
        due=f.get("due"),
        status=f.get("status") or "open",
        action=f.get("action") or None,
        meeting=f.get("meeting") or None,
    )
    return response.commitment_dict(made)


def _add_programme(led: Ledger, f: Mapping[str, Any], workspace: Any) -> dict[str, Any]:
    made = response.add_programme_item(
        led, f.get("priority_group"), f.get("title"), f.get("start"), f.get("end"), f.get("status") or "planned"
    )
    return made.as_dict()


def _add_partner(led: Ledger, f: Mapping[str, Any], workspace: Any) -> dict[str, Any]:
    return response.add_partner(led, f.get("name"), f.get("kind"), f.get("country") or None).as_dict()


ADD: dict[str, Callable[[Ledger, Mapping[str, Any], Any], Mapping[str, Any]]] = {
    "actions": _add_action,
    "meetings": _add_meeting,
    "commitments": _add_commitment,
    "programme": _add_programme,
    "partners": _add_partner,
}
FORMS = {"actions": "ledger_action_form.html", "meetings": "ledger_meeting_form.html"}


def _refused_page(request: Request, kind: str, fields: dict[str, Any], refusal: RefusedInput) -> Response:
    store = store_of(request.app.state.identity)
    workspace = request.app.state.settings.workspace
    errors = _field_of(refusal)
    if kind == "actions":
        data = service.action_form(store, workspace, None, None, values=fields, errors=errors)
    elif kind == "meetings":
        data = service.meeting_form(store, workspace, None, values=fields | {"blocks": _blocks(fields)}, errors=errors)
    else:
        data = service.list_page(store, kind, {}, _today(request), values=fields, errors=errors)
    return respond(request, FORMS.get(kind, "ledger.html"), data, status_code=422, cache=False)


def _add_handler(kind: str) -> Callable[..., Any]:
    async def add(request: Request) -> Response:
        store = store_of(request.app.state.identity)
        workspace = request.app.state.settings.workspace
        fields = await _body(request)

        def write() -> Mapping[str, Any]:
            with service.ledger(store, _who(request)) as led:
                return ADD[kind](led, fields, workspace)

        try:
            made = await run_in_threadpool(write)
        except RefusedInput as refusal:
            if answers_json(request):
                raise
            return _refused_page(request, kind, fields, refusal)
        return _written(request, kind, made)

    return add


for _kind in service.LISTS:
    _label = "the Programme of Action" if _kind == "programme" else f"the ledger's {_kind}"
    for _path in (f"/response/{_kind}", f"/response/{_kind}.json", f"/response/{_kind}.csv"):
        _summary = f"List {_label} with filters (the centre's staff)"
        route(
            router,
            "GET",
            _path,
            CENTRE_STAFF_ONLY,
            include_in_schema=_path.endswith(".json"),
            summary=_summary,
            response_class=Response,
        )(_list_handler(_kind))
    _add = f"Record one of {_label} (form or JSON, the same checks as `prevdip response`; the centre's staff)"
    route(router, "POST", f"/response/{_kind}", CENTRE_STAFF_ONLY, summary=_add)(_add_handler(_kind))


@route(router, "GET", "/response/actions/new", CENTRE_STAFF_ONLY, include_in_schema=False)
def new_action(request: Request, unit: str | None = None, month: str | None = None) -> Response:
    store = store_of(request.app.state.identity)
    data = service.action_form(store, request.app.state.settings.workspace, unit, month)
    return respond(request, "ledger_action_form.html", data, cache=False)


@route(router, "GET", "/response/meetings/new", CENTRE_STAFF_ONLY, include_in_schema=False)
def new_meeting(request: Request, agenda_from: str | None = None) -> Response:
    store = store_of(request.app.state.identity)
    data = service.meeting_form(store, request.app.state.settings.workspace, agenda_from)
    return respond(request, "ledger_meeting_form.html", data, cache=False)


# --- changing records ---------------------------------------------------------------------------------------


async def _change(request: Request, kind: str, change: Callable[[Ledger, Mapping[str, Any]], Any]) -> Response:
    store = store_of(request.app.state.identity)
    fields = await _body(request)

    def write() -> Mapping[str, Any]:
        with service.ledger(store, _who(request)) as led:
            changed = change(led, fields)
            return response.commitment_dict(changed) if kind == "commitments" else dict(changed.as_dict())

    try:
        made = await run_in_threadpool(write)
    except RefusedInput as refusal:
        if answers_json(request):
            raise
        # The list read again, so that after a 409 the reader sees what the other person wrote, at its new version.
        data = service.list_page(store, kind, {}, _today(request), errors=_field_of(refusal))
        status = 409 if isinstance(refusal, Conflict) else 422
        return respond(request, "ledger.html", data, status_code=status, cache=False)
    if answers_json(request):
        return json_answer({kind: made})
    return RedirectResponse(f"/response/{kind}", status_code=303)


@route(
    router,
    "POST",
    "/response/commitments/{record_id}/status",
    CENTRE_STAFF_ONLY,
    summary="A commitment kept, late, dropped",
)
async def commitment_status(request: Request, record_id: str) -> Response:
    return await _change(
        request,
        "commitments",
        lambda led, f: response.update_commitment(
            led, record_id, status=f.get("status"), due=f.get("due"), expected_version=f.get("expected_version")
        ),
    )


@route(router, "POST", "/response/programme/{record_id}", CENTRE_STAFF_ONLY, summary="A programme item moved on")
async def programme_status(request: Request, record_id: str) -> Response:
    return await _change(
        request,
        "programme",
        lambda led, f: response.update_programme_item(
            led, record_id, status=f.get("status"), end=f.get("end"), expected_version=f.get("expected_version")
        ),
    )


@route(router, "POST", "/response/meetings/{record_id}/outcome", CENTRE_STAFF_ONLY, summary="A meeting's outcome")
async def meeting_outcome(request: Request, record_id: str) -> Response:
    return await _change(
        request,
        "meetings",
        lambda led, f: response.record_outcome(
            led, record_id, outcome=f.get("outcome"), participants=f.get("participants") or []
        ),
    )


# --- exports ------------------------------------------------------------------------------------------------


@route(
    router,
    "GET",
    "/response/calendar.ics",
    CENTRE_STAFF_ONLY,
    summary="The meetings and commitment due dates to come, as an iCalendar file (the centre's staff)",
    response_class=Response,
)
def ledger_calendar(request: Request) -> Response:
    store = store_of(request.app.state.identity)
    today = _today(request)
    with service.ledger(store, "dashboard") as led:
        meetings = response.list_meetings(led, since=today)
        entries = [
            Entry(f"meeting-{m.id}@prevdip", m.date, m.title, ", ".join(filter(None, [m.place]))) for m in meetings
        ]
        for c in response.list_commitments(led, today=today):
            if c["status"] in ("open", "late") and c["due"] >= today.isoformat():
                due = service.day("due", c["due"])
                entries.append(Entry(f"commitment-{c['id']}@prevdip", due, f"Due: {c['partner']}", c["what"]))
    request.app.state.trail.export(request, reader_of(request), Audience.centre)
    body = calendar(
        sorted(entries, key=lambda e: e.day), name="prevdip response ledger", stamp=request.app.state.identity.clock()
    )
    headers = {"Content-Disposition": "attachment; filename=prevdip-ledger.ics"}
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)
