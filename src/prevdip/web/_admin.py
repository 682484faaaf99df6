"""``/admin/audit``: the audit log for administrators, newest first, with its JSON twin."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from fastapi import Query, Request
from fastapi.responses import Response

from prevdip.errors import RefusedInput
from prevdip.web._negotiation import respond
from prevdip.web._routes import guarded_router, route
from prevdip.web.access import ADMIN

SHOWN = 500
router = guarded_router()


def _since(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.combine(date.fromisoformat(text), time(), tzinfo=UTC)
    except ValueError:
        raise RefusedInput(f"since: {text!r} is not a date", hint="write dates as YYYY-MM-DD") from None


def audit_page(request: Request, since: str | None = Query(None), user: str | None = Query(None)) -> Response:
    """The latest audit entries (at most 500), from a day on or by one person."""
    store = request.app.state.identity.store()
    if store is None:
        raise RefusedInput("there is no database", hint="run `prevdip init`")
    found = [e.as_dict() for e in store.audit.recent(since=_since(since), who=user or None, limit=SHOWN)]
    data = {"filters": {"since": since, "user": user}, "count": len(found), "entries": found}
    return respond(request, "audit.html", data, cache=False)


for _path in ("/admin/audit", "/admin/audit.json"):
    route(router, "GET", _path, ADMIN, include_in_schema=_path.endswith(".json"), summary="The audit log")(audit_page)
