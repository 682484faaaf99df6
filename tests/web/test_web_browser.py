"""The pages in headless Chromium: charts and maps drawn, no console errors, no request leaving 127.0.0.1."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

DRAWN = '.chart[data-drawn="yes"] svg'


def _visit(page: Page, url: str) -> tuple[list[str], list[str]]:
    """Open ``url``; return the console errors and the hosts of every request the page made."""
    errors: list[str] = []
    hosts: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda problem: errors.append(str(problem)))
    page.on("request", lambda request: hosts.append(urlsplit(request.url).hostname or request.url))
    response = page.goto(url)
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    return errors, hosts


def _check(page: Page, url: str, shot: Path, *, charts: int) -> None:
    errors, hosts = _visit(page, url)
    if charts:
        page.wait_for_selector(DRAWN, timeout=15_000)
        assert page.locator(DRAWN).count() >= charts
        assert page.locator(f"{DRAWN} path").count() > 0
    page.screenshot(path=str(shot), full_page=True)
    assert errors == []
    assert set(hosts) == {"127.0.0.1"}


def test_overview_draws_the_region_map(page: Page, live_server: str, artifacts: Path) -> None:
    _check(page, f"{live_server}/", artifacts / "overview.png", charts=1)
    # the six countries of the map, each a shape in the SVG, and the page says what is missing instead of faking it
    assert page.locator(f"{DRAWN} .mark-shape path").count() == 6
    missing = [
        s
        for s in ("stages", "forecast", "warnings")
        if not page.request.get(f"{live_server}/index.json").json()[s]["available"]
    ]
    assert page.locator(".notice").count() >= (1 if missing else 0)


def test_overview_fits_a_phone(page: Page, live_server: str, artifacts: Path) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    _check(page, f"{live_server}/", artifacts / "overview-phone.png", charts=1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_country_page_draws_its_locator_map(page: Page, live_server: str, artifacts: Path) -> None:
    _check(page, f"{live_server}/countries/KGZ", artifacts / "country-KGZ.png", charts=1)
    assert "Kyrgyzstan" in page.locator("h1").inner_text()


def test_gmcr_page(page: Page, live_server: str, artifacts: Path) -> None:
    _check(page, f"{live_server}/gmcr", artifacts / "gmcr.png", charts=0)
    examples = page.locator("select[name=example] option")
    if examples.count():  # the GMCR engine is installed: open the first example and see its stability chart
        page.locator("form[action='/gmcr'] button").first.click()
        page.wait_for_selector(DRAWN, timeout=15_000)
        page.screenshot(path=str(artifacts / "gmcr-example.png"), full_page=True)
    else:
        assert "not part of this installation" in page.locator(".notice").first.inner_text()


@pytest.mark.slow  # with the water model installed, the page's deal (every coalition solved) loads for seconds
def test_water_page_draws_the_basin_map(page: Page, live_server: str, artifacts: Path) -> None:
    _check(page, f"{live_server}/water", artifacts / "water.png", charts=1)
    assert page.locator(f"{DRAWN} .mark-shape path").count() >= 4


def test_api_docs_load_from_vendored_assets(page: Page, live_server: str, artifacts: Path) -> None:
    errors, hosts = _visit(page, f"{live_server}/api/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)
    page.screenshot(path=str(artifacts / "api-docs.png"), full_page=True)
    assert set(hosts) == {"127.0.0.1"}
    assert errors == []


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_response_page_with_real_warnings_fits_a_phone(page: Page, lake_server: str, lang: str) -> None:
    """Long Russian headings and the warnings' reasons once pushed /response to 489 px on a 390 px phone."""
    from signing import sign_in_browser

    sign_in_browser(page, lake_server, "officer")  # the ledger is the centre staff's
    page.set_viewport_size({"width": 390, "height": 844})
    errors, hosts = _visit(page, f"{lake_server}/response?month=2022-09&lang={lang}")
    assert page.locator("#unanswered tbody tr").count() > 0  # KGZ, TJK and their dyad were at war that month
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == [] and set(hosts) == {"127.0.0.1"}


def test_forecasts_map_filter_and_sort(page: Page, forecast_server: str, artifacts: Path) -> None:
    _check(page, f"{forecast_server}/forecasts", artifacts / "forecasts.png", charts=1)
    assert page.locator(f"{DRAWN} .mark-shape path").count() == 6  # the region's countries, coloured by P(any)
    table = page.locator("#global-forecasts tbody tr")
    total = table.count()
    page.fill('input[data-filter="global-forecasts"]', "Tajik")
    visible = page.locator("#global-forecasts tbody tr:not([hidden])")
    assert 0 < visible.count() < total and all("Tajik" in t for t in visible.all_inner_texts())
    page.fill('input[data-filter="global-forecasts"]', "")
    page.locator("#global-forecasts thead th").nth(5).click()  # P(any death), highest first
    first = page.locator("#global-forecasts tbody tr").first.locator("td").nth(5).get_attribute("data-sort")
    values = [float(v) for v in page.locator("#global-forecasts tbody td:nth-child(6)").evaluate_all(
        "cells => cells.map(c => c.dataset.sort)")]  # fmt: skip
    assert float(first or 0) == max(values) and values == sorted(values, reverse=True)
