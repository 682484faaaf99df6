"""The officers' dispute forms as a browser posts them, and what the register and its audit hold afterwards — shared
by the dashboard's tests on SQLite (tests/web) and on PostgreSQL (tests/store)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from prevdip.store import open_store
from prevdip.store.models import AuditEntry, DisputeMilestone, DisputeRecord, DisputeTransition
from signing import csrf_of


def written(url: str) -> dict[str, int]:
    """How many disputes, transitions, milestones and audit entries about them the system of record at ``url`` holds
    (sign-ins are audited too, and are not counted)."""
    with open_store(url) as store, store.session() as session:
        tables = {"disputes": DisputeRecord, "transitions": DisputeTransition, "milestones": DisputeMilestone}
        counts = {name: session.scalar(select(func.count()).select_from(table)) or 0 for name, table in tables.items()}
        about = select(func.count()).select_from(AuditEntry).where(AuditEntry.what.like("dispute%"))
        return counts | {"audit": session.scalar(about) or 0}


def last_audit(url: str) -> tuple[str, str]:
    """(who, what) of the newest audit entry."""
    with open_store(url) as store:
        entry = store.audit.recent(limit=1)[0]
        return entry.who, entry.what


def post_form(
    client: Any, path: str, fields: dict[str, str], *, token: str | None = None, on: str = "/disputes/kgz-tjk-border"
) -> Any:
    """Post ``fields`` as a browser submits the form on the page ``on``: urlencoded, with the page's hidden CSRF
    token (or ``token``), without the header a signed-in test client otherwise sends."""
    page = client.get(on)
    saved = client.headers.pop("X-CSRF-Token", None)
    try:
        data = {"csrf_token": token if token is not None else csrf_of(page.text), **fields}
        return client.post(path, data=data, follow_redirects=False)
    finally:
        if saved is not None:
            client.headers["X-CSRF-Token"] = saved


#: A transition the shipped register's rules allow on the Kyrgyz-Tajik border (resolved since 13 March 2025).
RELAPSE = {
    "phase": "escalating",
    "date": "2025-06-02",
    "evidence": "",
    "sources": "https://24.kg/example-shooting-at-vorukh\nAsia-Plus, 3 June 2025",
    "note": "Shooting at the Vorukh road",
}
