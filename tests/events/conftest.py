"""Fixtures for the event lake: the bundle ingested once per session (slow), and helpers to ingest small files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from prevdip.settings import get_settings


@pytest.fixture(scope="session")
def bundle_lake(tmp_path_factory: pytest.TempPathFactory, bundle: Path) -> Iterator[dict[str, Any]]:
    """The whole reference bundle ingested twice into one workspace: ``{"workspace", "first", "second"}``."""
    from prevdip.events.bundle import ingest_bundle

    ws = tmp_path_factory.mktemp("bundle") / "workspace"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PREVDIP_WORKSPACE", str(ws))
        mp.setenv("PREVDIP_BUNDLE", str(bundle))
        mp.delenv("PREVDIP_DATABASE_URL", raising=False)
        get_settings.cache_clear()
        first = ingest_bundle(bundle)
        second = ingest_bundle(bundle)
        yield {"workspace": ws, "first": first, "second": second}
    get_settings.cache_clear()
