"""Field reports submitted from the web, the API or a KoboToolbox/ODK export, on their way to the lake.

A report is kept revision by revision: each revision is ``submitted``, then ``verified``, ``rejected`` (with the
reason) or ``merged`` into an event already in the lake, with who did each step and when. Only a verified revision
enters the event lake (source ``field``, ``source_event_id`` = the report id, ``source_version`` = the revision),
and the record keeps the uid of that event — or, when merged, of the event it duplicates: the link both ways.

A revision carries a ``version``: a decision is written only if the revision is still as the officer read it, so
two officers deciding at once cannot both win (the second is refused, nothing written).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prevdip.store.models._base import Base, RecordId, UtcDateTime, utc_now

REPORT_STATUSES = ("submitted", "verified", "rejected", "merged")


def _when(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


class FieldReportRevision(Base):
    """One revision of one field report, and what the centre decided about it."""

    __tablename__ = "field_reports"
    __table_args__ = (UniqueConstraint("report_id", "revision", name="uq_field_reports_report_id_revision"),)

    id: Mapped[int] = mapped_column(RecordId, primary_key=True, autoincrement=True)
    report_id: Mapped[str] = mapped_column(String(64), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # the report in the documented format
    digest: Mapped[str] = mapped_column(String(64))  # sha256 of the payload: the same revision sent twice is one
    status: Mapped[str] = mapped_column(String(16), index=True)
    country_iso3: Mapped[str] = mapped_column(String(3))
    event_date: Mapped[dt.date] = mapped_column(Date, index=True)
    sharing: Mapped[str] = mapped_column(String(32))
    via: Mapped[str] = mapped_column(String(16))  # web, api, kobo, odk
    submitted_by: Mapped[str] = mapped_column(String(200), index=True)
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    reject_reason: Mapped[str | None] = mapped_column(Text)
    merged_event_uid: Mapped[str | None] = mapped_column(String(32), index=True)
    event_uid: Mapped[str | None] = mapped_column(String(32))  # its own lake event, once verified and published
    published_run: Mapped[str | None] = mapped_column(String(32))  # the ingest run that put it in the lake
    missing_attachments: Mapped[list[str]] = mapped_column(JSON, default=list)  # named by an export, not in it
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    attachments: Mapped[list[FieldReportAttachment]] = relationship(
        back_populates="revision_record",
        order_by="FieldReportAttachment.id",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    __mapper_args__ = {"version_id_col": version}

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "report_id": self.report_id,
            "revision": self.revision,
            "status": self.status,
            "report": dict(self.payload),
            "via": self.via,
            "submitted_by": self.submitted_by,
            "submitted_at": _when(self.submitted_at),
            "decided_by": self.decided_by,
            "decided_at": _when(self.decided_at),
            "reject_reason": self.reject_reason,
            "merged_event_uid": self.merged_event_uid,
            "event_uid": self.event_uid,
            "published_run": self.published_run,
            "attachments": [a.as_dict() for a in self.attachments],
            "missing_attachments": list(self.missing_attachments or []),
            "version": self.version,
        }


class FieldReportAttachment(Base):
    """A photo or PDF sent with a revision, kept in the workspace under its sha256 (``attachments/``)."""

    __tablename__ = "field_report_attachments"

    id: Mapped[int] = mapped_column(RecordId, primary_key=True, autoincrement=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("field_reports.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    revision_record: Mapped[FieldReportRevision] = relationship(back_populates="attachments")

    def as_dict(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "filename": self.filename, "media_type": self.media_type, "size": self.size}
