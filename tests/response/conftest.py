"""Ledger fixtures: a migrated SQLite system of record, alone or beside the session's ingested bundle lake."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from prevdip.response import Ledger, open_ledger
from prevdip.store import create_store_engine, upgrade


@pytest.fixture
def ledger_url(tmp_path: Path) -> str:
    """A fresh SQLite database at the migration head."""
    url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    engine = create_store_engine(url, must_exist=False)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def ledger(ledger_url: str) -> Callable[[], AbstractContextManager[Ledger]]:
    """Open a unit of work on the fresh database (each ``with`` commits on its own)."""
    return lambda: open_ledger("tester", url=ledger_url)


@pytest.fixture
def lake_with_ledger(bundle_lake: dict[str, Any], bundle: Path, ledger_url: str, pointing_at: Any) -> Iterator[Path]:
    """Settings pointing at the shared ingested bundle (read-only) and at a fresh ledger database of this test."""
    from prevdip.settings import get_settings

    ws: Path = bundle_lake["workspace"]
    with pointing_at(ws, bundle) as mp:
        mp.setenv("PREVDIP_DATABASE_URL", ledger_url)
        get_settings.cache_clear()
        yield ws
    get_settings.cache_clear()
