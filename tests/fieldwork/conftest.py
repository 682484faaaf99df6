"""Fixtures of the field-report tests: a workspace with its own system of record, and reports in the documented
format about real places of the bundle's region (Vorukh, Kok-Tash, Batken)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from prevdip.store import Store, open_store


@pytest.fixture
def queue_store(records_url: str) -> Iterator[Store]:
    """The system of record (SQLite, at the head) the queue lives in."""
    with open_store(records_url) as store:
        yield store


@pytest.fixture
def field_workspace(tmp_path: Path) -> Path:
    """An empty workspace folder (the lake is made by the first verified report)."""
    folder = tmp_path / "workspace"
    folder.mkdir()
    return folder


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
