"""The ACLED export fixture of the events domain's tests (the layout is written in ``tests/acled_files.py``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from acled_files import BATKEN_CLASH, acled_csv


@pytest.fixture
def acled_file(tmp_path: Path) -> Callable[..., Path]:
    """Write ACLED rows (changes to :data:`BATKEN_CLASH`) as an export file; returns its path."""

    def write(*changes: dict[str, Any], name: str = "acled-export.csv") -> Path:
        rows = [BATKEN_CLASH | {k: str(v) for k, v in change.items()} for change in changes]
        path = tmp_path / name
        path.write_text(acled_csv(rows), encoding="utf-8")
        return path

    return write
