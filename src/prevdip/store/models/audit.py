"""The audit log: who changed what, when, and the record before and after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from prevdip.store.models._base import Base, RecordId, UtcDateTime, utc_now


class AuditEntry(Base):
    """One change to a record people write (a warning, a response, a commitment...).

    ``what`` names the record (for example ``"warning:42"``); ``before`` is ``None`` for a creation and
    ``after`` is ``None`` for a deletion. Entries are only ever added.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(RecordId, primary_key=True, autoincrement=True)
    who: Mapped[str] = mapped_column(String(128))
    when: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
    what: Mapped[str] = mapped_column(Text, index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))

    def as_dict(self) -> dict[str, Any]:
        """The entry as JSON-ready values."""
        return {
            "id": self.id,
            "who": self.who,
            "when": self.when.isoformat(),
            "what": self.what,
            "before": self.before,
            "after": self.after,
        }
