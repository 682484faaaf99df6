"""What officers write: a new dispute, a transition between phases, a milestone — each checked whole before any
of it is written, in the register's unit of work (with its audit entries).

Evidence is given as ``KIND:VALUE`` — ``event:<uid>`` (an event of the lake), ``meeting:<id>``,
``commitment:<id>``, ``action:<id>`` (the ledger's records) or ``agreement:<title>`` (signed on the entry's date,
reported by the entry's sources) — and sources as a URL or a citation; the CLI passes its options straight through,
and a form can do the same.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

from pydantic import BaseModel, ValidationError

from prevdip.disputes.checks import check_ledger, check_links, check_units, resolve_events
from prevdip.disputes.phases import PHASES, Step, refusal
from prevdip.disputes.reading import view
from prevdip.disputes.records import DisputeIn, DisputeView, Entry, MilestoneIn, TransitionIn, explain
from prevdip.disputes.register import Register, write_dispute, write_entry
from prevdip.errors import RefusedInput
from prevdip.store.models import DisputeRecord

Model = TypeVar("Model", bound=BaseModel)
EVIDENCE_KINDS = ("event", "meeting", "commitment", "action", "agreement")


def checked(model: type[Model], data: Mapping[str, Any]) -> Model:
    """``data`` as ``model``; the first mistake is refused naming its field (``history.0.date: ...``)."""
    try:
        return model.model_validate(data)
    except ValidationError as problem:
        raise RefusedInput(explain(problem), hint="see `prevdip disputes --help` and docs/disputes.md") from None


def source_of(text: str) -> dict[str, Any]:
    """A source given on the command line: a URL (its host names the outlet) or a citation in words."""
    said = text.strip()
    if not said:
        raise RefusedInput("sources: an empty source", hint="give a URL or a citation, e.g. 'Interfax, 13 March 2025'")
    if said.startswith(("http://", "https://")):
        return {"outlet": urlparse(said).netloc or said, "url": said}
    return {"outlet": said}


def entry_data(when: Any, evidence: Sequence[str] = (), sources: Sequence[str] = (), **notes: Any) -> dict[str, Any]:
    """The fields of an entry from a date, ``KIND:VALUE`` evidence and sources (``notes``: note, disagreement,
    unconfirmed — an unconfirmed date is marked so)."""
    cited = [source_of(s) for s in sources]
    data: dict[str, Any] = {"date": when, "sources": cited, **{k: v for k, v in notes.items() if v not in (None, "")}}
    if data.get("unconfirmed"):
        data["confirmed"] = False
    for item in evidence:
        kind, _, value = str(item).partition(":")
        kind, value = kind.strip().lower(), value.strip()
        if kind not in EVIDENCE_KINDS or not value:
            raise RefusedInput(
                f"evidence: cannot read {item!r}", hint=f"write KIND:VALUE, KIND one of {', '.join(EVIDENCE_KINDS)}"
            )
        if kind == "agreement":
            if not cited:
                raise RefusedInput("evidence: an agreement needs its source", hint="give --source URL (or a citation)")
            data.setdefault("agreements", []).append({"title": value, "signed": when, "sources": cited})
        elif kind == "event":
            if not re.fullmatch(r"[0-9a-fA-F]{32}", value):
                raise RefusedInput(
                    f"evidence: {value!r} is not an event uid", hint="32 hex digits: `prevdip events --json`"
                )
            data.setdefault("events", []).append({"uid": value.lower()})
        elif value.isdigit():
            data.setdefault(f"{kind}s", []).append(int(value))
        else:
            raise RefusedInput(f"evidence: {kind} {value!r} is not a record id", hint="give the number the list shows")
    return data


Checked = TypeVar("Checked", bound=Entry)


def _evidence_checked(register: Register, entry: Checked, workspace: Path | None) -> Checked:
    """The entry with its cited events completed from the lake (source, date, sharing tier); every cited event,
    meeting, commitment and action must exist."""
    check_ledger(register.session, entry.meetings, entry.commitments, entry.actions)
    if not entry.events:
        return entry
    from prevdip.settings import get_settings

    lake = workspace if workspace is not None else get_settings().workspace
    return entry.model_copy(update={"events": resolve_events([e.uid for e in entry.events], lake)})


def add_dispute(register: Register, data: Mapping[str, Any], *, workspace: Path | None = None) -> DisputeView:
    """Put a new dispute on the register with its first phase (or whole history) and milestones."""
    from prevdip.settings import get_settings

    dispute = checked(DisputeIn, data)
    if register.session.get(DisputeRecord, dispute.id) is not None:
        raise RefusedInput(f"id: the register already has a dispute {dispute.id!r}", hint="choose another id")
    check_units(dispute.units, get_settings().bundle)
    check_links(dispute.gmcr_cases, dispute.basin_scenarios, workspace=workspace)
    dispute = dispute.model_copy(
        update={
            "history": [_evidence_checked(register, t, workspace) for t in dispute.history],
            "milestones": [_evidence_checked(register, m, workspace) for m in dispute.milestones],
        }
    )
    return view(write_dispute(register, dispute, origin="officer"))


def record_transition(
    register: Register, dispute_id: str, phase: str, *, workspace: Path | None = None, **entry: Any
) -> DisputeView:
    """Move a dispute into ``phase`` (``entry``: when, evidence, sources, note, disagreement, unconfirmed); a move
    the lifecycle forbids, a date before the last transition or in the future, and unknown evidence are refused."""
    record = register.dispute(dispute_id)
    if phase not in PHASES:
        raise RefusedInput(f"phase: unknown phase {phase!r}", hint=f"phases: {', '.join(PHASES)}")
    transition = checked(TransitionIn, entry_data(**entry) | {"phase": phase})
    last = view(record).history[-1]
    problem = refusal(
        Step(last.phase, last.day, bool(last.agreements)),
        Step(transition.phase, transition.day, bool(transition.agreements)),
    )
    if problem is not None:
        hint = "--evidence 'agreement:TITLE' --source URL" if "agreement" in problem else "see docs/disputes.md"
        raise RefusedInput(f"{record.id}: {problem}", hint=hint)
    write_entry(register, record.id, _evidence_checked(register, transition, workspace), "officer")
    register.session.expire(record)
    return view(record)


def record_milestone(
    register: Register, dispute_id: str, what: str, *, workspace: Path | None = None, **entry: Any
) -> DisputeView:
    """Record a dated fact that does not change the dispute's phase: a ratification, a summit, a step of
    implementation, a warning — what keeps a resolved dispute watched."""
    record = register.dispute(dispute_id)
    milestone = checked(MilestoneIn, entry_data(**entry) | {"what": what})
    write_entry(register, record.id, _evidence_checked(register, milestone, workspace), "officer")
    register.session.expire(record)
    return view(record)
