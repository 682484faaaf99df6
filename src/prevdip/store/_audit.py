"""The audit log: one entry for each change to a record people write."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from prevdip.store.models import AuditEntry, utc_now


class AuditLog:
    """Repository of :class:`AuditEntry` records; entries are only added, never changed."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def record(
        self,
        who: str,
        what: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        *,
        session: Session | None = None,
    ) -> AuditEntry:
        """Log that ``who`` changed ``what`` from ``before`` to ``after``.

        Pass the ``session`` that makes the change so the change and its entry commit (or fail) together.
        """
        if not who.strip() or not what.strip():
            raise ValueError("an audit entry needs who made the change and what was changed")
        for name, value in (("before", before), ("after", after)):
            try:
                json.dumps(value, allow_nan=False)
            except (TypeError, ValueError) as problem:
                raise ValueError(f"audit {name} of {what!r} is not plain JSON: {problem}") from None
        entry = AuditEntry(who=who, when=utc_now(), what=what, before=before, after=after)
        if session is not None:
            session.add(entry)
            session.flush()
            return entry
        with self._sessions.begin() as own:
            own.add(entry)
        return entry

    def record_many(self, entries: list[tuple[str, str, dict[str, Any], datetime]], *, session: Session) -> None:
        """Log many ``(who, what, after, when)`` in one insert (the reads and exports the dashboard noted)."""
        rows = [
            {"who": who, "when": at, "what": what, "before": None, "after": after} for who, what, after, at in entries
        ]
        if rows:
            session.execute(insert(AuditEntry), rows)

    def recent(
        self,
        *,
        what: str | None = None,
        since: datetime | None = None,
        who: str | None = None,
        limit: int | None = None,
    ) -> list[AuditEntry]:
        """Entries, newest first, optionally about one record, by one person, or from a moment on."""
        query = select(AuditEntry).order_by(AuditEntry.id.desc())
        if what is not None:
            query = query.where(AuditEntry.what == what)
        if since is not None:
            query = query.where(AuditEntry.when >= since)
        if who is not None:
            query = query.where(AuditEntry.who == who)
        with self._sessions() as session:
            return list(session.scalars(query.limit(limit)))
