"""The system of record as one object: an engine checked to be at the migration head, and its repositories."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from prevdip.store._audit import AuditLog
from prevdip.store._engine import create_store_engine, masked, sqlite_path
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
    engine = create_store_engine(_resolved_url(url))
    try:
        require_head(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine)


_shared: dict[str, tuple[object, Store]] = {}
_shared_lock = threading.Lock()


def shared_store(url: str | None = None) -> Store:
    """The process's one :class:`Store` on ``url`` (default: the effective settings' database), for the readers
    that open the record on every page (the dispute register, the ledger); never close it.

    An engine is meant to live as long as the process — it pools its connections. Opening one per page (an engine,
    a round trip, the migration check) cost the overview 5-25x its time at 20 readers (``benchmarks/bench_road.py``).
    A SQLite file replaced under the same name (a restore) is another database: it gets a fresh engine, and the old
    one is disposed (connections still lent out close when they come back).
    """
    resolved = _resolved_url(url)
    path = sqlite_path(resolved)
    identity: object = None
    if path is not None and path.is_file():
        info = path.stat()
        identity = (info.st_dev, info.st_ino)
    with _shared_lock:
        known = _shared.get(resolved)
    if known is not None and known[0] == identity:
        return known[1]
    fresh = open_store(resolved)
    with _shared_lock:
        replaced = _shared.get(resolved)
        _shared[resolved] = (identity, fresh)
    if replaced is not None:
        replaced[1].close()
    return fresh


def _resolved_url(url: str | None) -> str:
    """``url``, or the settings' database — refusing a missing workspace as :func:`open_store` does."""
    if url is not None:
        return url
    from prevdip.settings import get_settings
    from prevdip.store.workspace import require_workspace

    settings = get_settings()
    if settings.database_url is None:
        require_workspace(settings.workspace)
    return settings.effective_database_url
