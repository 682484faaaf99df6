"""``prevdip fetch ucdp``: GED or Candidate events of the region from the UCDP API (``/api/gedevents/<version>``).

Both datasets are served by the same resource; only the version says which. UCDP names its releases:

* GED, final, yearly each June: ``YY.1`` (``25.1`` covers 1989 to 2024);
* Candidate, monthly: ``YY.0.M`` (``25.0.9`` = events of September 2025, released about a month later);
* Candidate, cumulative quarterly: ``YY.01.YY.MM`` (``24.01.24.09`` = January to September 2024).

The API requires an access token (header ``x-ucdp-access-token``, issued by its maintainer on request); it allows
5,000 requests a day and pages of at most 1,000 events, which is why the region is asked for by country
(``Country`` = Gleditsch-Ward codes) and dates (``StartDate``/``EndDate``) rather than fetched whole.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import httpx

from prevdip.errors import RefusedInput
from prevdip.events.connectors.ucdp_api import OFFICIAL_COLUMNS, TOKEN_HINT, UcdpApi
from prevdip.events.fetch.downloads import Progress
from prevdip.events.fetch.paged import fetch_pages
from prevdip.events.fetch.scope import Scope

DATASETS = ("gedevents", "candidate")
PAGE_SIZE = 1000
_FORMATS = {
    "gedevents": (re.compile(r"^\d{1,2}\.\d$"), "YY.1, e.g. 25.1"),
    "candidate": (
        re.compile(r"^\d{2}\.0\.([1-9]|1[0-2])$|^(\d{2})\.01\.(\2)\.(0[1-9]|1[0-2])$"),
        "YY.0.M for a month (25.0.9) or YY.01.YY.MM for a quarter (24.01.24.09)",
    ),
}


def default_version(dataset: str, today: date) -> str:
    """The newest release that should exist on ``today``: GED of last year after June, else of the year before;
    the Candidate month before last (UCDP publishes a month's events about a month after it ends)."""
    if dataset == "gedevents":
        year = today.year if today.month >= 7 else today.year - 1
        return f"{year % 100}.1"
    month = today.year * 12 + today.month - 1 - 2  # two months back, 0-based
    return f"{month // 12 % 100}.0.{month % 12 + 1}"


def check_version(dataset: str, version: str | None, today: date) -> str:
    """The release to ask for; a version that cannot belong to ``dataset`` is refused before any request."""
    if dataset not in DATASETS:
        raise RefusedInput(f"unknown UCDP dataset {dataset!r} for --dataset", hint="use gedevents or candidate")
    if version is None:
        return default_version(dataset, today)
    pattern, shape = _FORMATS[dataset]
    if not pattern.match(version.strip()):
        raise RefusedInput(f"--version {version!r} is not a UCDP {dataset} release", hint=f"use {shape}")
    return version.strip()


def ucdp_params(scope: Scope) -> dict[str, str]:
    """The API's filters: ``Country`` (Gleditsch-Ward codes), ``StartDate``, ``EndDate``."""
    params = {"Country": ",".join(str(c.gw) for c in scope.countries)}
    if scope.since:
        params["StartDate"] = scope.since.isoformat()
    if scope.until:
        params["EndDate"] = scope.until.isoformat()
    return params


def fetch_ucdp(
    scope: Scope,
    *,
    dataset: str = "gedevents",
    version: str | None = None,
    ingest: bool = True,
    transport: httpx.BaseTransport | None = None,
    today: date | None = None,
    page_size: int | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Download the events of ``scope`` from one UCDP release, keep the pages, and ingest them as ``ucdp-ged``."""
    from prevdip.settings import get_settings

    release = check_version(dataset, version, today or date.today())
    token = get_settings().ucdp_token
    if token is None or not token.get_secret_value().strip():
        raise RefusedInput("no UCDP access token", hint=TOKEN_HINT)
    api = UcdpApi(token=token.get_secret_value().strip(), transport=transport)
    return fetch_pages(
        source="ucdp",
        connector="ucdp-ged",
        session=api.session,
        records=api.events(release, ucdp_params(scope), page_size=page_size or PAGE_SIZE),
        columns=OFFICIAL_COLUMNS,
        csv_name=f"ucdp-ged-{release}-api.csv",  # the connector reads the release from the name
        request={"dataset": dataset, "version": release, **scope.as_dict()},
        ingest=ingest,
        progress=progress,
    )
