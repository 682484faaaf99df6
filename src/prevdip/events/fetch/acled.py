"""``prevdip fetch acled``: the region's ACLED events from ``acleddata.com/api/acled/read``.

ACLED's current API authorises with OAuth (account e-mail and password → bearer token); older accounts may still
use an access key with the e-mail. Countries are asked for by ISO 3166 numeric code (``iso=417|762``: ``|`` is
ACLED's "or"), days with ``event_date=<since>|<until>`` and ``event_date_where=BETWEEN``. ACLED's terms forbid
redistributing its rows: the raw pages stay in the workspace's downloads folder and are never bundled.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from prevdip.events.connectors.acled_api import EXPORT_COLUMNS, AcledApi
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
    return fetch_pages(
        source="acled",
        connector="acled",
        session=api.session,
        records=api.events(acled_params(scope, today or date.today()), limit=page_size),
        columns=EXPORT_COLUMNS,
        csv_name="acled-api.csv",
        request=scope.as_dict(),
        ingest=ingest,
        progress=progress,
    )
