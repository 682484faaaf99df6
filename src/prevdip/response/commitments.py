"""Commitments: who promised what, by when, and whether it was kept.

The record keeps what people wrote; an open commitment whose due date has passed *reports* as late (without being
rewritten), so nothing slips by unnoticed and the audit log still shows who changed what.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any, cast

from sqlalchemy import select
from typing_extensions import TypedDict  # pydantic reads a TypedDict in a model's field only from here on Python 3.11

from prevdip.response.ledger import Ledger
from prevdip.response.partners import find_partner
from prevdip.response.vocabulary import COMMITMENT_STATUSES, choice, day, refuse, text
from prevdip.store.models import Action, Commitment, Meeting


def effective_status(commitment: Commitment, today: date | None = None) -> str:
    """The recorded status, except an open commitment past its due date, which is late."""
    if commitment.status == "open" and commitment.due < (today or date.today()):
        return "late"
    return commitment.status


class CommitmentReport(TypedDict):
    """A commitment as it reports today: ``status`` is the reported one (an open commitment past due is late),
    ``recorded_status`` what was written. The keys are the record's (its ``as_dict``) in the same order, so the JSON
    of every face that shows a commitment reads the same."""

    id: int
    partner: str
    partner_id: int
    what: str
    due: str  # YYYY-MM-DD
    status: str
    action_id: int | None
    meeting_id: int | None
    version: int
    recorded_status: str


def commitment_dict(commitment: Commitment, today: date | None = None) -> CommitmentReport:
    """The commitment as JSON — its ``as_dict``, the one place its keys are written — with ``status`` as it reports
    today and ``recorded_status`` as written."""
    data = commitment.as_dict()
    reported = {"status": effective_status(commitment, today), "recorded_status": data["status"]}
    return cast(CommitmentReport, data | reported)


def add_commitment(
    ledger: Ledger,
    *,
    partner: Any,
    what: Any,
    due: Any,
    status: Any = "open",
    action: Any = None,
    meeting: Any = None,
) -> Commitment:
    """Record a commitment by a partner, traced to the action or meeting it came from (at least one)."""
    if action in (None, "") and meeting in (None, ""):
        raise refuse("action", "a commitment must come from an action or a meeting", "give --action ID or --meeting ID")
    commitment = Commitment(
        partner_id=find_partner(ledger, "partner", partner).id,
        what=text("what", what),
        due=day("due", due),
        status=choice("status", status, COMMITMENT_STATUSES),
        action_id=None if action in (None, "") else ledger.get(Action, "action", action).id,
        meeting_id=None if meeting in (None, "") else ledger.get(Meeting, "meeting", meeting).id,
    )
    return ledger.add("commitment", commitment)


def update_commitment(
    ledger: Ledger, commitment_id: Any, *, status: Any = None, due: Any = None, expected_version: Any = None
) -> Commitment:
    """Change a commitment's status or due date; the audit log keeps the before and after. Refused when the
    commitment changed since it was read (at ``expected_version``, or in this unit of work)."""
    commitment = ledger.get(Commitment, "commitment", commitment_id)
    ledger.expect("commitment", commitment, expected_version)
    if status in (None, "") and due in (None, ""):
        raise refuse("status", "nothing to change", "give --status or --due")
    before = commitment.as_dict()
    if status not in (None, ""):
        commitment.status = choice("status", status, COMMITMENT_STATUSES)
    if due not in (None, ""):
        commitment.due = day("due", due)
    ledger.written("commitment", commitment, before)
    return commitment


def list_commitments(
    ledger: Ledger, *, status: Any = None, partner: Any = None, today: date | None = None
) -> list[CommitmentReport]:
    """Commitments by due date, as they report today; ``status`` filters on that reported status."""
    query = select(Commitment).order_by(Commitment.due, Commitment.id)
    if partner not in (None, ""):
        query = query.where(Commitment.partner_id == find_partner(ledger, "partner", partner).id)
    wanted = None if status in (None, "") else choice("status", status, COMMITMENT_STATUSES)
    found = [commitment_dict(c, today) for c in ledger.session.scalars(query)]
    return [c for c in found if wanted is None or c["status"] == wanted]


def open_commitments(ledger: Ledger, *, today: date | None = None) -> list[CommitmentReport]:
    """The commitments still to keep: the late ones first, then the open ones, each by due date."""
    found = [c for c in list_commitments(ledger, today=today) if c["status"] in ("late", "open")]
    return sorted(found, key=lambda c: (c["status"] != "late", c["due"], c["id"]))


class PartnerTally(TypedDict):
    """One partner's commitments counted by the status they report today (the statuses in the vocabulary's order)."""

    partner: str
    total: int
    open: int
    kept: int
    late: int
    dropped: int


def kept_by_partner(ledger: Ledger, today: date | None = None) -> list[PartnerTally]:
    """Per partner: how many commitments are kept, late, open and dropped (as they report today)."""
    tally: dict[str, Counter[str]] = {}
    for commitment in ledger.session.scalars(select(Commitment)):
        tally.setdefault(commitment.partner.name, Counter())[effective_status(commitment, today)] += 1
    return [
        PartnerTally(
            partner=name,
            total=counts.total(),
            open=counts["open"],
            kept=counts["kept"],
            late=counts["late"],
            dropped=counts["dropped"],
        )
        for name, counts in sorted(tally.items())
    ]
