"""The staff's pages in headless Chromium, as the public sweep (:mod:`test_web_sweep`) does the public ones (issue 16
§4 tests): signed in through the form, an officer opens every page the route table keeps for field reporters and
the centre's staff — the response ledger and its forms, field reports and their form — and the pages whose officer's
forms a visitor never sees (the dispute register and a dispute, the GMCR upload); an administrator opens the
administrators' pages (the audit trail). At 1366 and 390 px, in English and Russian: no horizontal overflow, no
console error or warning, every chart drawn, no command line or repository path in the text. The page list comes
from the route table, so a new staff page is swept without editing this test."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser
from test_web_sweep import FILES, SAMPLES, _sweep

import prevdip.web  # noqa: F401  (declares the routes)
from prevdip.web.access import ROUTES, Access
from signing import sign_in_browser

pytestmark = pytest.mark.browser

#: Public-board pages that draw officers' forms (a visitor sees them without): swept again signed in.
WITH_STAFF_FORMS = ("/disputes", "/disputes/{dispute_id}", "/gmcr")
SIGNED_IN_AS = {Access.field_reporters: "officer", Access.centre_staff: "officer", Access.admin: "admin"}


def _staff_pages() -> dict[str, list[str]]:
    """Each test account and the pages it opens: every GET page of the staff's and administrators' rules (a page
    of one record, named by its id, is left out: the shared lake holds no field report), with the sample values of
    the public sweep."""
    pages: dict[str, list[str]] = {"officer": [], "admin": []}
    for (method, path), rule in sorted(ROUTES.items()):
        if method != "GET" or rule not in SIGNED_IN_AS or path.endswith((*FILES, ".ics")) or "{report_id}" in path:
            continue
        pages[SIGNED_IN_AS[rule]].append(path)
    pages["officer"] += WITH_STAFF_FORMS
    return {who: [_sampled(path) for path in paths] for who, paths in pages.items()}


def _sampled(path: str) -> str:
    for name, value in SAMPLES.items():
        path = path.replace(name, value)
    return path


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("width", [1366, 390])
def test_every_staff_page_reads_well_at_both_widths(browser: Browser, lake_server: str, width: int, lang: str) -> None:
    problems: dict[str, Any] = {}
    for who, paths in _staff_pages().items():
        context = browser.new_context(viewport={"width": width, "height": 900})
        try:
            sign_in_browser(context.new_page(), lake_server, who)
            for path in paths:
                page = context.new_page()
                url = f"{lake_server}{path}{'&' if '?' in path else '?'}lang={lang}"
                found = _sweep(page, url, width)
                if found:
                    problems[f"{who} {path}"] = found
                page.close()
        finally:
            context.close()
    assert problems == {}
    pages = _staff_pages()
    assert {"/response", "/field-reports", "/field-reports/new"} <= set(pages["officer"])
    assert pages["admin"] == ["/admin/audit"]
