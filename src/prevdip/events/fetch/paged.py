"""The path every paged JSON API takes (UCDP, ACLED): keep each page raw, write the source's CSV, then ingest it.

The CSV is the same file the source's connector reads from a manual download, so fetched rows pass exactly the
checks, quarantine and de-duplication of ``prevdip ingest`` — a second fetch of the same data accepts nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import count
from typing import Any

import httpx

from prevdip.events.connectors.http import ApiSession, write_csv
from prevdip.events.fetch.downloads import Download, Progress, ingest_download
from prevdip.settings import resolve_workspace


def fetch_pages(
    *,
    source: str,
    connector: str,
    session: ApiSession,
    records: Iterator[dict[str, Any]],
    columns: Sequence[str],
    csv_name: str,
    request: dict[str, Any],
    ingest: bool,
    progress: Progress | None = None,
    keep_open: bool = False,
) -> dict[str, Any]:
    """Download every page of ``records`` into ``downloads/<source>/<timestamp>/`` and ingest the CSV.

    Returns the ``prevdip fetch --json`` report: the request, the folder, the files of the manifest and the ingest
    run's report (``None`` with ``--no-ingest`` or when the source had no rows). ``keep_open`` leaves the session
    open for a second list from the same API (ACLED's deletions after its events).
    """
    pages = count()

    with Download(resolve_workspace(), source, request, progress=progress) as download:

        def keep(response: httpx.Response) -> None:
            download.save_response(f"page-{next(pages):04d}.json", response)

        session.record = keep
        try:
            rows = write_csv(download.path(csv_name), columns, records)
        finally:
            session.record = None
            if not keep_open:
                session.close()
        download.add_derived(download.path(csv_name), derived_from="page-*.json", rows=rows)
    report: dict[str, Any] = {
        "source": source,
        **request,
        "folder": str(download.folder),
        "requests": sum(1 for f in download.files if "url" in f),
        "records": rows,
        "files": download.files,
        "ingest": None,
    }
    if ingest and rows:
        report["ingest"] = ingest_download(connector, [download.final_path(csv_name)])
    return report
