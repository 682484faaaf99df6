"""Meetings and their agenda blocks: the deputy foreign ministers' meeting takes the warnings block by block."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, cast

from sqlalchemy import select
from typing_extensions import TypedDict  # pydantic reads a TypedDict in a model's field only from here on Python 3.11

from prevdip.response.agenda import AgendaBlock, agenda_blocks
from prevdip.response.commitments import CommitmentReport, commitment_dict
from prevdip.response.ledger import Ledger
from prevdip.response.partners import find_partner
from prevdip.response.raised import warnings_raised
from prevdip.response.vocabulary import BLOCK_GROUPS, INSTRUMENT_NAMES, choice, day, month, refuse, text, unit
from prevdip.store.models import Commitment, Meeting, MeetingAgendaBlock


def _answered(field: str, warnings: Any) -> list[dict[str, str]]:
    """The warnings a block answers, each checked: ``[{"unit": "KGZ-TJK", "month": "2022-09"}, ...]``."""
    if not isinstance(warnings, Sequence) or isinstance(warnings, str):
        raise refuse(field, "is not a list of warnings", 'write [{unit = "KGZ-TJK", month = "2022-09"}]')
    out = []
    for n, warning in enumerate(warnings):
        if not isinstance(warning, Mapping):
            raise refuse(f"{field}[{n}]", "is not a warning", "give its unit and month")
        out.append(
            {
                "unit": unit(f"{field}[{n}].unit", warning.get("unit"))[1],
                "month": f"{month(f'{field}[{n}].month', warning.get('month')):%Y-%m}",
            }
        )
    return out


def _block(n: int, block: Mapping[str, Any]) -> MeetingAgendaBlock:
    field = f"agenda_blocks[{n}]"
    instrument = block.get("instrument")
    return MeetingAgendaBlock(
        position=n + 1,
        priority_group=choice(f"{field}.priority_group", block.get("priority_group"), BLOCK_GROUPS),
        title=text(f"{field}.title", block.get("title"), limit=300),
        instrument=None if instrument in (None, "") else choice(f"{field}.instrument", instrument, INSTRUMENT_NAMES),
        proposal=text(f"{field}.proposal", block["proposal"]) if str(block.get("proposal") or "").strip() else None,
        warnings=_answered(f"{field}.warnings", block.get("warnings", [])),
    )


def add_meeting(
    ledger: Ledger,
    title: Any,
    when: Any,
    *,
    place: Any = None,
    blocks: Sequence[Mapping[str, Any]] = (),
    participants: Sequence[Any] = (),
    outcome: Any = None,
) -> Meeting:
    """Record a meeting with its agenda blocks (in the order given), the partners taking part, and — once held —
    its outcome."""
    where = text("place", place, limit=200) if str(place or "").strip() else None  # the column's width, both backends
    meeting = Meeting(title=text("title", title, limit=300), date=day("date", when), place=where)
    meeting.outcome = text("outcome", outcome) if str(outcome or "").strip() else None
    meeting.participants = _partners(ledger, participants)
    meeting.blocks = [_block(n, block) for n, block in enumerate(blocks)]
    return ledger.add("meeting", meeting)


def _partners(ledger: Ledger, refs: Sequence[Any]) -> list[Any]:
    found = (find_partner(ledger, "participants", ref) for ref in refs if str(ref or "").strip())
    return list({p.id: p for p in found}.values())


def record_outcome(
    ledger: Ledger, meeting_id: Any, *, outcome: Any = None, participants: Sequence[Any] = ()
) -> Meeting:
    """Write what a meeting concluded, and add the partners who took part; the audit log keeps the before."""
    meeting = ledger.get(Meeting, "meeting", meeting_id)
    if not str(outcome or "").strip() and not participants:
        raise refuse("outcome", "nothing to change", "give --outcome or --participant")
    before = meeting.as_dict()
    if str(outcome or "").strip():
        meeting.outcome = text("outcome", outcome)
    meeting.participants = list({p.id: p for p in [*meeting.participants, *_partners(ledger, participants)]}.values())
    ledger.written("meeting", meeting, before)
    return meeting


def suggested_blocks(agenda_month: date, *, workspace: Path | None = None) -> list[AgendaBlock]:
    """The agenda blocks the month's open warnings suggest (see :func:`prevdip.response.agenda_blocks`)."""
    return agenda_blocks(warnings_raised(agenda_month, workspace=workspace))


class BlockWarning(TypedDict):
    """A warning an agenda block answers, by unit and month (``YYYY-MM``)."""

    unit: str
    month: str


class BlockDraft(TypedDict):
    """An agenda block as a record to edit before the meeting is written (what :func:`add_meeting` takes)."""

    priority_group: str
    title: str
    instrument: str
    proposal: str
    warnings: list[BlockWarning]


def proposed_blocks(agenda_month: Any, *, workspace: Path | None = None) -> list[BlockDraft]:
    """The agenda blocks the warnings of ``agenda_month`` suggest, as records to edit before the meeting is
    written; refused when there are none."""
    first = month("agenda_month", agenda_month)
    blocks = suggested_blocks(first, workspace=workspace)
    if not blocks:
        raise refuse("agenda_month", f"no open warning in {first:%Y-%m}", "give the blocks yourself, or another month")
    return [
        BlockDraft(
            priority_group=b.priority_group,
            title=b.title,
            instrument=b.instrument,
            proposal=b.proposal,
            warnings=[BlockWarning(unit=w.unit, month=f"{w.month:%Y-%m}") for w in b.warnings],
        )
        for b in blocks
    ]


def meeting_from_agenda(
    ledger: Ledger,
    agenda_month: Any,
    title: Any,
    when: Any,
    *,
    place: Any = None,
    workspace: Path | None = None,
    participants: Sequence[Any] = (),
) -> Meeting:
    """A meeting whose agenda is the blocks the warnings of ``agenda_month`` suggest; refused when there are none."""
    blocks = proposed_blocks(agenda_month, workspace=workspace)
    return add_meeting(ledger, title, when, place=place, blocks=blocks, participants=participants)


class AgendaBlockRecord(TypedDict):
    """One block of a meeting's agenda as recorded, at its position, with the warnings it answers."""

    id: int
    position: int
    priority_group: str
    title: str
    instrument: str | None
    proposal: str | None
    warnings: list[BlockWarning]


class MeetingEntry(TypedDict):
    """A meeting as recorded, with its agenda (its ``as_dict`` keys, in that order): what a list of meetings shows."""

    id: int
    title: str
    date: str  # YYYY-MM-DD
    place: str | None
    participants: list[str]
    outcome: str | None
    agenda_blocks: list[AgendaBlockRecord]


class MeetingRecord(MeetingEntry):
    """A meeting as ``prevdip response meeting show`` reports it: the record, then the commitments made there as
    they report today."""

    commitments: list[CommitmentReport]


def show_meeting(ledger: Ledger, meeting_id: Any) -> MeetingRecord:
    """A meeting with its agenda blocks and the commitments made there."""
    meeting = ledger.get(Meeting, "meeting", meeting_id)
    made = ledger.session.scalars(select(Commitment).where(Commitment.meeting_id == meeting.id).order_by(Commitment.id))
    return MeetingRecord(**meeting_entry(meeting), commitments=[commitment_dict(c) for c in made])


def meeting_entry(meeting: Meeting) -> MeetingEntry:
    """The record of ``meeting`` with its agenda: its ``as_dict``, the one place its keys are written, read here
    under its type."""
    return cast(MeetingEntry, meeting.as_dict())


def list_meetings(ledger: Ledger, *, since: date | None = None, until: date | None = None) -> list[Meeting]:
    """Meetings in date order, from ``since`` and until ``until`` when given."""
    query = select(Meeting).order_by(Meeting.date, Meeting.id)
    if since is not None:
        query = query.where(Meeting.date >= since)
    if until is not None:
        query = query.where(Meeting.date <= until)
    return list(ledger.session.scalars(query))
