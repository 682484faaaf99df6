"""Ingest runs and the rows they quarantined: the provenance of everything in the event lake."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from prevdip.store.models._base import Base, RecordId, UtcDateTime, utc_now


class IngestRun(Base):
    """One load of one source: which files (with their sha256), when, how many rows went where, and why.

    ``files`` is a list of ``{"path": ..., "sha256": ...}``; ``reasons`` counts quarantined rows by reason.
    The counts stay ``None`` while the run is ``running``.
    """

    __tablename__ = "ingest_runs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    source: Mapped[str] = mapped_column(String(64), index=True)
    files: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    started: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    finished: Mapped[datetime | None] = mapped_column(UtcDateTime)
    rows: Mapped[int | None] = mapped_column(Integer)
    accepted: Mapped[int | None] = mapped_column(Integer)
    duplicates: Mapped[int | None] = mapped_column(Integer)
    quarantined: Mapped[int | None] = mapped_column(Integer)
    reasons: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(32))

    def as_dict(self) -> dict[str, Any]:
        """The run as JSON-ready values (times in ISO 8601, UTC)."""
        return {
            "id": self.id,
            "source": self.source,
            "files": self.files,
            "started": self.started.isoformat(),
            "finished": None if self.finished is None else self.finished.isoformat(),
            "rows": self.rows,
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "quarantined": self.quarantined,
            "reasons": self.reasons,
            "status": self.status,
        }


class QuarantinedRow(Base):
    """A source row an ingest run refused, kept verbatim with the reason, so nothing is dropped silently.

    ``row_number`` is the 1-based line or record number in ``file``; ``None`` when the problem is the whole
    file or a column rather than one row.
    """

    __tablename__ = "quarantined_rows"

    id: Mapped[int] = mapped_column(RecordId, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("ingest_runs.id", ondelete="CASCADE"), index=True)
    file: Mapped[str] = mapped_column(Text)
    row_number: Mapped[int | None] = mapped_column(Integer)
    raw: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)

    def as_dict(self) -> dict[str, Any]:
        """The row as JSON-ready values."""
        return {
            "id": self.id,
            "run_id": self.run_id,
            "file": self.file,
            "row_number": self.row_number,
            "raw": self.raw,
            "reason": self.reason,
        }
