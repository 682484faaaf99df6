"""The register as a unit of work on the system of record, seeded from the shipped file on first use.

Every write of one command commits together with its audit entries, or nothing is written. Seeding adds the shipped
disputes the register does not hold yet, in its own unit of work before the command's; a dispute already there is
never touched, so what officers recorded stays as they recorded it. Seeding happens on first use and not in
``prevdip init``: a fresh database must stay empty so that a backup can be restored into it.

    with open_register("a.officer") as register:
        record_transition(register, "kgz-tjk-border", "violent", when="2026-06-02", sources=["https://..."])
"""

from __future__ import annotations

import getpass
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from prevdip.disputes.records import EVIDENCE, DisputeIn, Entry, MilestoneIn, TransitionIn
from prevdip.disputes.shipped import shipped_register
from prevdip.errors import NotFound
from prevdip.store import AuditLog, Store, shared_store
from prevdip.store.models import DisputeMilestone, DisputeRecord, DisputeTransition, DisputeUnit

#: Who the shipped entries are recorded by.
SHIPPED_BY = "prevdip (shipped register)"


@dataclass
class Register:
    """One open unit of work on the dispute register, written in the name of ``who``."""

    session: Session
    audit: AuditLog
    who: str

    def add(self, what: str, record: Any) -> Any:
        """Add a new record and log its creation as ``what:<id>``."""
        self.session.add(record)
        self.session.flush()
        self.audit.record(self.who, f"{what}:{record.id}", None, record.as_dict(), session=self.session)
        return record

    def dispute(self, dispute_id: str) -> DisputeRecord:
        """The dispute with this id; an unknown one is refused with the ids the register holds."""
        found = self.session.get(DisputeRecord, str(dispute_id).strip())
        if found is None:
            known = ", ".join(self.session.scalars(select(DisputeRecord.id).order_by(DisputeRecord.id)))
            raise NotFound(f"no dispute {dispute_id!r} in the register", hint=f"disputes: {known or 'none yet'}")
        return found


def write_dispute(register: Register, dispute: DisputeIn, origin: str) -> DisputeRecord:
    """Write a checked dispute with its history and milestones (the caller has checked what needs other domains)."""
    record = DisputeRecord(
        id=dispute.id,
        name_en=dispute.name.en,
        name_ru=dispute.name.ru,
        parties=list(dispute.parties),
        actors=list(dispute.actors),
        issues=list(dispute.issues),
        priority_group=dispute.priority_group,
        gmcr_cases=list(dispute.gmcr_cases),
        basin_scenarios=list(dispute.basin_scenarios),
        summary=dispute.summary,
        watch=dispute.watch,
        origin=origin,
        units=[DisputeUnit(kind=kind, code=code) for kind, code in dispute.units.codes()],
    )
    register.add("dispute", record)
    for transition in dispute.history:
        write_entry(register, record.id, transition, origin)
    for milestone in dispute.milestones:
        write_entry(register, record.id, milestone, origin)
    return record


def write_entry(register: Register, dispute_id: str, entry: Entry, origin: str) -> DisputeTransition | DisputeMilestone:
    """Write one transition or milestone of a dispute's record."""
    evidence = entry.model_dump(mode="json", include=set(EVIDENCE))
    columns: dict[str, Any] = {
        "dispute_id": dispute_id,
        "date": entry.day,
        "precision": entry.precision,
        "evidence": {kind: evidence[kind] for kind in EVIDENCE},
        "sources": [s.model_dump(mode="json") for s in entry.sources],
        "note": entry.note,
        "disagreement": entry.disagreement,
        "confirmed": entry.confirmed,
        "unconfirmed": entry.unconfirmed,
        "who": register.who,
        "origin": origin,
    }
    if isinstance(entry, TransitionIn):
        return register.add("dispute_transition", DisputeTransition(phase=entry.phase, **columns))
    assert isinstance(entry, MilestoneIn)
    return register.add("dispute_milestone", DisputeMilestone(what=entry.what, **columns))


def seed(register: Register) -> list[str]:
    """Add the shipped disputes the register does not hold; the ids added (none when all are there)."""
    present = set(register.session.scalars(select(DisputeRecord.id)))
    added = []
    for dispute in shipped_register():
        if dispute.id not in present:
            write_dispute(register, dispute, origin="shipped")
            added.append(dispute.id)
    return added


def seed_store(store: Store) -> list[str]:
    """Seed in a unit of work of its own; a seeding that raced another process's is simply left to it."""
    try:
        with store.session() as session:
            return seed(Register(session, store.audit, SHIPPED_BY))
    except IntegrityError:
        return []


def default_who() -> str:
    """Who writes when nobody says: the account running prevdip."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = ""
    return name or "prevdip"


@contextmanager
def open_register(who: str | None = None, *, url: str | None = None) -> Iterator[Register]:
    """The register of the workspace's system of record (or ``url``), seeded, committed when the block ends."""
    store = shared_store(url)
    _seed_once(store)
    with store.session() as session:
        yield Register(session, store.audit, (who or "").strip() or default_who())


_seeded: weakref.WeakSet[Store] = weakref.WeakSet()


def _seed_once(store: Store) -> None:
    """Seed a store the first time this process opens its register (each page opens it), and again whenever its
    register is found empty (a database migrated down and up again under the same file)."""
    if store in _seeded:
        with store.session() as session:
            if session.scalar(select(DisputeRecord.id).limit(1)) is not None:
                return
    seed_store(store)
    _seeded.add(store)
