"""The ACLED export fixture of the events domain's tests (the layout is written in ``tests/acled_files.py``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from acled_files import BATKEN_CLASH, acled_csv
from prevdip.settings import get_settings


@pytest.fixture
def acled_file(tmp_path: Path) -> Callable[..., Path]:
    """Write ACLED rows (changes to :data:`BATKEN_CLASH`) as an export file; returns its path."""

    def write(*changes: dict[str, Any], name: str = "acled-export.csv") -> Path:
        rows = [BATKEN_CLASH | {k: str(v) for k, v in change.items()} for change in changes]
        path = tmp_path / name
        path.write_text(acled_csv(rows), encoding="utf-8")
        return path

    return write


@pytest.fixture
def acled_account(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A workspace whose settings hold an ACLED account (the credentials the recorded OAuth exchanges answer)."""
    monkeypatch.setenv("PREVDIP_ACLED_EMAIL", "analyst@example.org")
    monkeypatch.setenv("PREVDIP_ACLED_PASSWORD", "recorded-password")
    get_settings.cache_clear()
    yield workspace
    get_settings.cache_clear()
