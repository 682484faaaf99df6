"""``prevdip ingest bundle``: every event file and series of the reference bundle, one run per source."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from prevdip.catalogue import BUNDLE
from prevdip.errors import RefusedInput
from prevdip.events.ingestion import Progress, file_sha256, ingest
from prevdip.events.runs import RunLedger, RunReport


def ingest_bundle(
    bundle: Path | None = None,
    *,
    progress: Callable[[str], Progress] | None = None,
    skip_loaded: bool = False,
) -> dict[str, Any]:
    """Ingest the bundle; ``{"runs": [...], "skipped": [...], "rows", "accepted", "duplicates", "quarantined"}``.

    ``skip_loaded`` passes over a source whose files (by content) a committed run already read — the demo's
    second run reuses the lake instead of re-reading 200,000 rows to count them as duplicates.
    """
    if bundle is None:
        from prevdip.settings import get_settings

        bundle = get_settings().bundle
    if bundle is None or not (bundle / BUNDLE.manifest).is_file():
        raise RefusedInput("no reference bundle found", hint="set PREVDIP_BUNDLE to the reference data folder")
    runs: list[RunReport] = []
    skipped: list[str] = []
    for source, names in BUNDLE.sources():
        files = [bundle / name for name in names]
        if skip_loaded and _loaded(source, files):
            skipped.append(source)
            continue
        runs.append(ingest(source, files, progress=None if progress is None else progress(source)))
    totals = {key: sum(getattr(r, key) for r in runs) for key in ("rows", "accepted", "duplicates", "quarantined")}
    return {"runs": [r.as_dict() for r in runs], "skipped": skipped, **totals}


def _loaded(source: str, files: list[Path]) -> bool:
    from prevdip.store import open_store, require_workspace

    try:
        require_workspace()
    except RefusedInput:
        return False
    with open_store() as store:
        return RunLedger(store).loaded(source, [file_sha256(f) for f in files])
