"""Field reports from the web, the API and KoboToolbox/ODK exports: submitted into a queue, verified, rejected or
merged by the centre's officers, and — only when verified — published into the event lake as the ``field`` source.

    with store.session() as session:
        done = file_report(session, store.audit, read_report(data), by=Reporter("m.aliev", staff=False), via="web",
                           workspace=workspace)
    verify(store, "FR-2024-001", Reporter("a.officer", staff=True), workspace=workspace)

The report's format and its validation are the ``field`` connector's (:mod:`prevdip.events.connectors.field`);
the form's questions are :mod:`prevdip.fieldwork.form`, which the web form, the XLSForm and the export reader share.
"""

from prevdip.fieldwork.attachments import Attachment, check, stored_path
from prevdip.fieldwork.nearby import RADIUS_KM, events_nearby
from prevdip.fieldwork.submissions import (
    Reporter,
    ReportInvalid,
    Submitted,
    file_report,
    history,
    listed,
    read_report,
    submit,
)
from prevdip.fieldwork.verification import merge, publish_verified, reject, verify

__all__ = [
    "RADIUS_KM",
    "Attachment",
    "ReportInvalid",
    "Reporter",
    "Submitted",
    "check",
    "events_nearby",
    "file_report",
    "history",
    "listed",
    "merge",
    "publish_verified",
    "read_report",
    "reject",
    "stored_path",
    "submit",
    "verify",
]
