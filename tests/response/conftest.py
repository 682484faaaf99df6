"""Ledger fixtures: a migrated SQLite system of record, alone or beside the session's ingested bundle lake."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from prevdip.response import Ledger, open_ledger


@pytest.fixture
def ledger_url(records_url: str) -> str:
    """A fresh SQLite database at the migration head."""
    return records_url


@pytest.fixture
def ledger(ledger_url: str) -> Callable[[], AbstractContextManager[Ledger]]:
    """Open a unit of work on the fresh database (each ``with`` commits on its own)."""
    return lambda: open_ledger("tester", url=ledger_url)


@pytest.fixture
def lake_with_ledger(lake_with_records: Path) -> Path:
    """Settings pointing at the shared ingested bundle (read-only) and at a fresh ledger database of this test."""
    return lake_with_records
