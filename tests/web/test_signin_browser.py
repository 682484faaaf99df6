"""In Chromium: an officer and a government liaison sign in and see the difference (a centre-internal report shown
only to the officer), the header names who is signed in and their role, the charts draw under the
Content-Security-Policy with no console error, and signing out ends it."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page
from test_tiers_everywhere import CSV, GOVERNMENTS, INTERNAL

from browsing import watch_console
from prevdip.events import ingest
from prevdip.settings import Settings
from signing import copy_accounts, sign_in_browser

pytestmark = pytest.mark.browser
DRAWN = '.chart[data-drawn="yes"] svg'


@pytest.fixture(scope="module")
def tiered_server(
    tmp_path_factory: pytest.TempPathFactory,
    bundle: Path,
    pointing_at: Callable[[Path, Path], AbstractContextManager[Any]],
    accounts_template: Path,
    serving: Any,
    series_lake: Path,
) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser-tiers")
    shutil.copytree(series_lake, folder / "workspace")  # the field reports beside the bundle's series
    (folder / "reports.csv").write_text(CSV, encoding="utf-8")
    accounts = copy_accounts(accounts_template, folder / "accounts")
    with pointing_at(folder / "workspace", bundle):
        assert ingest("field", [folder / "reports.csv"]).accepted == 4
    settings = Settings(workspace=folder / "workspace", bundle=bundle, database_url=accounts)  # type: ignore[arg-type]
    with serving(settings) as base:
        yield base


@pytest.mark.parametrize(
    ("name", "role", "sees_internal"), [("officer", "officer", True), ("government", "government liaison (KGZ)", False)]
)
def test_each_reader_sees_their_own_board(
    page: Page, tiered_server: str, artifacts: Path, name: str, role: str, sees_internal: bool
) -> None:
    errors = watch_console(page)
    page.goto(f"{tiered_server}/events")
    assert page.url.startswith(f"{tiered_server}/login?next=/events")  # visitors must sign in here
    sign_in_browser(page, tiered_server, name)
    assert page.locator(".who .role").inner_text() == role
    page.goto(f"{tiered_server}/events?source=field")
    listed = page.locator("#results").inner_text()
    assert (INTERNAL in listed) is sees_internal and GOVERNMENTS in listed
    page.goto(f"{tiered_server}/countries/TJK?month=2022-09")
    page.wait_for_selector(DRAWN, timeout=15_000)
    # locator map, stage history, events by group: drawn under the CSP, or (issue 16) a chart with nothing to draw
    # for this reader replaced by a sentence saying why
    assert page.locator(DRAWN).count() + page.locator("p.empty-chart").count() >= 3
    assert (INTERNAL in page.locator("body").inner_text()) is sees_internal
    assert (page.locator("nav.menu a[href='/response']").count() == 1) is sees_internal
    page.screenshot(path=str(artifacts / f"signed-in-{name}.png"), full_page=True)
    with page.expect_navigation():
        page.click("nav.account button[type=submit]")
    assert page.locator("nav.account a[href='/login']").count() == 1
    page.goto(f"{tiered_server}/events")
    assert "/login?next=/events" in page.url  # signed out: the board is closed again
    assert errors == []
