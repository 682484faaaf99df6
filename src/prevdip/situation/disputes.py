"""Disputes in the read model: the register as an audience may read it, what the ledger did on each dispute, and
the brief's "Disputes" part — phase changes in the month, disputes whose units raised warnings, commitments due.

The register holds public reporting and the centre's own records; the one thing in it that can come from a field
report is an event cited as evidence, which :func:`visible` drops for an audience that may not see it (with the
links to models uploaded on the dashboard, which are the centre's). The
ledger's actions, meetings and commitments are the centre's: they are read only for the centre
(:func:`ledger_on`), never for a brief that leaves the room.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from prevdip.disputes import DisputeView, disputes_on, for_audience, list_disputes, open_register
from prevdip.events.sharing import Audience, may_see
from prevdip.months import Month
from prevdip.response import MeetingEntry
from prevdip.situation.models import CommitmentDue, DisputesSection, LedgerSection, PhaseChange, WarnedDispute
from prevdip.situation.sections import section

#: A commitment the ledger still expects.
PENDING = ("open", "late")


def visible(dispute: DisputeView, audience: Audience) -> DisputeView:
    """The dispute without the cited field reports ``audience`` may not see and, below the centre, without the GMCR
    models uploaded on the dashboard (the centre's own work, which only its staff may open)."""
    shown = for_audience(dispute, lambda tier: may_see(audience, tier))
    if audience is Audience.centre or not dispute.gmcr_cases:
        return shown
    from prevdip.gmcr import uploaded_id

    return shown.model_copy(update={"gmcr_cases": [c for c in shown.gmcr_cases if uploaded_id(c) is None]})


def register_views(*, url: str | None, audience: Audience) -> list[DisputeView]:
    """Every dispute of the register (seeded on first use) as ``audience`` may read it."""
    with open_register("dashboard", url=url) as register:
        return [visible(d, audience) for d in list_disputes(register)]


def _cited(dispute: DisputeView, kind: str) -> set[int]:
    return {n for entry in [*dispute.history, *dispute.milestones] for n in getattr(entry, kind)}


def _on_units(meeting: MeetingEntry, units: set[str]) -> bool:
    return any(w["unit"] in units for block in meeting["agenda_blocks"] for w in block["warnings"])


def ledger_on(dispute: DisputeView, *, url: str | None, today: date | None = None) -> LedgerSection:
    """The ledger's records on ``dispute`` (for the centre's staff only: the ledger is the centre's)."""

    def gather() -> dict[str, object]:
        from prevdip.response import (
            action_record,
            list_actions,
            list_commitments,
            list_meetings,
            meeting_entry,
            open_ledger,
        )

        units = {*dispute.units.dyads, *dispute.units.provinces, *dispute.units.basins}
        with open_ledger("dashboard", url=url) as ledger:
            actions = [
                action_record(a) for a in list_actions(ledger) if a.unit in units or a.id in _cited(dispute, "actions")
            ]
            meetings = [meeting_entry(m) for m in list_meetings(ledger)]
            commitments = list_commitments(ledger, today=today)
        meetings = [m for m in meetings if _on_units(m, units) or m["id"] in _cited(dispute, "meetings")]
        acted, met = {a["id"] for a in actions}, {m["id"] for m in meetings}
        cited = _cited(dispute, "commitments")
        mine = [c for c in commitments if c["action_id"] in acted or c["meeting_id"] in met or c["id"] in cited]
        return {"actions": actions, "meetings": meetings, "commitments": mine}

    return section(LedgerSection, gather)


# --- the brief's part -------------------------------------------------------------------------------------------


def _named(dispute: DisputeView) -> dict[str, str]:
    return {"id": dispute.id, "name": dispute.name.en, "name_ru": dispute.name.ru, "phase": dispute.phase}


def phase_changes(disputes: Iterable[DisputeView], month: Month) -> list[PhaseChange]:
    """The transitions dated in ``month`` (a month-precise one counts in its month), oldest first."""
    found = []
    for dispute in disputes:
        for n, move in enumerate(dispute.history):
            if month.first_day <= move.day <= month.last_day:
                before = dispute.history[n - 1].phase if n else None
                outlets = [s.outlet for s in move.sources]
                found.append(
                    PhaseChange(
                        **_named(dispute),
                        to=move.phase,
                        came_from=before,
                        date=move.date,
                        note=move.note,
                        sources=outlets,
                    )  # fmt: skip
                )
    return sorted(found, key=lambda c: (c.date, c.id))


def _due(disputes: list[DisputeView], month: Month, url: str | None) -> list[CommitmentDue]:
    """Commitments still expected on these disputes and due by the month's end."""
    due = []
    for dispute in disputes:
        for c in ledger_on(dispute, url=url, today=month.last_day).commitments or []:
            if c["status"] in PENDING and c["due"] <= month.last_day.isoformat():
                due.append(CommitmentDue(dispute=dispute.id, partner=c["partner"], what=c["what"], due=c["due"],
                                         status=c["status"]))  # fmt: skip
    return sorted(due, key=lambda c: (c.due, c.dispute))


def disputes_section(month: Month, warned_units: set[str], *, url: str | None, audience: Audience) -> DisputesSection:
    """The brief's "Disputes" part for ``audience``: the register is public reporting (cited field reports dropped
    for a lesser audience); the commitments are the ledger's and go into the centre's brief only."""

    def gather() -> dict[str, object]:
        with open_register("brief", url=url) as register:
            everything = [visible(d, audience) for d in list_disputes(register)]
            warned = [visible(d, audience) for d in disputes_on(register, warned_units)]
        rows = [
            WarnedDispute(**_named(d), units=sorted(code for _, code in d.units.codes() if code in warned_units))
            for d in warned
        ]
        found: dict[str, object] = {"changes": phase_changes(everything, month), "warned": rows}
        if audience is Audience.centre:
            found["commitments"] = _due(warned, month, url)
        return found

    return section(DisputesSection, gather)
