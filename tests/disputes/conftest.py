"""Register fixtures: a unit of work on a fresh SQLite system of record (``records_url``, tests/conftest.py), whose
register is not seeded until first opened."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest

from prevdip.disputes import Register, open_register


@pytest.fixture
def register(records_url: str) -> Callable[..., AbstractContextManager[Register]]:
    """Open a unit of work on the fresh database as ``who`` (each ``with`` commits on its own)."""
    return lambda who="officer": open_register(who, url=records_url)
