"""The response ledger: what the centre did about its warnings, with whom, what was promised, and when.

The vocabularies (partner kinds, instruments, priority groups, statuses) are checked by the response domain
before anything is written, so the columns hold plain strings: a new instrument or partner kind is a change to
the domain's vocabulary, not a migration.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, Date, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prevdip.store.models._base import Base, RecordId, UtcDateTime, utc_now


def _version() -> Mapped[int]:
    """How many times the record was written: an edit is refused when it changed since it was read."""
    return mapped_column(Integer, nullable=False, server_default="1")


#: Which partners took part in which action (many to many).
action_partners = Table(
    "action_partners",
    Base.metadata,
    Column("action_id", ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    Column("partner_id", ForeignKey("partners.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


#: Which partners took part in which meeting (many to many).
meeting_participants = Table(
    "meeting_participants",
    Base.metadata,
    Column("meeting_id", ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("partner_id", ForeignKey("partners.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class Partner(Base):
    """A government, UN agency, regional organisation, NGO or donor the centre works with."""

    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(RecordId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    country_iso3: Mapped[str | None] = mapped_column(String(3))
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "kind": self.kind, "country_iso3": self.country_iso3}


class ProgrammeItem(Base):
    """One line of the centre's Programme of Action, under one priority group, for a span of years."""

    __tablename__ = "programme_items"

    id: Mapped[int] = mapped_column(RecordId, primary_key=True, autoincrement=True)
    priority_group: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(300), unique=True)
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(32))
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    version: Mapped[int] = _version()
    __mapper_args__ = {"version_id_col": version}

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "priority_group": self.priority_group,
            "title": self.title,
            "start_year": self.start_year,
            "end_year": self.end_year,
            "status": self.status,
            "version": self.version,
        }


class Action(Base):
    """A response to a warning: the unit and month warned about, the instrument used, what was done and when."""

    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(RecordId, primary_key=True, autoincrement=True)
    unit: Mapped[str] = mapped_column(String(16), index=True)
    unit_kind: Mapped[str] = mapped_column(String(16))
    month: Mapped[dt.date] = mapped_column(Date, index=True)
    instrument: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    date: Mapped[dt.date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    programme_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme_items.id", ondelete="RESTRICT"), index=True
    )
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    partners: Mapped[list[Partner]] = relationship(secondary=action_partners, order_by=Partner.name, lazy="selectin")
    version: Mapped[int] = _version()
    __mapper_args__ = {"version_id_col": version}

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "unit": self.unit,
            "unit_kind": self.unit_kind,
            "month": f"{self.month:%Y-%m}",
            "instrument": self.instrument,
            "kind": self.kind,
            "date": self.date.isoformat(),
            "description": self.description,
            "programme_item_id": self.programme_item_id,
            "partners": [p.name for p in self.partners],
            "version": self.version,
        }


class Meeting(Base):
    """A meeting the centre convenes or attends (for example of the deputy foreign ministers), with its agenda."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(RecordId, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(300))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    place: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[str | None] = mapped_column(Text)
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    participants: Mapped[list[Partner]] = relationship(
        secondary=meeting_participants, order_by=Partner.name, lazy="selectin"
    )
    blocks: Mapped[list[MeetingAgendaBlock]] = relationship(
        back_populates="meeting",
        order_by="MeetingAgendaBlock.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date.isoformat(),
            "place": self.place,
            "participants": [p.name for p in self.participants],
            "outcome": self.outcome,
            "agenda_blocks": [b.as_dict() for b in self.blocks],
        }


class MeetingAgendaBlock(Base):
    """One block of a meeting's agenda: a priority group, its title and the warnings (unit, month) it answers."""

    __tablename__ = "agenda_blocks"

    id: Mapped[int] = mapped_column(RecordId, primary_key=True, autoincrement=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    priority_group: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    instrument: Mapped[str | None] = mapped_column(String(32))
    proposal: Mapped[str | None] = mapped_column(Text)
    warnings: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    meeting: Mapped[Meeting] = relationship(back_populates="blocks")

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "position": self.position,
            "priority_group": self.priority_group,
            "title": self.title,
            "instrument": self.instrument,
            "proposal": self.proposal,
            "warnings": list(self.warnings),
        }


class Commitment(Base):
    """A promise made by a partner or government, due by a date, traced to the action or meeting it came from.

    ``status`` is what was recorded (open, kept, late, dropped); an open commitment past its due date is reported
    late by the domain without rewriting the record, so the record says what people wrote and when.
    """

    __tablename__ = "commitments"

    id: Mapped[int] = mapped_column(RecordId, primary_key=True, autoincrement=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="RESTRICT"), index=True)
    what: Mapped[str] = mapped_column(Text)
    due: Mapped[dt.date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16))
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id", ondelete="RESTRICT"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="RESTRICT"), index=True)
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    partner: Mapped[Partner] = relationship(lazy="joined")
    version: Mapped[int] = _version()
    __mapper_args__ = {"version_id_col": version}

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "partner": self.partner.name,
            "partner_id": self.partner_id,
            "what": self.what,
            "due": self.due.isoformat(),
            "status": self.status,
            "action_id": self.action_id,
            "meeting_id": self.meeting_id,
            "version": self.version,
        }
