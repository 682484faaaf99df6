"""Quarantined rows: every source row an ingest refused, kept verbatim with its reason."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import NamedTuple

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from prevdip.errors import NotFound
from prevdip.store._text import quarantined_row
from prevdip.store.models import IngestRun, QuarantinedRow

#: Rows per INSERT batch: large enough to be fast, small enough to bound memory for million-row files.
BATCH = 10_000


class QuarantinedRowIn(NamedTuple):
    """A refused row as a connector reports it (``row_number`` 1-based; ``None`` for a file or column)."""

    file: str
    row_number: int | None
    raw: str
    reason: str


class Quarantine:
    """Repository of :class:`QuarantinedRow` records; writes in bulk through SQLAlchemy Core."""

    def __init__(self, engine: Engine, sessions: sessionmaker[Session]) -> None:
        self._engine = engine
        self._sessions = sessions

    def add_many(self, run_id: str, rows: Iterable[QuarantinedRowIn]) -> int:
        """Store the refused rows of a run in one transaction; returns how many were stored."""
        stored = 0
        with self._engine.begin() as connection:
            if connection.scalar(select(IngestRun.id).where(IngestRun.id == run_id)) is None:
                raise NotFound(f"no ingest run {run_id!r} to quarantine rows for", hint="start the run first")
            for batch in _batches(rows, run_id):
                connection.execute(insert(QuarantinedRow), batch)
                stored += len(batch)
        return stored

    def of_run(self, run_id: str, *, limit: int | None = None, offset: int = 0) -> list[QuarantinedRow]:
        """A run's quarantined rows in the order they were stored."""
        query = select(QuarantinedRow).where(QuarantinedRow.run_id == run_id).order_by(QuarantinedRow.id)
        with self._sessions() as session:
            return list(session.scalars(query.offset(offset).limit(limit)))

    def count(self, run_id: str) -> int:
        """How many rows a run quarantined."""
        query = select(func.count()).select_from(QuarantinedRow).where(QuarantinedRow.run_id == run_id)
        with self._sessions() as session:
            return int(session.scalar(query) or 0)


def _batches(rows: Iterable[QuarantinedRowIn], run_id: str) -> Iterator[list[dict[str, object]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        yield [quarantined_row(run_id, row.file, row.row_number, row.raw, row.reason) for row in batch]
