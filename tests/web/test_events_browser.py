"""The events pages in headless Chromium, at a desk (1366 px) and on a phone (390 px), in English and Russian: the
map draws one circle per mark of the filtered events, nothing runs off the side, nothing goes to the console."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

MAP = '#chart-events-map[data-drawn="yes"] svg'


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_events_map_draws_the_filtered_events(
    page: Page, lake_server: str, artifacts: Path, width: int, lang: str
) -> None:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda problem: errors.append(str(problem)))
    page.set_viewport_size({"width": width, "height": 900})
    answer = page.goto(f"{lake_server}/events?country=KGZ&country=TJK&sort=deaths&lang={lang}")
    assert answer is not None and answer.status == 200
    page.wait_for_selector(MAP, timeout=20_000)
    spec = json.loads(page.locator('script[data-chart="chart-events-map"]').text_content() or "{}")
    circles = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "circle")
    marks = (circles.get("data") or spec["data"])["values"]
    assert len(marks) > 10
    assert page.locator(f"{MAP} .mark-symbol.role-mark path").count() == len(marks)  # a circle per mark
    assert page.locator(f"{MAP} .mark-shape.role-mark path").count() == 2  # KGZ and TJK outlined
    assert page.locator("#results tbody tr").count() == 50
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(artifacts / f"events-{lang}-{width}.png"), full_page=True)
    page.locator('a[rel="next"]').first.click()  # the next page by cursor, swapped in by htmx: the map again
    page.wait_for_url("**after=*")
    page.wait_for_selector(MAP, timeout=20_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert errors == []


@pytest.mark.parametrize("width", [1366, 390])
def test_an_event_page_fits(page: Page, lake_server: str, artifacts: Path, width: int) -> None:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type in ("error", "warning") else None)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{lake_server}/events?country=KGZ&lang=ru")
    page.locator("#results tbody tr a").first.click()
    page.wait_for_url("**/events/*")
    assert page.locator("h1").inner_text().startswith("Событие")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(artifacts / f"event-{width}.png"), full_page=True)
    assert errors == []
