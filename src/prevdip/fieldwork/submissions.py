"""Submitting field reports into the queue, and reading them back: who may file, correct and read what.

Monitors and officers file reports; a monitor reads and corrects their own, officers everyone's. A report is
identified by its ``report_id``; a correction is the next revision of it and goes back to ``submitted`` — its
earlier verified revision stays what the lake shows until the new one is verified. The same revision sent again
with the same content is the same submission (a double tap, a re-imported export): nothing is added.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from prevdip.errors import Conflict, NotAllowed, NotFound, RefusedInput
from prevdip.events.connectors.field import FieldReport
from prevdip.fieldwork.attachments import Attachment, keep
from prevdip.store import AuditLog, Store
from prevdip.store.models import FieldReportAttachment, FieldReportRevision

VIAS = ("web", "api", "kobo", "odk")


@dataclass(frozen=True)
class Reporter:
    """Who files or reads: the account's name, and whether it is the centre's staff (officers, administrators)."""

    name: str
    staff: bool


class ReportInvalid(RefusedInput):
    """A report the format refuses; ``errors`` names every field wrong and why (the form shows each beside it)."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        first = next(iter(errors.items()))
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{first[0]}: {first[1]}{more}", hint="correct the field named and send the report again")


def _field(error: Mapping[str, Any]) -> str:
    location = [str(part) for part in error.get("loc", ()) if not isinstance(part, int)]
    if not location and "latitude and longitude" in str(error.get("msg", "")):
        return "latitude"  # the rule about the pair: shown beside the first of them
    return location[0] if location else "report"


def _message(error: Mapping[str, Any]) -> str:
    text = str(error.get("msg", "invalid"))
    return text.removeprefix("Value error, ")


def read_report(data: Mapping[str, Any]) -> FieldReport:
    """The report in the documented format, or :class:`ReportInvalid` naming every field that is wrong."""
    if not isinstance(data, Mapping):
        raise ReportInvalid({"report": "expected one report as a JSON object"})
    try:
        return FieldReport.model_validate(dict(data))
    except ValidationError as invalid:
        errors: dict[str, str] = {}
        for error in invalid.errors():
            errors.setdefault(_field(error), _message(error))
        raise ReportInvalid(errors) from None


def payload(report: FieldReport) -> dict[str, Any]:
    """The report as stored and published: the documented format, unset fields left out."""
    data = report.model_dump(mode="json", exclude_none=True)
    return {k: v for k, v in data.items() if v != []}


def digest(report: FieldReport, attachments: Sequence[Attachment] = ()) -> str:
    """What makes two submissions the same one: the report's content and its attachments' contents."""
    content = {"report": payload(report), "attachments": sorted(a.sha256 for a in attachments)}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode("utf-8")).hexdigest()


def revisions(session: Session, report_id: str) -> list[FieldReportRevision]:
    """Every revision of a report, oldest first (empty when there is none)."""
    query = select(FieldReportRevision).where(FieldReportRevision.report_id == report_id)
    return list(session.scalars(query.order_by(FieldReportRevision.revision)))


def _may_correct(found: Sequence[FieldReportRevision], by: Reporter) -> None:
    if found and not by.staff and all(r.submitted_by != by.name for r in found):
        raise NotAllowed(
            f"report_id: {found[0].report_id} was filed by someone else",
            hint="choose another report id, or ask an officer to correct it",
        )


def _same_or_next(found: Sequence[FieldReportRevision], report: FieldReport, said: str) -> FieldReportRevision | None:
    """The stored revision this submission repeats, None when it is the next one; refused otherwise."""
    if not found:
        return None
    same = next((r for r in found if r.revision == report.revision), None)
    if same is not None:
        if same.digest == said:
            return same
        raise Conflict(
            f"revision: {report.report_id} revision {report.revision} was submitted already with other content",
            hint=f"send the correction as revision {found[-1].revision + 1}",
        )
    latest = found[-1].revision
    if report.revision != latest + 1:
        raise RefusedInput(
            f"revision: the next revision of {report.report_id} is {latest + 1}, not {report.revision}",
            hint="corrections raise the revision by one",
        )
    return None


@dataclass(frozen=True)
class Submitted:
    """A submission's outcome: the revision stored, and whether this call added it (False: sent before)."""

    record: FieldReportRevision
    created: bool


def file_report(
    session: Session,
    audit: AuditLog,
    report: FieldReport,
    *,
    by: Reporter,
    via: str,
    workspace: Path,
    attachments: Sequence[Attachment] = (),
    missing: Sequence[str] = (),
) -> Submitted:
    """Put ``report`` (a first revision or a correction) in the queue as ``submitted``, in ``session``, with its
    audit entry; its attachments are kept in the workspace under their sha256."""
    if via not in VIAS:
        raise ValueError(f"unknown channel {via!r}")
    found = revisions(session, report.report_id)
    _may_correct(found, by)
    said = digest(report, attachments)
    repeated = _same_or_next(found, report, said)
    if repeated is not None:
        return Submitted(repeated, created=False)
    record = FieldReportRevision(
        report_id=report.report_id,
        revision=report.revision,
        payload=payload(report),
        digest=said,
        status="submitted",
        country_iso3=report.country,
        event_date=report.date,
        sharing=report.sharing,
        via=via,
        submitted_by=by.name,
        missing_attachments=list(missing),
    )
    record.attachments = [
        FieldReportAttachment(
            sha256=keep(workspace, a), filename=a.filename, media_type=a.media_type, size=len(a.content)
        )
        for a in attachments
    ]
    session.add(record)
    session.flush()
    audit.record(by.name, f"field_report:{report.report_id}:{report.revision}", None, record.as_dict(), session=session)
    return Submitted(record, created=True)


def submit(
    store: Store,
    report: FieldReport,
    *,
    by: Reporter,
    via: str,
    workspace: Path,
    attachments: Sequence[Attachment] = (),
) -> Submitted:
    """:func:`file_report` in a unit of work of its own. Two identical submissions racing each other store it
    once: the loser of the database's unique key reads the winner's and answers as a repeat."""
    for attempt in (1, 2):
        try:
            with store.session() as session:
                return file_report(
                    session, store.audit, report, by=by, via=via, workspace=workspace, attachments=attachments
                )
        except IntegrityError:
            if attempt == 2:
                raise Conflict(
                    f"report_id: {report.report_id} revision {report.revision} was being submitted at the same time",
                    hint="reload the report's page",
                ) from None
    raise AssertionError("unreachable")


def history(session: Session, report_id: str, by: Reporter) -> list[FieldReportRevision]:
    """Every revision of a report, for its own reporter or the centre's staff."""
    found = revisions(session, report_id)
    if not found:
        raise NotFound(f"no field report {report_id!r}", hint="see the list on /field-reports")
    if not by.staff and all(r.submitted_by != by.name for r in found):
        raise NotAllowed(f"the field report {report_id} is not yours", hint="monitors see the reports they filed")
    return found


def listed(
    session: Session, by: Reporter, *, status: str | None = None, event: str | None = None, limit: int = 200
) -> list[FieldReportRevision]:
    """Revisions newest first: every report's for the staff, a monitor's own reports' for a monitor; ``status``
    keeps one status (``submitted`` is the officers' queue); ``event`` the revisions that are, or were merged into,
    that lake event (the link from the lake back to the reports)."""
    query = select(FieldReportRevision).order_by(FieldReportRevision.submitted_at.desc(), FieldReportRevision.id.desc())
    if event:
        uid = event.strip().lower()
        query = query.where(or_(FieldReportRevision.event_uid == uid, FieldReportRevision.merged_event_uid == uid))
    if status not in (None, ""):
        from prevdip.store.models.field_reports import REPORT_STATUSES

        if status not in REPORT_STATUSES:
            raise RefusedInput(f"status: unknown value {status!r}", hint=f"use one of: {', '.join(REPORT_STATUSES)}")
        query = query.where(FieldReportRevision.status == status)
    if not by.staff:
        own = select(FieldReportRevision.report_id).where(FieldReportRevision.submitted_by == by.name)
        query = query.where(FieldReportRevision.report_id.in_(own))
    return list(session.scalars(query.limit(limit)))
