"""Linking a dispute to the GMCR models a mediator runs on it, and unlinking one — after the dispute is on the
register (``prevdip disputes add --gmcr`` links them at the start).

A model is a shipped case by name (``rogun-vakhsh``) or a model uploaded on the dashboard as ``upload:<model id>``;
a link is accepted only to a model that exists now (:func:`prevdip.disputes.checks.check_gmcr`). Unlinking asks
nothing of the GMCR domain, so a model that has gone missing from the workspace can still be unlinked. Each change
is one audit entry ``dispute:<id>`` with the links before and after, in the register's unit of work.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from prevdip.disputes.checks import check_gmcr
from prevdip.disputes.reading import view
from prevdip.disputes.records import DisputeView, GmcrRef
from prevdip.disputes.register import Register
from prevdip.disputes.writing import checked
from prevdip.errors import RefusedInput
from prevdip.store.models import DisputeRecord


class _Link(BaseModel):
    gmcr_cases: GmcrRef


def link_gmcr(register: Register, dispute_id: str, reference: str, *, workspace: Path | None = None) -> DisputeView:
    """Link the GMCR model ``reference`` to the dispute; an unknown model, or one already linked, is refused."""
    record = register.dispute(dispute_id)
    reference = checked(_Link, {"gmcr_cases": reference.strip()}).gmcr_cases
    if reference in record.gmcr_cases:
        raise RefusedInput(f"dispute: {record.id} already links {reference!r}", hint="it is on the dispute's page")
    check_gmcr(reference, workspace)
    return _relinked(register, record, [*record.gmcr_cases, reference])


def unlink_gmcr(register: Register, dispute_id: str, reference: str) -> DisputeView:
    """Unlink the GMCR model ``reference`` from the dispute; a model it does not link is refused, naming those it
    does."""
    record = register.dispute(dispute_id)
    reference = reference.strip()
    if reference not in record.gmcr_cases:
        linked = ", ".join(record.gmcr_cases) or "none"
        raise RefusedInput(f"gmcr_cases: {record.id} does not link {reference!r}", hint=f"it links: {linked}")
    return _relinked(register, record, [r for r in record.gmcr_cases if r != reference])


def _relinked(register: Register, record: DisputeRecord, references: list[str]) -> DisputeView:
    """Store the new list of links (a new list: the column is JSON, changed by assignment) with its audit entry."""
    before = {"gmcr_cases": list(record.gmcr_cases)}
    record.gmcr_cases = references
    register.session.flush()
    register.audit.record(
        register.who, f"dispute:{record.id}", before, {"gmcr_cases": references}, session=register.session
    )
    return view(record)
