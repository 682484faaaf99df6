"""Tables of the system of record, one module per domain of records.

Later domains add a module here and an Alembic migration in :mod:`prevdip.store.migrations`; importing them in
this ``__init__`` puts them on ``Base.metadata``, which is what migrations are checked against.
"""

from prevdip.store.models._base import Base, UtcDateTime, utc_now
from prevdip.store.models.accounts import ApiToken, User, WebSession
from prevdip.store.models.audit import AuditEntry
from prevdip.store.models.disputes import DisputeMilestone, DisputeRecord, DisputeTransition, DisputeUnit
from prevdip.store.models.field_reports import FieldReportAttachment, FieldReportRevision
from prevdip.store.models.ingest import IngestRun, QuarantinedRow
from prevdip.store.models.response import (
    Action,
    Commitment,
    Meeting,
    MeetingAgendaBlock,
    Partner,
    ProgrammeItem,
    action_partners,
    meeting_participants,
)

__all__ = [
    "Action",
    "ApiToken",
    "AuditEntry",
    "Base",
    "Commitment",
    "DisputeMilestone",
    "DisputeRecord",
    "DisputeTransition",
    "DisputeUnit",
    "FieldReportAttachment",
    "FieldReportRevision",
    "IngestRun",
    "Meeting",
    "MeetingAgendaBlock",
    "Partner",
    "ProgrammeItem",
    "QuarantinedRow",
    "User",
    "UtcDateTime",
    "WebSession",
    "action_partners",
    "meeting_participants",
    "utc_now",
]
