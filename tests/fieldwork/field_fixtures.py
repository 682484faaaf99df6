"""Reports in the documented format (docs/field-reports.md) about real places of the bundle's region, and a photo
as a phone writes it, for the field-report tests."""

from __future__ import annotations

from io import BytesIO
from typing import Any


def photo(size: tuple[int, int] = (40, 30), kind: str = "JPEG") -> bytes:
    """A real image file (JPEG by default), as a phone's camera writes one."""
    from PIL import Image

    out = BytesIO()
    Image.new("RGB", size, (150, 110, 60)).save(out, format=kind)
    return out.getvalue()


def vorukh(**changes: Any) -> dict[str, Any]:
    """A report in the documented format (docs/field-reports.md) about the Vorukh water intake."""
    report: dict[str, Any] = {
        "report_id": "FR-2022-017",
        "date": "2022-09-14",
        "place": "Vorukh",
        "admin1": "Sughd",
        "country": "TJK",
        "latitude": 39.85,
        "longitude": 70.58,
        "what_happened": "Residents blocked the road to the canal intake; border guards fired warning shots.",
        "category": "border_incident",
        "actors": ["residents of Vorukh", "Kyrgyz border guards"],
        "fatalities": 0,
        "injured": 3,
        "displaced": 40,
        "sources": ["village head", "Asia-Plus"],
        "reporter": "monitor 7",
        "confidence": "medium",
        "sharing": "governments",
    }
    return {**report, **changes}
