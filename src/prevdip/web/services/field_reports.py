"""``/field-reports``: the form monitors file reports with, the queue officers verify from, and a report's page
with its history — the data each page shows (the rules are :mod:`prevdip.fieldwork`'s)."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from prevdip.briefs.locale import strings
from prevdip.errors import RefusedInput
from prevdip.fieldwork import RADIUS_KM, Reporter, events_nearby, history, listed
from prevdip.fieldwork.attachments import MOST
from prevdip.fieldwork.form import QUESTIONS, SECTIONS
from prevdip.settings import Settings
from prevdip.store import Store
from prevdip.web.services.field_map import region_map

#: How the format's messages are worded on the form, by a phrase each contains (the API keeps the English).
_WORDED = (
    ("Field required", "error_missing"),
    ("is not a photo", "error_not_photo"),
    ("MB each", "error_too_large"),
    ("in the future", "error_future"),
    ("unknown country", "error_country"),
    ("latitude and longitude", "error_coordinates"),
    ("greater than or equal", "error_range"),
    ("less than or equal", "error_range"),
    ("valid integer", "error_number"),
    ("valid number", "error_number"),
    ("valid date", "error_date"),
    ("Extra inputs", "error_unknown_field"),
    ("Input should be", "error_choice"),
    ("at most", "error_too_many"),
    ("String should match pattern", "error_report_id"),
    ("String should have at least", "error_missing"),
)


def worded(message: str, lang: str) -> str:
    """A field's error in the page's language (the English message itself when there is no wording for it)."""
    words = strings(lang)["field_report"]
    key = next((key for phrase, key in _WORDED if phrase in message), None)
    if key in ("error_not_photo", "error_too_large"):  # an attachment's error names the file first
        return f"{message.split(' is ', 1)[0]}: {words[key]}"
    return words[key] if key else message


def new_report_id(today: date | None = None) -> str:
    """A fresh report id for the form (``FR-20240302-1a2b3c4d``): chosen when the form is drawn, so sending the
    same form twice files one report."""
    return f"FR-{(today or date.today()):%Y%m%d}-{secrets.token_hex(4)}"


def _questions() -> list[dict[str, Any]]:
    return [asdict(q) for q in QUESTIONS]


def form_page(
    settings: Settings,
    reporter: Reporter,
    *,
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
    dropped: int = 0,
) -> dict[str, Any]:
    """The form, blank (a new report id, today's date, the reporter's name, the safest sharing tier) or as it was
    sent with the errors to correct; ``dropped`` attachments must be chosen again."""
    blank = {
        "report_id": new_report_id(),
        "revision": 1,
        "date": date.today().isoformat(),
        "reporter": reporter.name,
        "confidence": "medium",
        "sharing": "centre-internal",
    }
    return {
        "values": dict(values) if values is not None else blank,
        "errors": dict(errors or {}),
        "questions": _questions(),
        "sections": list(SECTIONS),
        "map": region_map(settings.bundle),
        "attachments": {"most": MOST, "megabytes": settings.max_attachment_bytes // 1_000_000, "dropped": dropped},
        "today": date.today().isoformat(),
    }


def correction_values(store: Store, report_id: str, reporter: Reporter) -> dict[str, Any]:
    """The form's values for a correction: the latest revision's report, at the next revision."""
    with store.session() as session:
        latest = history(session, report_id, reporter)[-1]
        return {**latest.payload, "revision": latest.revision + 1}


def queue_page(
    store: Store, workspace: Path, reporter: Reporter, status: str | None, event: str | None = None
) -> dict[str, Any]:
    """The queue: officers see every report (``submitted`` by default, newest first, with the events nearby);
    a monitor sees their own, every status; ``event``: the reports that are, or were merged into, that event."""
    shown = status if status is not None else ("submitted" if reporter.staff and not event else None)
    with store.session() as session:
        found = listed(session, reporter, status=shown or None, event=event)
        nearby = events_nearby(workspace, [r for r in found if r.status == "submitted"]) if reporter.staff else {}
        reports = [r.as_dict() | {"nearby": nearby.get(r.id, [])} for r in found]
    return {
        "status": shown or None,
        "event": event,
        "statuses": ["submitted", "verified", "rejected", "merged"],
        "staff": reporter.staff,
        "count": len(reports),
        "reports": reports,
        "nearby": {"radius_km": RADIUS_KM, "days": 3},
    }


def report_page(store: Store, workspace: Path, reporter: Reporter, report_id: str) -> dict[str, Any]:
    """A report with every revision and each step (who, when, why), its attachments, and — for an officer while
    it waits — the events nearby and the decisions to take."""
    with store.session() as session:
        found = history(session, report_id, reporter)
        latest = found[-1]
        waiting = latest.status == "submitted"
        nearby = events_nearby(workspace, [latest]).get(latest.id, []) if reporter.staff and waiting else []
        revisions = [r.as_dict() for r in reversed(found)]
    return {
        "report_id": report_id,
        "latest": revisions[0],
        "revisions": revisions,
        "decide": reporter.staff and waiting,
        "nearby": nearby,
        "radius_km": RADIUS_KM,
    }


def store_of(identity: Any) -> Store:
    """The dashboard's system of record, or a refusal saying how to make one."""
    store: Store | None = identity.store()
    if store is None:
        raise RefusedInput(f"there is no database: {identity.missing}", hint="run `prevdip init`")
    return store
