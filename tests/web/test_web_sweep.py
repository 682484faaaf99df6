"""Every page of the dashboard in headless Chromium at a desktop (1366 px) and a phone (390 px) width, in English
and Russian (issue 16 §4 tests), over the ingested bundle: no horizontal overflow, no console error or warning, every
chart drawn (an empty one is a sentence instead, never a blank frame), no command line or repository path in the
text, and the coverage line on the current month. The page list is generated from the route table, so a new page is
swept without editing this test. One browser; each width and language its own context."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page

import prevdip.web  # noqa: F401  (declares the routes)
from prevdip.web.access import ROUTES, Access

pytestmark = pytest.mark.browser

NOW = "2026-05"  # the current month of the bundle: past every event file, so the coverage line must say so
SAMPLES = {"{iso3}": "KGZ", "{a}-{b}": "KGZ-TJK", "{month}": NOW, "{dispute_id}": "kgz-tjk-border"}
FILES = (".json", ".pdf", ".csv", ".parquet")
COMMAND = re.compile(
    r"\bprevdip (?:ingest|fetch|forecast|demo|cycle|backtest|gmcr|serve|init|db|response|events|signals|runs|users|"
    r"regions|disputes|water|brief)\b|\b(?:docs|reference)/[\w./-]+\.md\b|\s--[a-z]|`"
)


def _pages(uid: str = "") -> list[str]:
    """Every page a reader can open without signing in (the public board's and the open ones), with sample values
    for the path's parameters (``uid``: an event the lake holds); the staff's and administrators' pages are swept by
    their own tests."""
    paths = []
    for (method, path), rule in ROUTES.items():
        if method != "GET" or rule not in (Access.public_board, Access.open) or path.endswith(FILES):
            continue
        if path in ("/.json", "/static"):
            continue
        for name, value in {**SAMPLES, "{uid}": uid}.items():
            path = path.replace(name, value)
        paths.append(path)
    return [*paths, "/?month=2022-09", "/gmcr?example=toktogul-winter-release"]  # a case's readings and narrative


def _sweep(page: Page, url: str, width: int) -> list[str]:
    """What is wrong with one page, in words (empty: nothing)."""
    said: list[str] = []
    page.on("console", lambda m: said.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda problem: said.append(f"page error: {problem}"))
    answer = page.goto(url)
    if answer is None or answer.status != 200:
        return [f"status {answer.status if answer else '?'}"]
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "[...document.querySelectorAll('figure.chart')].every(f => ['yes', 'failed'].includes(f.dataset.drawn))",
        timeout=30_000,
    )
    failed = page.locator('figure.chart[data-drawn="failed"]').count()
    blank = page.evaluate(
        "[...document.querySelectorAll('figure.chart')].filter(f => !f.querySelector('svg, canvas')).length"
    )
    if failed or blank:
        said.append(f"{failed} chart(s) failed, {blank} drawn nothing")
    wide = int(page.evaluate("document.documentElement.scrollWidth"))
    if wide > width:
        said.append(f"{wide} px wide on a {width} px screen")
    if "/api/docs" in url:  # the API's own documentation is for programmers: its commands stay
        return said
    text = page.inner_text("body")
    said += [
        f"command or path in the text: {m.group()!r} in {text[max(0, m.start() - 60) : m.end() + 60]!r}"
        for m in COMMAND.finditer(text)
    ]
    return said


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("width", [1366, 390])
def test_every_page_reads_well_at_both_widths(browser: Browser, lake_server: str, width: int, lang: str) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    problems: dict[str, Any] = {}
    uid = httpx.get(f"{lake_server}/events.json").json()["results"]["events"][0]["event_uid"]
    try:
        for path in _pages(uid):
            page = context.new_page()
            url = f"{lake_server}{path}{'&' if '?' in path else '?'}lang={lang}"
            found = _sweep(page, url, width)
            if found:
                problems[path] = found
            if path == "/":
                coverage = page.locator("p.coverage")
                if coverage.count() != 1 or "2022-12" not in coverage.inner_text():
                    problems["/ coverage"] = "the current month carries no coverage line naming GED's last month"
            page.close()
    finally:
        context.close()
    assert problems == {}
    assert len(_pages()) >= 12  # the page list really comes from the route table
