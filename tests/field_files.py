"""Field reports as the centre's monitors send them, shared by the events domain's tests: the JSON form of the
field-report template in ``docs/events.md`` (``{"reports": [...]}``, one object a report), about the canal dispute at
Kok-Tash (a real place of the bundle's region)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from prevdip.events import ingest


def field_report(report_id: str, sharing: str, **more: Any) -> dict[str, Any]:
    """One report under ``sharing`` (a tier), its other fields as a monitor fills them unless ``more`` says."""
    return {
        "report_id": report_id,
        "date": "2023-05-10",
        "place": "Kok-Tash",
        "country": "KGZ",
        "what_happened": f"{sharing} account of the canal dispute",
        "category": "water_conflict",
        "reporter": f"monitor {report_id}",
        "confidence": "medium",
        "sharing": sharing,
    } | more


def ingest_reports(folder: Path, name: str, reports: list[dict[str, Any]]) -> None:
    """Write ``reports`` as one file ``name`` in ``folder`` and ingest it into the settings' workspace: every
    report accepted."""
    path = folder / name
    path.write_text(json.dumps({"reports": reports}), encoding="utf-8")
    assert ingest("field", [path]).accepted == len(reports)
