"""The system of record as one object: an engine checked to be at the migration head, and its repositories."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from prevdip.store._audit import AuditLog
from prevdip.store._engine import create_store_engine, masked
from prevdip.store._ingest_runs import IngestRuns
from prevdip.store._quarantine import Quarantine
from prevdip.store._schema import require_head


class Store:
    """Repositories over one engine; close it (or use it as a context manager) when done."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.ingest_runs = IngestRuns(self._sessions)
        self.quarantine = Quarantine(engine, self._sessions)
        self.audit = AuditLog(self._sessions)

    @property
    def url(self) -> str:
        """The database URL with its password masked."""
        return masked(self.engine.url)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back if it raises."""
        with self._sessions.begin() as session:
            yield session

    def close(self) -> None:
        """Release every connection (SQLite files can then be moved or replaced)."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


def open_store(url: str | None = None) -> Store:
    """The system of record at ``url`` (default: the effective settings' database), ready to use.

    Refused (:class:`~prevdip.errors.RefusedInput`): no workspace for the default SQLite database, an unreachable
    database, or a schema not at this prevdip's migration head.
    """
    if url is None:
        from prevdip.settings import get_settings
        from prevdip.store.workspace import require_workspace

        settings = get_settings()
        if settings.database_url is None:
            require_workspace(settings.workspace)
        url = settings.effective_database_url
    engine = create_store_engine(url)
    try:
        require_head(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine)
