"""Ingest runs: opened when a source load starts, closed with its counts, listed for provenance."""

from __future__ import annotations

import re
import uuid
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from prevdip.errors import NotFound
from prevdip.store.models import IngestRun, utc_now

_SHA256 = re.compile(r"[0-9a-f]{64}")


class RunStatus(StrEnum):
    """The words an ingest run's status is usually one of (any short word is stored)."""

    RUNNING = "running"
    SUCCEEDED = "succeeded"
    PARTIAL = "partial"
    FAILED = "failed"


class IngestRuns:
    """Repository of :class:`IngestRun` records."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def start(self, source: str, files: list[tuple[str, str]]) -> str:
        """Record that ``source`` starts loading ``files`` (path, sha256); returns the run id (uuid hex)."""
        if not source.strip():
            raise ValueError("an ingest run needs a source name")
        for path, sha256 in files:
            if not _SHA256.fullmatch(sha256):
                raise ValueError(f"sha256 of {path} must be 64 lowercase hex digits, got {sha256!r}")
        run = IngestRun(
            id=uuid.uuid4().hex,
            source=source,
            files=[{"path": path, "sha256": sha256} for path, sha256 in files],
            started=utc_now(),
            reasons={},
            status=RunStatus.RUNNING.value,
        )
        with self._sessions.begin() as session:
            session.add(run)
        return run.id

    def finish(
        self,
        run_id: str,
        *,
        rows: int,
        accepted: int,
        duplicates: int,
        quarantined: int,
        status: str,
        reasons: dict[str, int],
    ) -> IngestRun:
        """Close a running run with its counts and the number of quarantined rows per reason."""
        counts = {"rows": rows, "accepted": accepted, "duplicates": duplicates, "quarantined": quarantined}
        negative = [name for name, value in counts.items() if value < 0]
        if negative:
            raise ValueError(f"ingest run counts cannot be negative: {', '.join(negative)}")
        status = str(status)
        if not status or len(status) > 32 or status == RunStatus.RUNNING:
            raise ValueError(f"a finished run needs a status such as 'succeeded' or 'failed', got {status!r}")
        with self._sessions.begin() as session:
            run = _get(session, run_id)
            if run.finished is not None:
                raise ValueError(f"ingest run {run_id} already finished at {run.finished.isoformat()}")
            run.rows, run.accepted, run.duplicates, run.quarantined = rows, accepted, duplicates, quarantined
            run.reasons = {str(reason): int(count) for reason, count in reasons.items()}
            run.status = status
            run.finished = utc_now()
        return run

    def get(self, run_id: str) -> IngestRun:
        """One run; :class:`NotFound` if there is none with that id."""
        with self._sessions() as session:
            return _get(session, run_id)

    def recent(self, *, source: str | None = None, limit: int | None = None) -> list[IngestRun]:
        """Runs, newest first, optionally of one source."""
        query = select(IngestRun).order_by(IngestRun.started.desc(), IngestRun.id)
        if source is not None:
            query = query.where(IngestRun.source == source)
        with self._sessions() as session:
            return list(session.scalars(query.limit(limit)))


def _get(session: Session, run_id: str) -> IngestRun:
    run = session.get(IngestRun, run_id)
    if run is None:
        raise NotFound(f"no ingest run {run_id!r}", hint="list the runs to find its id")
    return run
