"""In Chromium on a phone's screen (390×844): a monitor files a report in Russian with a photo, the place tapped on
the region map (a refused date first: the error beside the field, everything typed kept); an officer finds it in
the queue and verifies it, and it appears on the country page and in the governments' brief; another report is
rejected with a reason, a third merged into the event it duplicates — the monitor reads each outcome. Then an
officer records a meeting from the month's warnings and a commitment, which turns late after its due date."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from browsing import watch_console
from prevdip.settings import Settings
from prevdip.web import create_app
from prevdip.web.services.field_map import K_LON, NORTH, PX_PER_DEGREE_LAT, WEST
from signing import copy_accounts, sign_in_browser

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fieldwork"))
from field_fixtures import photo  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
VORUKH = (39.85, 70.58)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, **PHONE}


@pytest.fixture
def field_server(
    tmp_path: Path, bundle: Path, accounts_template: Path, serving: Any, initialised: Callable[[Path], Path]
) -> Iterator[str]:
    """A dashboard over an empty lake: only what the officer verifies enters it."""
    accounts = copy_accounts(accounts_template, tmp_path / "accounts")
    settings = Settings(workspace=initialised(tmp_path / "workspace"), bundle=bundle, database_url=accounts)  # type: ignore[arg-type]
    with serving(settings) as base:
        yield base


def _tap_map(page: Page, lat: float, lon: float) -> None:
    """Tap the region map where (lat, lon) is drawn (the drawing's own projection, scaled to the phone's width)."""
    region = page.locator("svg.region-map")
    region.scroll_into_view_if_needed()
    box = region.bounding_box()
    assert box is not None
    scale = box["width"] / 800
    region.click(position={"x": (lon - WEST) * K_LON * scale, "y": (NORTH - lat) * PX_PER_DEGREE_LAT * scale})


def _fill(page: Page, what: str, day: str, place: str = "Ворух", sharing: str = "governments") -> None:
    page.fill("textarea[name=what_happened]", what)
    page.select_option("select[name=category]", "border_incident")
    page.fill("input[name=date]", day)
    page.select_option("select[name=country]", "TJK")
    page.fill("input[name=place]", place)
    page.select_option("select[name=confidence]", "high")
    page.select_option("select[name=sharing]", sharing)


def _file(page: Page, base: str, what: str, day: str) -> str:
    page.goto(f"{base}/field-reports/new?lang=ru")
    _fill(page, what, day)
    with page.expect_navigation():
        page.click("button.primary[type=submit]")
    return page.url.rsplit("/", 1)[-1]


def test_a_monitor_files_in_russian_and_an_officer_decides(
    page: Page, field_server: str, artifacts: Path, browser: Any
) -> None:
    errors = watch_console(page)
    sign_in_browser(page, field_server, "monitor")
    page.goto(f"{field_server}/field-reports/new?lang=ru")
    expect(page.locator("h1")).to_have_text("Подать полевое донесение")
    _fill(page, "Жители перекрыли дорогу к водозабору; пограничники стреляли в воздух.", "2999-01-01")
    _tap_map(page, *VORUKH)
    lat, lon = float(page.input_value("input[name=latitude]")), float(page.input_value("input[name=longitude]"))
    pixel = 42 / 322  # degrees of longitude per CSS pixel of the map on this phone: a tap is as precise as that
    assert abs(lat - VORUKH[0]) < pixel and abs(lon - VORUKH[1]) < pixel  # the tap became the coordinates
    page.set_input_files(
        "input[name=attachments]", [{"name": "vorukh.jpg", "mimeType": "image/jpeg", "buffer": photo()}]
    )
    with page.expect_navigation():
        page.click("button.primary[type=submit]")
    expect(page.locator("#error-date")).to_contain_text("Эта дата в будущем")  # beside the field, in Russian
    assert page.input_value("input[name=place]") == "Ворух" and page.input_value("input[name=latitude]") == f"{lat:.4f}"
    expect(page.locator(".notice[role=status]")).to_contain_text("выберите файлы (1) снова")
    page.fill("input[name=date]", "2022-09-14")
    page.set_input_files(
        "input[name=attachments]", [{"name": "vorukh.jpg", "mimeType": "image/jpeg", "buffer": photo()}]
    )
    page.screenshot(path=str(artifacts / "field-report-phone.png"), full_page=True)
    with page.expect_navigation():
        page.click("button.primary[type=submit]")
    first = page.url.rsplit("/", 1)[-1]
    expect(page.locator(".status")).to_have_text("подано")
    assert page.locator("img.thumb").evaluate("img => img.naturalWidth") == 40  # the photo, served back
    second = _file(page, field_server, "Слухи о перестрелке у Ворух, не подтверждены.", "2022-09-15")
    third = _file(page, field_server, "Та же блокада дороги у Воруха, со слов водителя.", "2022-09-14")

    officer = browser.new_page(**PHONE)
    sign_in_browser(officer, field_server, "officer")
    officer.goto(f"{field_server}/field-reports")
    for report_id in (first, second, third):
        expect(officer.locator(f"a[href='/field-reports/{report_id}']")).to_be_visible()
    officer.goto(f"{field_server}/field-reports/{first}")
    with officer.expect_navigation():
        officer.click("button[value=verify]")
    expect(officer.locator(".status")).to_have_text("verified")
    officer.goto(f"{field_server}/countries/TJK?month=2022-09")
    expect(officer.locator("body")).to_contain_text("Жители перекрыли дорогу к водозабору")
    officer.goto(f"{field_server}/briefs/2022-09")  # the governments' brief, as the staff preview it
    expect(officer.locator("body")).to_contain_text("Жители перекрыли дорогу к водозабору")
    officer.goto(f"{field_server}/field-reports/{second}")
    officer.fill("textarea[name=reason]", "Нет второго источника.")
    with officer.expect_navigation():
        officer.click("button[value=reject]")
    officer.goto(f"{field_server}/field-reports/{third}")
    expect(officer.locator("table.compact")).to_contain_text("field")  # the verified report is nearby
    with officer.expect_navigation():
        officer.locator("table.compact button[value=merge]").first.click()
    expect(officer.locator(".status")).to_have_text("merged")

    page.goto(f"{field_server}/field-reports?lang=ru")
    expect(page.locator("table.queue")).to_contain_text("проверено")
    page.goto(f"{field_server}/field-reports/{second}")
    expect(page.locator("ol.history")).to_contain_text("Нет второго источника.")
    page.goto(f"{field_server}/countries/TJK?month=2022-09")
    assert "Та же блокада" not in page.locator("body").inner_text()  # merged: not a second event
    assert [e for e in errors if "status of 422" not in e] == []  # the refused form's 422 is the only one


@pytest.fixture
def ledger_server(
    bundle_lake: dict[str, Any], bundle: Path, accounts_template: Path, serving: Any, tmp_path: Path
) -> Iterator[tuple[str, Any]]:
    """A dashboard over the ingested bundle's real warnings, whose clock the test can move."""
    accounts = copy_accounts(accounts_template, tmp_path / "accounts")
    settings = Settings(workspace=bundle_lake["workspace"], bundle=bundle, database_url=accounts)  # type: ignore[arg-type]
    app = create_app(settings)
    with serving(settings, app) as base:
        yield base, app


def test_an_officer_records_a_meeting_and_a_commitment_that_turns_late(
    page: Page, ledger_server: tuple[str, Any]
) -> None:
    base, app = ledger_server
    errors = watch_console(page)
    sign_in_browser(page, base, "officer")
    page.goto(f"{base}/response/partners")
    page.fill("#add input[name=name]", "Government of Tajikistan")
    page.select_option("#add select[name=kind]", "government")
    with page.expect_navigation():
        page.click("#add button[type=submit]")
    page.goto(f"{base}/response?month=2022-09")
    with page.expect_navigation():
        page.click("a[href^='/response/meetings/new?agenda_from=2022-09']")
    expect(page.locator("input[name=block-0-title]")).not_to_have_value("")  # proposed from the warnings
    page.fill("input[name=title]", "Deputy foreign ministers")
    page.fill("input[name=date]", "2022-12-08")
    page.fill("input[name=place]", "Ashgabat")
    page.select_option("select[name=participants]", ["Government of Tajikistan"])
    page.fill("input[name=block-0-title]", "Borders first")
    with page.expect_navigation():
        page.click("button.primary[type=submit]")
    expect(page.locator("table.ledger-meetings")).to_contain_text("Borders first")
    meeting_id = page.locator("table.ledger-meetings tbody tr td").first.inner_text().strip()
    due = (datetime.now(UTC) + timedelta(days=5)).date().isoformat()
    page.goto(f"{base}/response/commitments")
    page.select_option("#add select[name=partner]", "Government of Tajikistan")
    page.fill("#add textarea[name=what]", "Withdraw heavy weapons from the Vorukh road")
    page.fill("#add input[name=due]", due)
    page.fill("#add input[name=meeting]", meeting_id)
    with page.expect_navigation():
        page.click("#add button[type=submit]")
    expect(page.locator("table.ledger-commitments .status")).to_have_text("open")
    app.state.identity.clock = lambda: datetime.now(UTC) + timedelta(days=6)  # the due date passes
    sign_in_browser(page, base, "officer")
    page.goto(f"{base}/response/commitments")
    expect(page.locator("table.ledger-commitments .status")).to_have_text("late")
    assert re.search(r"Withdraw heavy weapons", page.locator("table.ledger-commitments").inner_text())
    assert errors == []
