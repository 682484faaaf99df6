"""The system of record: SQLAlchemy 2 models and repositories for what people and runs write down.

SQLite in the workspace by default (WAL, foreign keys on); PostgreSQL (``postgresql+psycopg://``) for a
multi-user centre. The schema moves only by Alembic migrations shipped in :mod:`prevdip.store.migrations`.

    with open_store() as store:
        run_id = store.ingest_runs.start("ucdp-ged", [("ged.csv", sha256)])
        store.quarantine.add_many(run_id, [QuarantinedRowIn("ged.csv", 17, raw, "no date")])
        store.ingest_runs.finish(run_id, rows=..., accepted=..., duplicates=..., quarantined=1,
                                 status="succeeded", reasons={"no date": 1})
"""

from prevdip.store._audit import AuditLog
from prevdip.store._engine import create_store_engine, masked
from prevdip.store._ingest_runs import IngestRuns, RunStatus
from prevdip.store._quarantine import Quarantine, QuarantinedRowIn
from prevdip.store._schema import current_revision, downgrade, head_revision, require_head, upgrade
from prevdip.store._store import Store, open_store, shared_store
from prevdip.store._swap import settle
from prevdip.store._text import quarantined_row
from prevdip.store.models import AuditEntry, IngestRun, QuarantinedRow
from prevdip.store.workspace import WORKSPACE_FOLDERS, InitReport, init_workspace, require_workspace

__all__ = [
    "WORKSPACE_FOLDERS",
    "AuditEntry",
    "AuditLog",
    "IngestRun",
    "IngestRuns",
    "InitReport",
    "QuarantinedRow",
    "QuarantinedRowIn",
    "Quarantine",
    "RunStatus",
    "Store",
    "create_store_engine",
    "current_revision",
    "downgrade",
    "head_revision",
    "init_workspace",
    "masked",
    "settle",
    "open_store",
    "shared_store",
    "quarantined_row",
    "require_head",
    "require_workspace",
    "upgrade",
]
