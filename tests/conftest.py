"""Shared fixtures: the reference bundle (read in place from ../shared/data) and a fresh workspace per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from prevdip.settings import get_settings

REPO = Path(__file__).resolve().parents[1]


def _find_bundle() -> Path:
    configured = os.environ.get("PREVDIP_BUNDLE")
    candidates = [Path(configured)] if configured else []
    candidates += [REPO / ".." / "shared" / "data", Path.cwd() / ".." / "shared" / "data"]
    for candidate in candidates:
        if (candidate / "MANIFEST.tsv").is_file():
            return candidate.resolve()
    raise RuntimeError("the reference bundle ../shared/data is missing: the tests read real data from it")


@pytest.fixture(scope="session")
def bundle() -> Path:
    """The reference data bundle, never copied into the repository."""
    return _find_bundle()


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundle: Path) -> Iterator[Path]:
    """An empty workspace in a temporary folder, with settings pointing at it."""
    ws = tmp_path / "workspace"
    monkeypatch.setenv("PREVDIP_WORKSPACE", str(ws))
    monkeypatch.setenv("PREVDIP_BUNDLE", str(bundle))
    monkeypatch.delenv("PREVDIP_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield ws
    get_settings.cache_clear()
