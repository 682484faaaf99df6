"""Fixtures of the dashboard tests: an in-process client (signed in as an officer), a live server in a thread, and
Debian's Chromium. The dashboards show the public board to visitors (public access on) and keep their accounts in a
database of their own beside the workspace."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from prevdip.cli.web import server_options
from prevdip.settings import Settings
from prevdip.web import create_app
from prevdip.web._negotiation import LANG_COOKIE

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(autouse=True)
def english_again(request: pytest.FixtureRequest) -> Iterator[None]:
    """The dashboards' clients are shared by a whole session: a test that reads a page in Russian (``?lang=ru``,
    kept in a cookie and on the signed-in account) leaves its clients in English again for the next test."""
    yield
    for value in list(getattr(request.node, "funcargs", {}).values()):
        if isinstance(value, TestClient) and value.cookies.get(LANG_COOKIE, "en") != "en":
            value.get("/glossary?lang=en")


def dashboard_settings(workspace: Path, bundle: Path, accounts: str, **more: Any) -> Settings:
    """Settings of a test dashboard: public access on, the test accounts in ``accounts`` (a database URL)."""
    return Settings(workspace=workspace, bundle=bundle, database_url=accounts, public_access="public", **more)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def web_settings(
    tmp_path_factory: pytest.TempPathFactory, bundle: Path, accounts_template: Path, initialised: Callable[[Path], Path]
) -> Settings:
    """Settings over an empty workspace (its system of record the test accounts) and the real bundle (the map
    outlines come from it)."""
    from signing import copy_accounts

    accounts = copy_accounts(accounts_template, tmp_path_factory.mktemp("web-accounts"))
    return dashboard_settings(initialised(tmp_path_factory.mktemp("web-workspace")), bundle, accounts)


@pytest.fixture(scope="session")
def client(web_settings: Settings) -> Iterator[TestClient]:
    """The dashboard in process, signed in as an officer (who sees everything the centre sees)."""
    from signing import sign_in

    with TestClient(create_app(web_settings)) as test_client:
        yield sign_in(test_client, "officer")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _serving(settings: Settings, app: Any = None) -> Iterator[str]:
    """The dashboard (or ``app``, made for ``settings``: a test may move its clock) served by uvicorn on 127.0.0.1
    and a free port, in a background thread."""
    port = _free_port()
    options = server_options("127.0.0.1", port) | {"factory": False, "workers": None}  # prevdip serve's, in a thread
    server = uvicorn.Server(uvicorn.Config(app or create_app(settings), **options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the dashboard did not start within 15 s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def serving() -> Any:
    """:func:`_serving`, for test modules that serve a dashboard of their own."""
    return _serving


@pytest.fixture(scope="session")
def live_server(web_settings: Settings) -> Iterator[str]:
    """The dashboard over an empty workspace."""
    with _serving(web_settings) as url:
        yield url


@pytest.fixture(scope="session")
def lake_server(
    bundle_lake: dict[str, Any], bundle: Path, accounts_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The dashboard over the shared ingested bundle (read-only): pages with real warnings and tables."""
    from signing import copy_accounts

    accounts = copy_accounts(accounts_template, tmp_path_factory.mktemp("lake-accounts"))
    with _serving(dashboard_settings(bundle_lake["workspace"], bundle, accounts)) as url:
        yield url


@pytest.fixture(scope="session")
def forecast_server(
    tmp_path_factory: pytest.TempPathFactory, bundle: Path, accounts_template: Path, series_lake: Path
) -> Iterator[str]:
    """The dashboard over a workspace holding two frozen deaths vintages (2022-08 and 2022-09, conflictology12)."""
    from prevdip.forecast import freeze_vintage, issue_vintage, load_target
    from signing import copy_accounts

    workspace = tmp_path_factory.mktemp("forecast-workspace") / "workspace"
    shutil.copytree(series_lake, workspace)  # forecasts read the series from the lake, the only road
    accounts = copy_accounts(accounts_template, tmp_path_factory.mktemp("forecast-accounts"))
    panel = load_target("ucdp-best", bundle=bundle, workspace=workspace)
    for month in ("2022-08", "2022-09"):
        freeze_vintage(issue_vintage(panel, month, bundle=bundle, model="conflictology12"), workspace)
    with _serving(dashboard_settings(workspace, bundle, accounts)) as url:
        yield url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium, headless, with every background call to Google switched off."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian chromium is not installed (make test installs it as root)")
    return {
        **browser_type_launch_args,
        "executable_path": chromium,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
