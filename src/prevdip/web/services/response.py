"""``/response``: what the centre did about its warnings — unanswered warnings, recent actions, upcoming meetings,
open and late commitments, and whether the units acted on improved.

Read fresh on every request (the records can change on PostgreSQL without a file of the workspace changing); the
stages behind the review come from the signals' own cache. Each part says why when it cannot be shown: no database
yet, or no event lake for the warnings and the review.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from prevdip.briefs.locale import say
from prevdip.errors import RefusedInput
from prevdip.geo import HOME_REGION, region
from prevdip.settings import Settings
from prevdip.web._schemas import Section

REGION = HOME_REGION
RECENT_ACTIONS = 20


class ResponsePage(BaseModel):
    """``/response``: the response ledger."""

    month: str | None = Field(description="YYYY-MM of the warnings shown (the latest month with signals by default)")
    unanswered: Section = Field(
        description="warnings: [EarlyWarning as in `/`] of the month in the region with no action recorded on them"
    )
    actions: Section = Field(description="count (all), actions: [as `prevdip response action list --json`], newest")
    meetings: Section = Field(description="meetings: [{id, title, date, place, agenda_blocks}] from today on")
    commitments: Section = Field(description="commitments: [as `prevdip response commitment list`] open or late")
    review: Section = Field(description="as `prevdip response review --json`: actions, summary, caveat, by partner")
    watch_record: Section = Field(
        description="threshold, origins, n_units, at (the record at the warnings' threshold), rows (per threshold: "
        "unit_origins, events, alarms, hits, precision, recall, false_alarm_rate) from the published crisis backtest"
    )


def _section(gather: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    try:
        return {"available": True, "reason": None, **gather()}
    except RefusedInput as missing:
        return {"available": False, "reason": str(missing)}


def _region_units() -> set[str]:
    the_region = region(REGION)
    return set(the_region.iso3s) | {d.code for d in the_region.dyads}


def _unanswered(month: date, answered: set[tuple[str, str]], workspace: Path) -> dict[str, Any]:
    from prevdip.response import warnings_raised

    units = _region_units()
    found = [w.as_dict() for w in warnings_raised(month, workspace=workspace) if w.unit in units]
    return {"warnings": [w for w in found if (w["unit"], w["month"]) not in answered]}


def _ledger_parts(settings: Settings, today: date) -> tuple[dict[str, Any], set[tuple[str, str]]]:
    """Everything read from the records in one session, and the (unit, month) warnings already acted on."""
    from prevdip.response import list_actions, list_commitments, list_meetings, open_ledger, review

    workspace = settings.workspace
    with open_ledger("dashboard", url=settings.effective_database_url) as ledger:
        actions = [a.as_dict() for a in list_actions(ledger)]
        parts = {
            "actions": {"count": len(actions), "actions": actions[:RECENT_ACTIONS]},
            "meetings": {"meetings": [m.as_dict() for m in list_meetings(ledger, since=today)]},
            "commitments": {
                "commitments": [c for c in list_commitments(ledger, today=today) if c["status"] in ("open", "late")]
            },
        }
        parts["review"] = _section(lambda: review(ledger, workspace=workspace, today=today))
    return parts, {(a["unit"], a["month"]) for a in actions}


def response_page(month: date | None, *, settings: Settings, today: date | None = None) -> dict[str, Any]:
    """The ledger page's data; ``month`` picks the warnings shown (default: the latest month with signals)."""
    from prevdip.response import latest_month

    today = today or date.today()
    answered: set[tuple[str, str]] = set()
    try:
        found, answered = _ledger_parts(settings, today)
        parts = {name: {"available": True, "reason": None, **part} for name, part in found.items()}
    except RefusedInput as missing:
        reason = f"{say('response.no_records')} {missing}"
        parts = {
            name: {"available": False, "reason": reason} for name in ("actions", "meetings", "commitments", "review")
        }
    shown: date | None = month
    if shown is None:
        try:
            shown = latest_month(workspace=settings.workspace)
        except RefusedInput:
            shown = None
    if shown is None:
        unanswered = {"available": False, "reason": say("notice.no_lake", workspace=settings.workspace)}
    else:
        unanswered = _section(lambda: _unanswered(shown, answered, settings.workspace))
    from prevdip.response import watch_record

    record = _section(lambda: watch_record(workspace=settings.workspace))
    month_text = None if shown is None else f"{shown:%Y-%m}"
    return {"month": month_text, "unanswered": unanswered, **parts, "watch_record": record}
