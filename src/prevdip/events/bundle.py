"""``prevdip ingest bundle``: every event file and series of the reference bundle, one run per source."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from prevdip.errors import RefusedInput
from prevdip.events.ingestion import Progress, ingest
from prevdip.events.runs import RunReport

# (source, files relative to the bundle). The regional GED extract is a subset of the global one: its rows come
# back as duplicates, which is the point — the lake holds each event once.
BUNDLE_FILES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "ucdp-ged",
        (
            "ucdp/ged231_sample1000_official_schema.csv",
            "ucdp/ged211_reduced_global.csv.gz",
            "ucdp/ged211_reduced_central_asia_neighbours.csv",
        ),
    ),
    ("ucdp-acd", ("ucdp/ucdp-prio-acd-221.csv", "ucdp/ucdp-prio-acd-251_resaved_semicolon_dmy.csv")),
    ("ucdp-brd", ("ucdp/ucdp-brd-dyadic-251.csv",)),
    ("ucdp-cm", ("ucdp/country_month_best_deaths_nenames.csv",)),
    (
        "gdelt",
        (
            "gdelt/gdelt2_events_20150218230000_sample100.tsv",
            "gdelt/gdelt2_events_translingual_20150218224500_sample100.tsv",
            "gdelt/gdelt1_events_19790101_sample100.tsv",
        ),
    ),
    ("tfdd-bar", ("tfdd/bar_events_raw.csv",)),
)


def ingest_bundle(bundle: Path | None = None, *, progress: Callable[[str], Progress] | None = None) -> dict[str, Any]:
    """Ingest the bundle; ``{"runs": [...], "rows", "accepted", "duplicates", "quarantined"}``."""
    if bundle is None:
        from prevdip.settings import get_settings

        bundle = get_settings().bundle
    if bundle is None or not (bundle / "MANIFEST.tsv").is_file():
        raise RefusedInput("no reference bundle found", hint="set PREVDIP_BUNDLE to the reference data folder")
    runs: list[RunReport] = []
    for source, names in BUNDLE_FILES:
        files = [bundle / name for name in names]
        runs.append(ingest(source, files, progress=None if progress is None else progress(source)))
    totals = {key: sum(getattr(r, key) for r in runs) for key in ("rows", "accepted", "duplicates", "quarantined")}
    return {"runs": [r.as_dict() for r in runs], **totals}
