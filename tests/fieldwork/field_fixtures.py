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


def submissions() -> list[dict[str, Any]]:
    """Three monitors' submissions from phones: two good ones, one with a date in the future."""
    good = {
        "what_happened": "Shots fired across the Isfara at the Golovnoi intake; villagers sheltered in the school.",
        "category": "border_incident",
        "date": "2024-03-02",
        "country": "TJK",
        "admin1": "Sughd",
        "place": "Golovnoi",
        "latitude": 39.96,
        "longitude": 70.55,
        "fatalities": 0,
        "injured": 2,
        "reporter": "monitor 7",
        "confidence": "high",
        "sharing": "centre-internal",
        "actors": ["Tajik border guards", "Kyrgyz border guards"],
        "sources": ["school director", "jamoat head"],
        "photos": ["1709370000123.jpg"],
        "document": "statement.pdf",
        "uuid": "6a1f2c9e-0b1d-4f57-9a43-6c1f0e9d2b11",
        "by": "monitor7",
    }
    second = good | {
        "what_happened": "Herders from Kok-Tash and Vorukh argued over pasture at the enclave's edge.",
        "category": "protest",
        "place": "Kok-Tash",
        "country": "KGZ",
        "admin1": "Batken",
        "latitude": 39.88,
        "longitude": 70.62,
        "photos": [],
        "document": "",
        "uuid": "0d3b9a77-2f1e-4c1a-8d0e-93a2c5e4f7aa",
        "sharing": "governments",
    }
    future = second | {"date": "2999-05-01", "uuid": "ffd0c0de-0000-4000-8000-000000000001"}
    return [good, second, future]


MEDIA = {"1709370000123.jpg": photo(), "statement.pdf": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"}
