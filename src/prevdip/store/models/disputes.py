"""The dispute register: the disputes mediators work on, the units they live on, and their dated record.

A dispute is keyed by its slug (``kgz-tjk-border``). Its record is append-only: transitions between lifecycle
phases and milestones that do not change the phase, each with its evidence (agreements, figures, events of the lake,
the ledger's meetings, commitments and actions — as JSON), its sources, who recorded it and whether it came with
prevdip (``shipped``) or from an officer. The vocabularies (phases, issue kinds, unit kinds) are checked by the
disputes domain before anything is written, so the columns hold plain strings.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prevdip.store.models._base import Base, RecordId, UtcDateTime, utc_now


class DisputeRecord(Base):
    """What a dispute is: names, parties, issues, priority group and the models it links to (by id)."""

    __tablename__ = "disputes"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    parties: Mapped[list[str]] = mapped_column(JSON)
    actors: Mapped[list[str]] = mapped_column(JSON)
    issues: Mapped[list[str]] = mapped_column(JSON)
    priority_group: Mapped[str] = mapped_column(String(64), index=True)
    gmcr_cases: Mapped[list[str]] = mapped_column(JSON)
    basin_scenarios: Mapped[list[str]] = mapped_column(JSON)
    summary: Mapped[str] = mapped_column(Text)
    watch: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(16))
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    units: Mapped[list[DisputeUnit]] = relationship(
        order_by="(DisputeUnit.kind, DisputeUnit.code)", cascade="all, delete-orphan", lazy="selectin"
    )
    transitions: Mapped[list[DisputeTransition]] = relationship(
        order_by="(DisputeTransition.date, DisputeTransition.id)", lazy="selectin"
    )
    milestones: Mapped[list[DisputeMilestone]] = relationship(
        order_by="(DisputeMilestone.date, DisputeMilestone.id)", lazy="selectin"
    )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": {"en": self.name_en, "ru": self.name_ru},
            "parties": list(self.parties),
            "actors": list(self.actors),
            "issues": list(self.issues),
            "priority_group": self.priority_group,
            "units": [[u.kind, u.code] for u in self.units],
            "gmcr_cases": list(self.gmcr_cases),
            "basin_scenarios": list(self.basin_scenarios),
            "summary": self.summary,
            "watch": self.watch,
            "origin": self.origin,
        }


class DisputeUnit(Base):
    """A unit a dispute lives on: a border dyad, a province or a basin."""

    __tablename__ = "dispute_units"

    dispute_id: Mapped[str] = mapped_column(ForeignKey("disputes.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class _DatedEntry:
    """What every entry of a dispute's record has: its date (and whether only the month is known), evidence,
    sources, the notes on it, and who recorded it when."""

    id: Mapped[int] = mapped_column(RecordId, primary_key=True, autoincrement=True)
    dispute_id: Mapped[str] = mapped_column(ForeignKey("disputes.id", ondelete="RESTRICT"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    precision: Mapped[str] = mapped_column(String(8))
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    disagreement: Mapped[str | None] = mapped_column(Text)
    confirmed: Mapped[bool] = mapped_column(Boolean)
    unconfirmed: Mapped[str | None] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(200))
    origin: Mapped[str] = mapped_column(String(16))
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)

    def entry_dict(self) -> dict[str, Any]:
        """The entry as recorded: its date as written (``YYYY-MM`` where only the month is known), evidence,
        sources, notes, and who recorded it, when and from where."""
        day = self.date.isoformat() if self.precision == "day" else f"{self.date:%Y-%m}"
        return {
            "id": self.id,
            "date": day,
            **self.evidence,
            "sources": list(self.sources),
            "note": self.note,
            "disagreement": self.disagreement,
            "confirmed": self.confirmed,
            "unconfirmed": self.unconfirmed,
            "who": self.who,
            "origin": self.origin,
            "recorded": self.created.isoformat(),
        }


class DisputeTransition(_DatedEntry, Base):
    """A move of a dispute into a lifecycle phase."""

    __tablename__ = "dispute_transitions"

    phase: Mapped[str] = mapped_column(String(16))

    def as_dict(self) -> dict[str, Any]:
        return {"dispute_id": self.dispute_id, "phase": self.phase, **self.entry_dict()}


class DisputeMilestone(_DatedEntry, Base):
    """A dated fact on a dispute that does not change its phase (a ratification, a summit, a warning)."""

    __tablename__ = "dispute_milestones"

    what: Mapped[str] = mapped_column(Text)

    def as_dict(self) -> dict[str, Any]:
        return {"dispute_id": self.dispute_id, "what": self.what, **self.entry_dict()}
