"""Reading the register: typed views a command, a page or the brief can call directly.

Each function takes an open :class:`~prevdip.disputes.register.Register` and returns
:class:`~prevdip.disputes.records.DisputeView` models (``.as_dict()`` is the JSON every face prints). Nothing here
depends on an audience: the register holds public reporting and the centre's own records; an event cited as
evidence carries its sharing tier, and :func:`for_audience` drops the ones a reader may not see.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select

from prevdip.disputes.phases import PHASES
from prevdip.disputes.records import DisputeView
from prevdip.disputes.register import Register
from prevdip.errors import RefusedInput
from prevdip.store.models import Action, AuditEntry, DisputeRecord, DisputeUnit


def view(record: DisputeRecord) -> DisputeView:
    """The typed view of a stored dispute."""
    units: dict[str, list[str]] = {"dyads": [], "provinces": [], "basins": []}
    for unit in record.units:
        units[f"{unit.kind}s"].append(unit.code)
    data = record.as_dict()
    return DisputeView.model_validate(
        data
        | {
            "units": units,
            "history": [{"phase": t.phase, **t.entry_dict()} for t in record.transitions],
            "milestones": [{"what": m.what, **m.entry_dict()} for m in record.milestones],
        }
    )


def register_mark(register: Register) -> int:
    """A mark that moves whenever the register may have changed: the newest audit entry's id (every write to the
    register commits with its audit entry). One indexed lookup, so a page can keep what it read until it moves."""
    return int(register.session.scalar(select(func.max(AuditEntry.id))) or 0)


def list_disputes(register: Register, *, phase: str | None = None) -> list[DisputeView]:
    """Every dispute of the register by id, or those now in ``phase``."""
    if phase not in (None, "") and phase not in PHASES:
        raise RefusedInput(f"unknown phase {phase!r}", hint=f"phases: {', '.join(PHASES)}")
    found = [view(r) for r in register.session.scalars(select(DisputeRecord).order_by(DisputeRecord.id))]
    return [d for d in found if phase in (None, "") or d.phase == phase]


def show_dispute(register: Register, dispute_id: str) -> DisputeView:
    """One dispute (an unknown id is refused, naming those the register holds)."""
    return view(register.dispute(dispute_id))


def disputes_on(register: Register, units: Iterable[str]) -> list[DisputeView]:
    """The disputes that live on any of these units (dyad, province or basin codes) — e.g. the units with warnings."""
    codes = sorted(set(units))
    if not codes:
        return []
    ids = select(DisputeUnit.dispute_id).where(DisputeUnit.code.in_(codes))
    query = select(DisputeRecord).where(DisputeRecord.id.in_(ids)).order_by(DisputeRecord.id)
    return [view(r) for r in register.session.scalars(query)]


def actions_on(register: Register, dispute: DisputeView) -> list[dict[str, Any]]:
    """The ledger's actions recorded on the dispute's dyads, newest first (what the centre did about it)."""
    if not dispute.units.dyads:
        return []
    query = select(Action).where(Action.unit.in_(dispute.units.dyads)).order_by(Action.date.desc(), Action.id.desc())
    return [a.as_dict() for a in register.session.scalars(query)]


def for_audience(dispute: DisputeView, may_see: Any) -> DisputeView:
    """The dispute without the cited events ``may_see(sharing)`` refuses (``prevdip.events.sharing.may_see`` bound
    to an audience)."""
    return dispute.model_copy(
        update={
            "history": [t.visible_to(may_see) for t in dispute.history],
            "milestones": [m.visible_to(may_see) for m in dispute.milestones],
        }
    )
