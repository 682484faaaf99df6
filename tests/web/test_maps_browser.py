"""The maps one works with, in headless Chromium (issue 16 §4): a border dyad on the overview map opens its page,
by mouse at a desktop and a phone width and by keyboard from the list under the map; the water pages at both widths
in English and Russian number their places on the map as the key under it names them (every reservoir among them),
carry the map's legend, overflow nothing, log no error and show no node id where a name belongs."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from test_web_sweep import _sweep

from prevdip.water import load_basin

pytestmark = pytest.mark.browser

DIAMONDS = "#chart-region-map .mark-symbol.role-mark path"  # the legend draws symbols too


@pytest.mark.parametrize("width", [1366, 390])
def test_clicking_a_dyad_on_the_overview_map_opens_its_page(page: Page, live_server: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server}/?month=2022-09&lang=en")
    page.wait_for_selector('#chart-region-map[data-drawn="yes"] svg', timeout=15_000)
    assert page.locator(DIAMONDS).count() == 10  # the ten border dyads of Central Asia and Afghanistan
    page.locator(f'{DIAMONDS}[aria-label*="Kyrgyzstan – Tajikistan"]').click()
    page.wait_for_url(re.compile(r"/dyads/KGZ-TJK\?month=2022-09$"), timeout=10_000)
    assert "Kyrgyzstan – Tajikistan" in page.locator("h1").inner_text()  # named, not coded


def test_the_dyads_under_the_map_open_by_keyboard_in_russian(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/?month=2022-09&lang=ru")
    links = page.locator("nav.map-dyads a")
    assert links.count() == 10
    link = page.locator('nav.map-dyads a[href="/dyads/AFG-TJK?month=2022-09"]')
    expect(link).to_have_text("Афганистан – Таджикистан")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/dyads/AFG-TJK\?month=2022-09$"), timeout=10_000)


def _names(basin: str, lang: str) -> dict[str, str]:
    return {node_id: names[lang] for node_id, names in load_basin(basin).names().items()}


@pytest.mark.slow  # each basin's three regimes and its deal are solved once for the server
@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("basin", ["syr-darya", "amu-darya"])
def test_the_water_page_names_every_place_with_a_legend(
    browser: Browser, live_server: str, basin: str, lang: str
) -> None:
    spec = load_basin(basin)
    names = _names(basin, lang)
    reservoirs = [names[n.id] for n in spec.nodes if n.kind.value == "reservoir"]
    for width in (1366, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.set_default_navigation_timeout(120_000)  # the first visit solves the basin's three regimes
        page = context.new_page()
        try:
            assert _sweep(page, f"{live_server}/water?basin={basin}&lang={lang}", width) == []
            page.wait_for_selector("#deal table", timeout=120_000)  # the deal, loaded into the page
            key = [k.strip() for k in page.locator("figure.map-key li").all_inner_texts()]
            assert [r for r in reservoirs if r not in key] == []  # every reservoir, planned ones too, in the key
            numbers = page.locator("#chart-basin-map .mark-text.role-mark text").all_text_contents()
            assert numbers == [str(i) for i in range(1, len(key) + 1)]  # each numbered on the map as the key lists
            text = page.inner_text("body")
            built = [names[n.id] for n in spec.nodes if n.kind.value == "reservoir" and not n.planned]
            assert [r for r in built if text.count(r) < 2] == []  # and named in the tables beside the key
            legend = page.locator("figure.map-legend li")
            assert legend.count() == 7 and all(t.strip() for t in legend.all_inner_texts())
            bare = [i for i in names if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)]
            assert bare == []  # no node id where its name belongs
        finally:
            context.close()
