"""Shared fixtures: the reference bundle (read in place from ../shared/data) and a fresh workspace per test."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

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


@contextmanager
def settings_pointing_at(workspace: Path, bundle: Path) -> Iterator[pytest.MonkeyPatch]:
    """Point the settings at ``workspace`` and ``bundle`` until the block ends (session fixtures and shared
    workspaces cannot use the function-scoped ``monkeypatch``); the settings cache is cleared on both sides."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PREVDIP_WORKSPACE", str(workspace))
        mp.setenv("PREVDIP_BUNDLE", str(bundle))
        mp.delenv("PREVDIP_DATABASE_URL", raising=False)
        get_settings.cache_clear()
        try:
            yield mp
        finally:
            get_settings.cache_clear()


@pytest.fixture(scope="session")
def pointing_at() -> Callable[[Path, Path], AbstractContextManager[pytest.MonkeyPatch]]:
    """:func:`settings_pointing_at`, for test modules (they do not import the conftest)."""
    return settings_pointing_at


@pytest.fixture
def no_workspace(tmp_path: Path, bundle: Path) -> Iterator[Path]:
    """A path where no workspace is yet, with settings pointing at it: for `prevdip init` itself and for what
    must be refused before it (every reader of the lake refuses a folder that is no workspace)."""
    ws = tmp_path / "workspace"
    with settings_pointing_at(ws, bundle):
        yield ws


@pytest.fixture(scope="session")
def initialised_workspace(tmp_path_factory: pytest.TempPathFactory, bundle: Path) -> Path:
    """What `prevdip init` makes — the folders and a SQLite system of record at the head — made once per session
    (migrating takes a while); :func:`workspace` copies it. Read-only."""
    from prevdip.store import init_workspace

    ws = tmp_path_factory.mktemp("initialised") / "workspace"
    with settings_pointing_at(ws, bundle):
        init_workspace()
    return ws


@pytest.fixture
def workspace(tmp_path: Path, bundle: Path, initialised_workspace: Path) -> Iterator[Path]:
    """An empty workspace as `prevdip init` makes it (folders and database), in a temporary folder, with settings
    pointing at it: a test of an empty lake starts where a user's does."""
    ws = tmp_path / "workspace"
    shutil.copytree(initialised_workspace, ws)
    with settings_pointing_at(ws, bundle):
        yield ws


def workspace_folders(path: Path) -> Path:
    """Make the folders `prevdip init` makes at ``path``, for a workspace whose system of record lives elsewhere
    (a test's accounts database, PostgreSQL)."""
    from prevdip.catalogue import Workspace

    for folder in Workspace.FOLDERS:
        (path / folder).mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def initialised() -> Callable[[Path], Path]:
    """:func:`workspace_folders`, for test modules (they do not import the conftest)."""
    return workspace_folders


def ingest_series(workspace: Path, bundle: Path) -> None:
    """Ingest the bundle's aggregate series — the country-month deaths (``ucdp-cm``) and the battle-related deaths
    by dyad-year (``ucdp-brd``) — into ``workspace``: what signals and forecasts stand on besides the events."""
    from prevdip.catalogue import BUNDLE
    from prevdip.events import ingest

    with settings_pointing_at(workspace, bundle):
        ingest("ucdp-cm", [bundle / name for name in BUNDLE.ucdp_country_month])
        ingest("ucdp-brd", [bundle / name for name in BUNDLE.ucdp_brd])


@pytest.fixture(scope="session")
def series_lake(tmp_path_factory: pytest.TempPathFactory, bundle: Path) -> Path:
    """A workspace whose lake holds the bundle's series and no event, built once per session (read-only)."""
    ws = tmp_path_factory.mktemp("series") / "workspace"
    ingest_series(ws, bundle)
    return ws


@pytest.fixture
def series_workspace(tmp_path: Path, bundle: Path, series_lake: Path) -> Iterator[Path]:
    """A fresh workspace holding a copy of :func:`series_lake` (lake and database), settings pointing at it: where
    a command that reads the series runs on a machine that has only ingested them."""
    ws = tmp_path / "workspace"
    shutil.copytree(series_lake, ws)
    with settings_pointing_at(ws, bundle):
        yield ws


@pytest.fixture(scope="session")
def bundle_lake(tmp_path_factory: pytest.TempPathFactory, bundle: Path) -> Iterator[dict[str, Any]]:
    """The whole reference bundle ingested twice into one workspace, once per session: ``{"workspace", "first",
    "second"}`` (the two run reports). Read-only for the tests that share it."""
    from prevdip.events.bundle import ingest_bundle

    ws = tmp_path_factory.mktemp("bundle") / "workspace"
    with settings_pointing_at(ws, bundle):
        first = ingest_bundle(bundle)
        second = ingest_bundle(bundle)
    # the environment is restored: other tests never see this workspace
    yield {"workspace": ws, "first": first, "second": second}


# --- the dashboard's accounts: one person per role ---------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def test_hosts() -> Iterator[None]:
    """The in-process client's host name (``testserver``) and the live servers' are allowed in every test."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PREVDIP_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
        get_settings.cache_clear()
        yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def accounts_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite system of record at the head holding one account per role (made once: hashing takes a while)."""
    from signing import make_accounts

    path = tmp_path_factory.mktemp("accounts") / "accounts.sqlite"
    make_accounts(f"sqlite:///{path}")
    return path


@pytest.fixture
def accounts_url(accounts_template: Path, tmp_path: Path) -> str:
    """A database of this test's own holding the test accounts (a copy of the template)."""
    from signing import copy_accounts

    return copy_accounts(accounts_template, tmp_path / "accounts")


@pytest.fixture
def records_url(tmp_path: Path) -> str:
    """A fresh SQLite system of record at the migration head, in the test's own folder."""
    from prevdip.store import create_store_engine, upgrade

    url = f"sqlite:///{tmp_path / 'system-of-record.sqlite'}"
    engine = create_store_engine(url, must_exist=False)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def lake_with_records(bundle_lake: dict[str, Any], bundle: Path, records_url: str) -> Iterator[Path]:
    """Settings pointing at the session's ingested bundle (read-only) and at a fresh system of record of this test."""
    ws: Path = bundle_lake["workspace"]
    with settings_pointing_at(ws, bundle) as mp:
        mp.setenv("PREVDIP_DATABASE_URL", records_url)
        get_settings.cache_clear()
        yield ws
    get_settings.cache_clear()
