"""Fixtures of the field-report tests: a workspace with its own system of record, and reports in the documented
format about real places of the bundle's region (Vorukh, Kok-Tash, Batken)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from prevdip.store import Store, open_store


@pytest.fixture
def queue_store(records_url: str) -> Iterator[Store]:
    """The system of record (SQLite, at the head) the queue lives in."""
    with open_store(records_url) as store:
        yield store


@pytest.fixture
def field_workspace(tmp_path: Path, initialised: Callable[[Path], Path]) -> Path:
    """An empty workspace (the lake's events are made by the first verified report)."""
    return initialised(tmp_path / "workspace")
