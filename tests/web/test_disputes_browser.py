"""In Chromium over the reference bundle's lake: an officer opens the register, confirms the transition the signals
propose for a dispute in one click, and sees it on the dispute's timeline — under the Content-Security-Policy, with
no console error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page
from test_disputes_lake import WATCHED

from prevdip.disputes import add_dispute, open_register
from prevdip.settings import Settings
from signing import copy_accounts, sign_in_browser

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def register_server(
    bundle_lake: dict[str, Any], bundle: Path, accounts_template: Path, tmp_path_factory: pytest.TempPathFactory,
    serving: Any,
) -> Iterator[str]:  # fmt: skip
    """The dashboard over the ingested bundle, with the watched dispute (latent on KGZ-TJK since January 2021) on a
    register of this module's own."""
    url = copy_accounts(accounts_template, tmp_path_factory.mktemp("disputes-browser"))
    with open_register("officer", url=url) as register:
        add_dispute(register, WATCHED, workspace=bundle_lake["workspace"])
    settings = Settings(workspace=bundle_lake["workspace"], bundle=bundle, database_url=url)  # type: ignore[arg-type]
    with serving(settings) as base:
        yield base


@pytest.mark.slow
def test_an_officer_confirms_a_proposed_transition_in_the_browser(
    page: Page, register_server: str, artifacts: Path
) -> None:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda problem: errors.append(str(problem)))
    sign_in_browser(page, register_server, "officer")
    page.goto(f"{register_server}/disputes?lang=en")
    row = page.locator("#register tr", has_text="Isfara valley watch")
    assert row.locator(".phase").inner_text() == "latent"
    proposal = page.locator("#proposals .proposal", has_text="Isfara valley watch").first
    assert "2021-04" in proposal.inner_text() and "KGZ-TJK" in proposal.inner_text()
    with page.expect_navigation():
        proposal.get_by_role("button", name="Confirm this transition").click()
    assert page.url.endswith("/disputes/isfara-watch#timeline")
    timeline = page.locator("#timeline")
    latest = timeline.locator("li.transition").last
    assert "2021-04" in latest.inner_text() and latest.locator(".phase").inner_text() == "violent"
    assert "recorded by officer (an officer)" in latest.inner_text()
    assert "prevdip signals" in latest.inner_text()
    page.screenshot(path=str(artifacts / "dispute-confirmed.png"), full_page=True)
    assert errors == []
