"""``prevdip fetch acled``: the region's ACLED events from ``acleddata.com/api/acled/read``.

ACLED's current API authorises with OAuth (account e-mail and password → bearer token); older accounts may still
use an access key with the e-mail. Countries are asked for by ISO 3166 numeric code (``iso=417|762``: ``|`` is
ACLED's "or"), days with ``event_date=<since>|<until>`` and ``event_date_where=BETWEEN``. ACLED's terms forbid
redistributing its rows: the raw pages stay in the workspace's downloads folder and are never bundled.

Every fetch also asks ACLED's deletions list (``/api/deleted/read``, since ``--since`` when given) and ingests it as
``acled-deleted``, so an event ACLED has removed stops appearing in queries (``docs/events.md``, "Deletions").
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import httpx

from prevdip.events.connectors.acled_api import EXPORT_COLUMNS, AcledApi
from prevdip.events.connectors.acled_deleted import COLUMNS as DELETED_COLUMNS
from prevdip.events.fetch.downloads import Progress
from prevdip.events.fetch.paged import fetch_pages
from prevdip.events.fetch.scope import Scope

PAGE_SIZE = 5000


def acled_params(scope: Scope, today: date) -> dict[str, str]:
    """The API's filters for ``scope``; ``--since`` alone runs to ``today``."""
    params = {"iso": "|".join(str(c.isonum) for c in scope.countries)}
    if scope.since or scope.until:
        first = scope.since or date(1997, 1, 1)  # ACLED's earliest coverage
        params["event_date"] = f"{first.isoformat()}|{(scope.until or today).isoformat()}"
        params["event_date_where"] = "BETWEEN"
    return params


def deleted_params(scope: Scope) -> dict[str, str]:
    """Deletions since ``--since`` (Unix seconds, ``>=``, as ACLED's R client asks), else the whole list."""
    if scope.since is None:
        return {}
    stamp = int(datetime.combine(scope.since, time(), tzinfo=UTC).timestamp())
    return {"deleted_timestamp": str(stamp), "deleted_timestamp_where": ">="}


def fetch_acled(
    scope: Scope,
    *,
    ingest: bool = True,
    transport: httpx.BaseTransport | None = None,
    today: date | None = None,
    page_size: int = PAGE_SIZE,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Download the ACLED events of ``scope``, keep the pages, and ingest them as ``acled``."""
    api = AcledApi.from_settings(transport=transport)  # refuses a missing account before any request
    report = fetch_pages(
        source="acled",
        connector="acled",
        session=api.session,
        records=api.events(acled_params(scope, today or date.today()), limit=page_size),
        columns=EXPORT_COLUMNS,
        csv_name="acled-api.csv",
        request=scope.as_dict(),
        ingest=ingest,
        progress=progress,
        keep_open=True,
    )
    report["deletions"] = fetch_pages(
        source="acled-deleted",
        connector="acled-deleted",
        session=api.session,
        records=api.deleted(deleted_params(scope), limit=page_size),
        columns=DELETED_COLUMNS,
        csv_name="acled-deleted.csv",
        request={"since": scope.as_dict().get("since")},
        ingest=ingest,
        progress=progress,
    )
    return report
