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
from typing import Any, TypeVar

from pydantic import Field

from prevdip.briefs.locale import say
from prevdip.errors import RefusedInput
from prevdip.events.sharing import Audience
from prevdip.months import Month
from prevdip.response import EarlyWarning
from prevdip.settings import Settings
from prevdip.situation import Unavailable, latest_month, region_units
from prevdip.situation.models import ReadModel, Section, WatchRecordSection
from prevdip.situation.service import NO_LAKE

RECENT_ACTIONS = 20
S = TypeVar("S", bound=Section)


class UnansweredSection(Section):
    warnings: list[EarlyWarning] | None = Field(None, description="warnings (as on `/`) with no action recorded")


class ActionsSection(Section):
    count: int | None = Field(None, description="how many actions in all")
    actions: list[dict[str, Any]] | None = Field(None, description="as `prevdip response action list --json`")


class MeetingsSection(Section):
    meetings: list[dict[str, Any]] | None = Field(None, description="{id, title, date, place, agenda_blocks}")


class CommitmentsSection(Section):
    commitments: list[dict[str, Any]] | None = Field(None, description="as `prevdip response commitment list`")


class ReviewSection(Section):
    """As ``prevdip response review --json``: whether the units acted on improved afterwards."""

    unit: str | None = None
    horizons: list[int] | None = None
    caveat: str | None = None
    actions: list[dict[str, Any]] | None = None
    summary: list[dict[str, Any]] | None = None
    commitments_by_partner: list[dict[str, Any]] | None = None


class ResponsePage(ReadModel):
    """``/response``: the response ledger."""

    month: str | None = Field(description="YYYY-MM of the warnings shown (the latest month with signals by default)")
    unanswered: UnansweredSection = Field(description="the month's warnings in the region with no action on them")
    actions: ActionsSection = Field(description="the newest actions")
    meetings: MeetingsSection = Field(description="meetings from today on")
    commitments: CommitmentsSection = Field(description="open or late commitments")
    review: ReviewSection
    watch_record: WatchRecordSection = Field(description="how a watch has done in the published crisis backtest")


def _section(kind: type[S], gather: Callable[[], Any]) -> S:
    """The ledger's parts: a refusal (no database yet, no lake) is the part's reason."""
    try:
        found = gather()
    except (RefusedInput, Unavailable) as missing:
        return kind(available=False, reason=str(missing))
    fields = found if isinstance(found, dict) else found.model_dump()
    return kind.model_validate({"available": True, "reason": None, **fields})


def _unanswered(month: Month, answered: set[tuple[str, str]], workspace: Path) -> dict[str, Any]:
    from prevdip.response import warnings_raised

    units = {u.unit for u in region_units()}
    found = warnings_raised(month.first_day, workspace=workspace, audience=Audience.centre)
    return {"warnings": [w for w in found if w.unit in units and (w.unit, f"{w.month:%Y-%m}") not in answered]}


def _ledger_parts(settings: Settings, today: date) -> tuple[dict[str, dict[str, Any]], set[tuple[str, str]]]:
    """Everything read from the records in one session, and the (unit, month) warnings already acted on."""
    from prevdip.response import list_actions, list_commitments, list_meetings, open_ledger, review

    workspace = settings.workspace
    with open_ledger("dashboard", url=settings.effective_database_url) as ledger:
        actions = [a.as_dict() for a in list_actions(ledger)]
        parts: dict[str, dict[str, Any]] = {
            "actions": {"count": len(actions), "actions": actions[:RECENT_ACTIONS]},
            "meetings": {"meetings": [m.as_dict() for m in list_meetings(ledger, since=today)]},
            "commitments": {
                "commitments": [c for c in list_commitments(ledger, today=today) if c["status"] in ("open", "late")]
            },
        }
        try:
            parts["review"] = {"available": True, "reason": None, **review(ledger, workspace=workspace, today=today)}
        except RefusedInput as missing:
            parts["review"] = {"available": False, "reason": str(missing)}
    return parts, {(a["unit"], a["month"]) for a in actions}


def response_page(month: Month | None, *, settings: Settings, today: date | None = None) -> ResponsePage:
    """The ledger page's data; ``month`` picks the warnings shown (default: the latest month with signals)."""
    from prevdip.response import watch_record

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
    shown = month
    if shown is None:
        try:
            shown = latest_month(workspace=settings.workspace)
        except (RefusedInput, Unavailable):
            shown = None
    if shown is None:
        unanswered = UnansweredSection(available=False, reason=NO_LAKE.format(workspace=settings.workspace))
    else:
        chosen = shown
        unanswered = _section(UnansweredSection, lambda: _unanswered(chosen, answered, settings.workspace))
    return ResponsePage(
        month=None if shown is None else str(shown),
        unanswered=unanswered,
        actions=ActionsSection.model_validate(parts["actions"]),
        meetings=MeetingsSection.model_validate(parts["meetings"]),
        commitments=CommitmentsSection.model_validate(parts["commitments"]),
        review=ReviewSection.model_validate(parts["review"]),
        watch_record=_section(WatchRecordSection, lambda: watch_record(workspace=settings.workspace)),
    )
