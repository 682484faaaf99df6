"""Ingest runs in the system of record: the commit point of every ingest.

A run is written to the database in one transaction — the run with its counts and every quarantined row — only
after all its files are staged in the lake. So the database either knows a run completely or not at all, and a
staging folder whose run the database knows is safe to publish (:func:`prevdip.events.lake.recover`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import insert, select

from prevdip.events.connectors.base import Quarantined
from prevdip.store import IngestRun, QuarantinedRow, Store, quarantined_row

BATCH = 10_000


@dataclass
class RunReport:
    """What one ingest run did; ``as_dict`` is the ``prevdip ingest --json`` shape."""

    source: str
    files: list[str]
    run_id: str
    rows: int = 0
    accepted: int = 0
    duplicates: int = 0
    quarantined: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    retracted: int = 0  # events of older releases a complete release no longer holds (not rows of the files)
    warnings: list[str] = field(default_factory=list)  # about whole files: "looks truncated", "not retracted"

    def warn(self, messages: list[str]) -> None:
        self.warnings.extend(m for m in messages if m not in self.warnings)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "files": self.files,
            "rows": self.rows,
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "quarantined": self.quarantined,
            "reasons": dict(sorted(self.reasons.items())),
            "retracted": self.retracted,
            "warnings": list(self.warnings),
            "run_id": self.run_id,
        }


class RunLedger:
    """Records runs through :mod:`prevdip.store` (the one place ingest talks to the database)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def loaded(self, source: str, sha256s: Iterable[str]) -> bool:
        """Whether a committed run of ``source`` already read exactly these files (by content)."""
        wanted = sorted(sha256s)
        with self.store.session() as session:
            runs = session.scalars(select(IngestRun).where(IngestRun.source == source))
            return any(sorted(f["sha256"] for f in run.files) == wanted for run in runs)

    def committed(self, run_id: str) -> bool:
        with self.store.session() as session:
            return session.get(IngestRun, run_id) is not None

    def commit(
        self,
        report: RunReport,
        hashes: list[tuple[str, str]],
        started: datetime,
        finished: datetime,
        quarantined: Iterable[Quarantined],
    ) -> None:
        """The run, its counts and its quarantined rows, in one transaction."""
        with self.store.session() as session:
            session.add(
                IngestRun(
                    id=report.run_id,
                    source=report.source,
                    files=[{"path": path, "sha256": sha} for path, sha in hashes],
                    started=started,
                    finished=finished,
                    rows=report.rows,
                    accepted=report.accepted,
                    duplicates=report.duplicates,
                    quarantined=report.quarantined,
                    reasons=dict(report.reasons),
                    status="succeeded" if report.quarantined == 0 else "partial",
                )
            )
            session.flush()
            for batch in _batches(report.run_id, quarantined):
                session.execute(insert(QuarantinedRow), batch)


def _batches(run_id: str, rows: Iterable[Quarantined]) -> Iterator[list[dict[str, object]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        yield [quarantined_row(run_id, r.file, r.row_number, r.raw, r.reason) for r in batch]
