"""``/field-reports``: filing a report from a phone (the form, or ``POST`` one report as JSON with a bearer token),
the officers' queue, a report's page with its history and attachments, and the decisions — verify, reject, merge.

Who: monitors and the centre's staff file reports and read their own (the staff everyone's); only the staff decide
(a monitor asking is refused with 403 before anything is read). What a report may be is the ``field`` format's
rule, one place (:mod:`prevdip.fieldwork`); a refused form comes back with every field's error beside it and all
that was typed kept (attachments must be chosen again, and the form says so).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from prevdip.errors import RefusedInput
from prevdip.fieldwork import (
    Attachment,
    Reporter,
    ReportInvalid,
    check,
    history,
    merge,
    read_report,
    reject,
    stored_path,
    submit,
    verify,
)
from prevdip.fieldwork.attachments import MOST
from prevdip.fieldwork.form import from_answers
from prevdip.web._cache import workspace_changed
from prevdip.web._negotiation import json_answer, page_language, respond
from prevdip.web._routes import guarded_router, route
from prevdip.web.access import CENTRE_STAFF_ONLY, FIELD_REPORTERS_ONLY, answers_json, reader_of
from prevdip.web.services import field_reports as service

router = guarded_router()
LISTS = ("actors", "sources")


def _reporter(request: Request) -> Reporter:
    reader = reader_of(request)
    return Reporter(reader.name, reader.staff)


def _twins(path: str, summary: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a page at ``path`` and its ``.json`` twin under the field reporters' rule."""

    def register(handler: Callable[..., Any]) -> Callable[..., Any]:
        route(router, "GET", f"{path}.json", FIELD_REPORTERS_ONLY, summary=summary, response_class=Response)(handler)
        route(router, "GET", path, FIELD_REPORTERS_ONLY, include_in_schema=False)(handler)
        return handler

    return register


@_twins("/field-reports/new", "The field report form's questions (a correction with ?correct=REPORT_ID)")
def new_report(request: Request, correct: str | None = None) -> Response:
    settings = request.app.state.settings
    reporter = _reporter(request)
    values = None
    if correct:
        values = service.correction_values(service.store_of(request.app.state.identity), correct, reporter)
    data = service.form_page(settings, reporter, values=values)
    return respond(request, "field_report_form.html", data, cache=False)


def _answers(form: FormData) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for key in form:
        if key in ("csrf_token", "attachments"):
            continue
        if key in LISTS:
            said = [str(v) for v in form.getlist(key) if isinstance(v, str)]
            answers[key] = [line for text in said for line in text.splitlines()]  # one per field or per line
        else:
            value = form.get(key)
            answers[key] = value if isinstance(value, str) else None
    return answers


def _files(form: FormData) -> list[UploadFile]:
    """The files a form carries (an empty file input sends none)."""
    return [f for f in form.getlist("attachments") if isinstance(f, UploadFile) and f.filename]


async def _attachments(files: list[UploadFile], limit: int) -> list[Attachment]:
    """The photos and PDFs of a form, each checked (refused naming the file)."""
    if len(files) > MOST:
        raise RefusedInput(f"attachments: {len(files)} files; at most {MOST}", hint="send the most telling ones")
    checked = []
    for upload in files:
        content = await upload.read(limit + 1)
        checked.append(check(upload.filename or "attachment", content, limit=limit))
    return checked


def _refused_form(request: Request, answers: dict[str, Any], errors: dict[str, str], sent: int) -> Response:
    lang = page_language(request)
    worded = {field: service.worded(message, lang) for field, message in errors.items()}
    data = service.form_page(
        request.app.state.settings, _reporter(request), values=answers, errors=worded, dropped=sent
    )
    return respond(request, "field_report_form.html", data, status_code=422, cache=False)


def _filed(request: Request, record: dict[str, Any], created: bool) -> Response:
    if answers_json(request):
        return json_answer({"report": record, "created": created}, status_code=201 if created else 200)
    return RedirectResponse(f"/field-reports/{quote(record['report_id'], safe='')}", status_code=303)


@route(
    router,
    "POST",
    "/field-reports",
    FIELD_REPORTERS_ONLY,
    attachments=True,
    summary="File one field report (JSON body in the documented format, bearer token; or the form with photos)",
)
async def file_report(request: Request) -> Response:
    settings = request.app.state.settings
    store = service.store_of(request.app.state.identity)
    reporter = _reporter(request)
    attachments: list[Attachment] = []
    if "json" in request.headers.get("content-type", ""):
        body = await request.json()
        report = read_report(body if isinstance(body, dict) else {"report": body})
        via = "api"
    else:
        form = await request.form()
        answers, files = _answers(form), _files(form)
        sent = len(files)
        try:
            attachments = await _attachments(files, settings.max_attachment_bytes)
            report = read_report(from_answers(answers))
        except ReportInvalid as invalid:
            return _refused_form(request, answers, invalid.errors, sent)
        except RefusedInput as refused:  # an attachment: name the field, keep everything typed
            field, _, message = refused.message.partition(": ")
            return _refused_form(request, answers, {field: message}, sent)
        via = "web"
    done = await run_in_threadpool(
        submit, store, report, by=reporter, via=via, workspace=settings.workspace, attachments=attachments
    )
    return _filed(request, done.record.as_dict(), done.created)


@_twins(
    "/field-reports",
    "Field reports: the officers' queue (?status=submitted), a monitor's own reports, or those of a lake event "
    "(?event=UID: the report that is it, and those merged into it)",
)
def queue(request: Request, status: str | None = None, event: str | None = None) -> Response:
    settings = request.app.state.settings
    store = service.store_of(request.app.state.identity)
    data = service.queue_page(store, settings.workspace, _reporter(request), status, event)
    return respond(request, "field_reports.html", data, cache=False)


@_twins("/field-reports/{report_id}", "A field report: every revision, who did what when, attachments")
def report_page(request: Request, report_id: str) -> Response:
    settings = request.app.state.settings
    store = service.store_of(request.app.state.identity)
    data = service.report_page(store, settings.workspace, _reporter(request), report_id)
    return respond(request, "field_report.html", data, cache=False)


@route(
    router,
    "GET",
    "/field-reports/{report_id}/attachments/{sha256}",
    FIELD_REPORTERS_ONLY,
    summary="A report's photo or PDF (the report's own reporter and the centre's staff)",
    response_class=Response,
)
def attachment(request: Request, report_id: str, sha256: str) -> Response:
    settings = request.app.state.settings
    store = service.store_of(request.app.state.identity)
    with store.session() as session:
        kept = [a for r in history(session, report_id, _reporter(request)) for a in r.attachments if a.sha256 == sha256]
        if not kept:
            raise RefusedInput(
                f"attachment: {report_id} has no attachment {sha256[:12]}…", hint="use the report's page"
            )
        media_type, filename = kept[0].media_type, kept[0].filename
    shown = "inline" if media_type.startswith("image/") else "attachment"
    headers = {
        "Content-Disposition": f"{shown}; filename*=UTF-8''{quote(filename, safe='')}",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    return FileResponse(stored_path(settings.workspace, sha256), media_type=media_type, headers=headers)


async def _said(request: Request, name: str) -> Any:
    """A decision's field, from a JSON body or the form."""
    if "json" in request.headers.get("content-type", ""):
        body = await request.json()
        return body.get(name) if isinstance(body, dict) else None
    value = (await request.form()).get(name)
    return value if isinstance(value, str) else None


def _decided(request: Request, record: Any) -> Response:
    if answers_json(request):
        return json_answer({"report": record.as_dict()})
    return RedirectResponse(f"/field-reports/{quote(record.report_id, safe='')}", status_code=303)


def _decision(path: str, summary: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return route(router, "POST", f"/field-reports/{{report_id}}/{path}", CENTRE_STAFF_ONLY, summary=summary)


@_decision("verify", "Verify the report's submitted revision: it enters the lake (the centre's staff)")
async def verify_report(request: Request, report_id: str) -> Response:
    store = service.store_of(request.app.state.identity)
    workspace = request.app.state.settings.workspace
    version = await _said(request, "version")
    done = await run_in_threadpool(verify, store, report_id, _reporter(request), workspace=workspace, version=version)
    workspace_changed(workspace)  # the lake grew: the next page shows it at once
    return _decided(request, done)


@_decision("reject", "Reject the report's submitted revision: `{\"reason\": ...}` (the centre's staff)")
async def reject_report(request: Request, report_id: str) -> Response:
    store = service.store_of(request.app.state.identity)
    reason, version = await _said(request, "reason"), await _said(request, "version")
    done = await run_in_threadpool(reject, store, report_id, _reporter(request), reason, version=version)
    return _decided(request, done)


@_decision("merge", 'Merge the report into an event in the lake: `{"event_uid": ...}` (the centre\'s staff)')
async def merge_report(request: Request, report_id: str) -> Response:
    store = service.store_of(request.app.state.identity)
    workspace = request.app.state.settings.workspace
    target, version = await _said(request, "event_uid"), await _said(request, "version")
    reporter = _reporter(request)
    done = await run_in_threadpool(merge, store, report_id, reporter, target, workspace=workspace, version=version)
    return _decided(request, done)
