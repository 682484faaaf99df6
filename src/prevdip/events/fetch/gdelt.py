"""``prevdip fetch gdelt``: the last N 15-minute GDELT 2.0 event exports, kept as published and ingested for a region.

GDELT announces its newest files in ``lastupdate.txt`` (one line per file: size, MD5, URL; the first is the event
export ``YYYYMMDDHHMMSS.export.CSV.zip``). Earlier exports follow the same name every 15 minutes, so the last N are
computed from the newest rather than read from ``masterfilelist.txt``, which lists every file since 2015 (hundreds
of MB). A slot GDELT never published answers 404: it is reported as missing, not an error. The newest file is
checked against the size and MD5 GDELT announced. GDELT exports are global; ``--region`` keeps only the region's
events when they are ingested (the raw zips stay whole).
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from prevdip.errors import RefusedInput
from prevdip.events.connectors.http import ApiSession, RequestRefused, SourceUnavailable
from prevdip.events.fetch.downloads import Download, Progress, ingest_download
from prevdip.geo import HOME_REGION
from prevdip.settings import resolve_workspace

BASE_URL = "http://data.gdeltproject.org/gdeltv2"
MAX_FILES = 96 * 7  # a week of exports
_EXPORT = re.compile(r"^(\d+) ([0-9a-f]{32}) (\S+/(\d{14})\.export\.CSV\.zip)$")
_STEP = timedelta(minutes=15)


def newest_export(listing: str) -> tuple[int, str, str, datetime]:
    """Size, MD5, URL and time of the event export announced in ``lastupdate.txt``."""
    for line in listing.splitlines():
        found = _EXPORT.match(line.strip())
        if found:
            size, md5, url, stamp = found.groups()
            return int(size), md5, url, datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    raise SourceUnavailable("GDELT's lastupdate.txt names no event export", hint="try again in 15 minutes")


def export_urls(newest_url: str, newest: datetime, last: int) -> list[str]:
    """The URLs of the ``last`` exports ending with the newest, oldest first."""
    base = newest_url.rsplit("/", 1)[0]
    stamps = [newest - _STEP * k for k in reversed(range(last))]
    return [f"{base}/{t:%Y%m%d%H%M%S}.export.CSV.zip" for t in stamps]


def _status(refusal: RefusedInput) -> int | None:
    return refusal.status if isinstance(refusal, RequestRefused) else None


def _check(response: httpx.Response, size: int, md5: str) -> None:
    got = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
    if len(response.content) != size or got != md5:
        raise SourceUnavailable(
            f"{response.request.url} arrived as {len(response.content)} bytes with MD5 {got}; "
            f"GDELT announced {size} bytes with MD5 {md5}",
            hint="the transfer was cut or the file replaced; try again",
        )


def _exports(session: ApiSession, download: Download, base_url: str, last: int) -> tuple[list[str], list[str]]:
    """Save ``lastupdate.txt`` and the last ``last`` exports into ``download``; the names saved and the URLs missing."""
    listing = session.get(f"{base_url}/lastupdate.txt")
    download.save_response("lastupdate.txt", listing)
    size, md5, newest_url, newest = newest_export(listing.text)
    names: list[str] = []
    missing: list[str] = []
    for url in export_urls(newest_url, newest, last):
        try:
            response = session.get(url)
        except RefusedInput as refusal:
            if _status(refusal) != 404:
                raise
            missing.append(url)
            continue
        if url == newest_url:
            _check(response, size, md5)
        names.append(url.rsplit("/", 1)[1])
        download.save_response(names[-1], response)
    return names, missing


def fetch_gdelt(
    *,
    last: int = 1,
    region: str = HOME_REGION,
    ingest: bool = True,
    transport: httpx.BaseTransport | None = None,
    base_url: str = BASE_URL,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Download the last ``last`` event exports and ingest the events of ``region``."""
    from prevdip.geo import region as named_region

    if not 1 <= last <= MAX_FILES:
        raise RefusedInput(f"--last {last} is out of range", hint=f"use 1 to {MAX_FILES} (a week of 15-minute files)")
    chosen = named_region(region).name
    request: dict[str, Any] = {"last": last, "region": chosen}
    session = ApiSession(transport=transport, source="GDELT")
    try:
        with Download(resolve_workspace(), "gdelt", request, progress=progress) as download:
            names, missing = _exports(session, download, base_url, last)
            download.request = request | {"missing": missing}
    finally:
        session.close()
    report: dict[str, Any] = {
        "source": "gdelt",
        **request,
        "folder": str(download.folder),
        "requests": 1 + last,
        "records": None,  # an export's rows are counted when it is ingested
        "missing": missing,
        "files": download.files,
        "ingest": None,
    }
    if ingest and names:
        report["ingest"] = ingest_download("gdelt", [download.final_path(n) for n in names], region=chosen)
    return report
