"""Issue 16 §1 and §2 on the dashboard over the ingested bundle: the coverage line on the current month (no bare 0
where no event source reaches it), the coverage per source in the JSON twins and the brief, and the September 2022
overview filing the Kyrgyz-Tajik border war under interstate border disputes and Afghanistan under Afghanistan."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from prevdip.settings import Settings
from prevdip.web import create_app

pytestmark = pytest.mark.slow
NOW = "2026-05"  # the last month of the country-month series: past every event file of the bundle


@pytest.fixture(scope="module")
def reader(bundle_lake: dict[str, Any], bundle: Path) -> Iterator[TestClient]:
    settings = Settings(workspace=bundle_lake["workspace"], bundle=bundle, public_access="public")  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        yield client


def _coverage_line(page: str) -> str:
    found = re.search(r'<p class="coverage" data-coverage>(.*?)</p>', page, re.S)
    assert found is not None, "the page carries no coverage line"
    return html.unescape(found.group(1))


def test_the_current_month_says_what_it_covers_instead_of_zero(reader: TestClient) -> None:
    page = reader.get("/?lang=en")
    assert page.status_code == 200
    line = _coverage_line(page.text)
    assert "No data from UCDP GED (georeferenced events) after 2022-12: fetch newer UCDP data." in line
    assert "UCDP deaths by country and month 1989-01 to 2026-05" in line
    assert "prevdip fetch" not in page.text  # the command lives in the CLI and the docs, not on a page
    groups = re.search(r"<h2>The 5 priority groups</h2>.*?</table>", page.text, re.S)
    assert groups is not None  # the heading counts the groups it shows (issue 16: "three" over six rows)
    cells = re.findall(r'<td class="num">(.*?)</td>', groups.group(), re.S)
    assert cells and all("no data" in c for c in cells)  # never a bare 0 past every event source


def test_the_json_twins_carry_the_coverage_per_source(reader: TestClient) -> None:
    twin = reader.get("/.json").json()
    coverage = twin["coverage"]
    assert coverage["month"] == NOW and coverage["events_covered"] is False
    by_source = {s["source"]: s for s in coverage["sources"]}
    assert by_source["ucdp-ged"]["last_month"] == "2022-12" and by_source["ucdp-ged"]["kind"] == "events"
    assert by_source["ucdp-ged"]["countries"]["KGZ"]["last_month"] == "2010-06"  # Kyrgyzstan's newest GED event
    assert {g["source"]: g["remedy"] for g in coverage["ended"]}["ucdp-ged"] == "ucdp"
    country = reader.get("/countries/KGZ.json").json()["coverage"]
    assert set(next(s for s in country["sources"] if s["source"] == "ucdp-ged")["countries"]) == {"KGZ"}
    inside = reader.get("/.json?month=2022-09").json()["coverage"]
    assert inside["events_covered"] is True and "ucdp-ged" not in {g["source"] for g in inside["ended"]}
    brief = reader.get(f"/briefs/{NOW}.json").json()
    assert brief["coverage"]["ended"] == coverage["ended"]


def test_the_coverage_line_in_russian_and_in_the_brief(reader: TestClient) -> None:
    russian = _coverage_line(reader.get("/?lang=ru").text)
    assert "Данных UCDP GED (события с географической привязкой) после 2022-12 нет" in russian
    country = _coverage_line(reader.get(f"/countries/KGZ?month={NOW}&lang=en").text)
    assert "UCDP GED (georeferenced events) 1999-08 to 2010-06" in country  # Kyrgyzstan's own months
    brief = reader.get(f"/briefs/{NOW}?lang=en").text
    assert "No data from UCDP GED (georeferenced events) after 2022-12: fetch newer UCDP data." in html.unescape(brief)


def test_the_brief_page_has_the_site_navigation_a_pdf_button_and_fits_a_phone(reader: TestClient) -> None:
    page = reader.get(f"/briefs/{NOW}?lang=en").text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    nav = re.search(r'<nav class="site".*?</nav>', page, re.S)
    assert nav is not None
    assert {"/", "/events", "/forecasts", "/glossary"} <= set(re.findall(r'href="([^"?]+)"', nav.group()))
    assert f'href="/briefs/{NOW}.pdf?audience=public" download>Download as PDF</a>' in nav.group()
    assert "@media print { nav.site { display: none; } }" in page  # the printed brief has no navigation


def test_september_2022_files_warnings_by_their_driver(reader: TestClient) -> None:
    page = reader.get("/?month=2022-09&lang=en").text
    blocks = dict(re.findall(r"<h3>([^<]+)</h3>\s*<ul class=\"plain\">(.*?)</ul>", page, re.S))
    borders = blocks["Interstate borders: incidents, delimitation and demarcation"]
    for unit in ("KGZ-TJK", "KGZ", "TJK"):
        assert f">{unit}</a>" in borders
    assert "interstate conflict Kyrgyzstan – Tajikistan" in borders  # the dyad named
    assert ">AFG</a>" in blocks["Afghanistan: spill-over to the Central Asian borders"]
    internal = blocks.get("Internal stability: protest, unrest and its regional effects", "")
    assert not any(f">{unit}</a>" in internal for unit in ("KGZ", "TJK", "AFG"))
    twin = reader.get("/.json?month=2022-09").json()
    filed = {w["unit"]: w for w in twin["warnings"]["warnings"]}
    assert filed["KGZ"]["dyad"] == filed["TJK"]["dyad"] == "KGZ-TJK"
    assert filed["AFG"]["priority_groups"] == ["afghanistan_spillover"]


def test_the_stage_evidence_cites_the_newest_events_with_their_dates(reader: TestClient) -> None:
    """Issue 16 §1: on the current month the country page's evidence cites Kyrgyzstan's newest events the lake holds
    (June 2010 in GED), dated, after the sentence saying why they are older; in Russian too; the stage stands."""
    twin = reader.get(f"/countries/KGZ.json?month={NOW}").json()["signal"]
    assert twin["stage"] == "stable_peace"
    (why,) = [e for e in twin["evidence"] if e["kind"] == "coverage"]
    cited = [e for e in twin["evidence"] if e["kind"] == "event"]
    assert cited and all(e["date"].startswith(why["newest"]) for e in cited) and why["newest"] < NOW
    page = html.unescape(reader.get(f"/countries/KGZ?month={NOW}&lang=en").text)
    assert f"No event of this unit in {NOW} to cite: the newest the lake holds are from {why['newest']}." in page
    assert f"{cited[0]['date']}, " in page
    russian = html.unescape(reader.get(f"/countries/KGZ?month={NOW}&lang=ru").text)
    assert f"За {NOW} событий по этому объекту нет: самые свежие в хранилище относятся к {why['newest']}." in russian
