"""Every page in process: HTML, its ``.json`` twin and JSON by Accept agree; no page names an outside host."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from test_web_offline import LINKS, outside_references

from prevdip.briefs.locale import strings
from prevdip.briefs.locale.terms import readable
from prevdip.settings import Settings
from prevdip.web import create_app

PAGES = [
    "/",
    "/countries/KGZ",
    "/countries/TJK",
    "/dyads/KGZ-TJK",
    "/dyads/AFG-TJK",
    "/events",
    "/forecasts",
    "/backtests",
    "/gmcr",
    "/water",
    "/water?basin=amu-darya&year=dry",
    "/water?basin=amu-darya&with=qosh_tepa",
    "/water/deal",
]


def _twin(url: str) -> str:
    path, _, query = url.partition("?")
    path = "/index.json" if path == "/" else f"{path}.json"
    return f"{path}?{query}" if query else path


@pytest.mark.parametrize("url", PAGES)
def test_page_html_and_json_twins_agree(client: TestClient, url: str) -> None:
    html = client.get(url)
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    assert "<h1>" in html.text
    by_suffix = client.get(_twin(url))
    by_accept = client.get(url, headers={"Accept": "application/json"})
    assert by_suffix.status_code == by_accept.status_code == 200
    assert by_suffix.headers["content-type"] == "application/json"
    assert by_suffix.json() == by_accept.json()
    assert f'href="{_twin(url).replace("&", "&amp;")}"' in html.text  # the page links its JSON twin


def test_root_twin_also_at_dot_json(client: TestClient) -> None:
    assert client.get("/.json").json()["region"] == "central-asia+afghanistan"


def test_browser_accept_header_gets_html(client: TestClient) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert client.get("/", headers={"Accept": accept}).headers["content-type"].startswith("text/html")
    lower = client.get("/", headers={"Accept": "text/html;q=0.5, application/json"})
    assert lower.headers["content-type"] == "application/json"


def test_overview_lists_the_region_and_says_what_is_missing(client: TestClient) -> None:
    data = client.get("/index.json").json()
    assert [c["unit"] for c in data["countries"]] == ["KAZ", "KGZ", "TJK", "TKM", "UZB", "AFG"]
    assert {"KGZ-TJK", "AFG-TJK", "KAZ-UZB"} <= {d["unit"] for d in data["dyads"]}
    for part in ("stages", "forecast", "warnings", "priority_groups"):
        section = data[part]
        assert section["available"] in (True, False)
        if not section["available"]:
            assert section["reason"], part  # a missing capability is named, never left blank
    page = client.get("/").text
    assert 'data-chart="chart-region-map"' in page
    if not data["stages"]["available"]:  # said in the reader's words: no command line or server path (issue 16)
        said = readable(data["stages"]["reason"], strings("en"))
        assert said and said in page.replace("&#39;", "'") and "`" not in said


def test_overview_month_is_honoured(client: TestClient) -> None:
    assert client.get("/index.json?month=2022-09").json()["month"] == "2022-09"
    assert client.get("/countries/KGZ.json?month=2022-09").json()["month"] == "2022-09"


def test_country_page_resolves_any_code(client: TestClient) -> None:
    for code in ("KGZ", "kgz", "KG", "Kyrgyzstan"):
        data = client.get(f"/countries/{code}.json").json()
        assert data["country"]["iso3"] == "KGZ"
        assert "KGZ-TJK" in data["dyads"]


def test_dyad_in_either_order(client: TestClient) -> None:
    assert client.get("/dyads/TJK-KGZ.json").json()["unit"] == "KGZ-TJK"


@pytest.mark.parametrize(
    ("lang", "heading", "link"),
    [("en", "Border dyad Kyrgyzstan – Tajikistan", ">Tajikistan</a>"), ("ru", "Кыргызстан", ">Таджикистан</a>")],
)
def test_a_dyad_page_names_its_countries_in_the_readers_language(
    client: TestClient, lang: str, heading: str, link: str
) -> None:
    page = client.get(f"/dyads/KGZ-TJK?lang={lang}").text
    title = page[page.index("<h1>") : page.index("</h1>")]
    assert heading in title and "KGZ" not in title and link in page


def test_water_page_offers_both_basins(client: TestClient) -> None:
    data = client.get("/water.json?basin=amu-darya").json()
    assert data["basin"] == "amu-darya" and data["basins"] == ["syr-darya", "amu-darya"]
    page = client.get("/water?basin=amu-darya").text
    assert 'data-chart="chart-basin-map"' in page
    assert data["deal_url"] == "/water/deal?basin=amu-darya"
    assert 'hx-get="/water/deal?basin=amu-darya"' in page  # the deal is loaded into the page once it is shown
    deal = client.get("/water/deal.json?basin=syr-darya").json()
    assert deal["basin"] == "syr-darya" and deal["deal"]["available"] in (True, False)


def test_water_page_builds_the_qosh_tepa_canal_with_units_and_water_values(
    client: TestClient, web_settings: Settings
) -> None:
    data = client.get("/water.json?basin=amu-darya&with=qosh_tepa").json()
    assert data["planned"] == ["qosh_tepa"] and data["planned_options"]["qosh_tepa"] == "Qosh Tepa canal"
    assert data["deal_url"] == "/water/deal?basin=amu-darya&with=qosh_tepa"
    runs = data["scenarios"]["runs"]
    for run in runs.values():
        assert run["planned"] == ["qosh_tepa"] and len(run["water_values"]["aral_delta"]) == 12
        assert run["planned_effect_by_year"]["dry"]["diverted_km3"]["qosh_tepa"] > 5.0
    page = client.get("/water?basin=amu-darya&with=qosh_tepa").text
    assert 'id="planned-effect"' in page and 'id="water-values"' in page
    assert '<option value="qosh_tepa" selected>Qosh Tepa canal</option>' in page
    for unit in ("million US$ per year", "km³ per year", "GWh per year", "US$ per m³"):
        assert unit in page
    assert "Nurek" in page and "Amu Darya delta and South Aral" in page  # places by name, not by code
    with TestClient(create_app(web_settings)) as reader:  # its own language cookie, not the shared client's
        russian = reader.get("/water?basin=amu-darya&with=qosh_tepa&lang=ru").text
    assert "долл. США за м³" in russian and "км³ в год" in russian


def test_water_deal_page_takes_the_canal(client: TestClient) -> None:
    deal = client.get("/water/deal.json?basin=amu-darya&with=qosh_tepa").json()
    assert deal["planned"] == ["qosh_tepa"] and deal["deal"]["available"] in (True, False)
    if deal["deal"]["available"]:
        assert deal["deal"]["planned"] == ["qosh_tepa"] and deal["deal"]["coalition_values"]["AFG"] > 1000.0
    page = client.get("/water/deal?basin=amu-darya&with=qosh_tepa").text
    assert "million US$ per year" in page and 'href="/water?basin=amu-darya&amp;with=qosh_tepa"' in page


def test_an_unknown_planned_facility_is_refused_with_the_choices(client: TestClient) -> None:
    for url in ("/water?basin=amu-darya&with=three_gorges", "/water/deal?basin=syr-darya&with=rogun"):
        body = client.get(url, headers={"Accept": "application/json"})
        assert body.status_code == 422
        assert "unknown planned facility" in body.json()["error"]["message"]
        assert "choose from" in body.json()["error"]["hint"]


def test_events_filters_echoed_and_paged(client: TestClient) -> None:
    data = client.get("/events.json?country=tj&category=border_incident&since=2022-01-01").json()
    assert data["filters"]["countries"] == ["TJK"]
    assert data["filters"]["categories"] == ["border_incident"]
    assert data["filters"]["since"] == "2022-01-01"
    assert data["links"]["previous"] is None
    assert "border_incident" in data["categories"]


@pytest.mark.parametrize(
    ("url", "needle"),
    [
        ("/countries/FRA", "unknown country"),
        ("/countries/XYZ", "unknown country"),
        ("/dyads/KGZ-FRA", "unknown country"),
        ("/dyads/KAZ-AFG", "not a border dyad"),
        ("/?month=2022-13", "unknown month"),
        ("/?month=1960-01", "no data for month"),
        ("/countries/KGZ?month=2999-01", "no data for month"),
        ("/water?basin=nile", "unknown basin"),
        ("/water/deal?basin=nile", "unknown basin"),
        ("/no/such/page", "Not found"),
    ],
)
def test_unknown_things_are_404_page_and_json_error(client: TestClient, url: str, needle: str) -> None:
    page = client.get(url)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert needle in page.text.replace("&#39;", "'")
    body = client.get(url, headers={"Accept": "application/json"})
    assert body.status_code == 404
    error = body.json()["error"]
    assert error["status"] == 404 and needle in error["message"]


def test_bad_event_filters_are_refused_with_a_reason(client: TestClient) -> None:
    for url, needle in [
        ("/events.json?category=picnic", "unknown category"),
        ("/events.json?since=yesterday", "not a date"),
        ("/events.json?page=0", "page"),
        ("/events.json?after=drop%20table", "bad cursor"),
        ("/events.json?sort=mood", "unknown sort order"),
    ]:
        answer = client.get(url)
        assert answer.status_code == 422, url
        assert needle in answer.json()["error"]["message"] + (answer.json()["error"]["hint"] or "")
    assert client.get("/events.json?country=Atlantis").status_code == 404
    assert client.get("/events.json?page=100000").status_code == 200  # no page cap (issue 16)


def test_openapi_documents_every_json_twin(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path in (
        "/index.json",
        "/countries/{iso3}.json",
        "/dyads/{a}-{b}.json",
        "/events.json",
        "/forecasts.json",
        "/backtests.json",
        "/gmcr.json",
        "/water.json",
        "/water/deal.json",
    ):
        assert path in schema["paths"], path
    components = schema["components"]["schemas"]
    assert {"Overview", "Unit", "StagesSection", "Events", "Water"} <= set(components)
    # the JSON twins' shapes are documented, not left open: a unit-month's evidence, a warning's reasons
    assert "EarlyWarning" in components and "RuleEvidence" in components
    assert all(model.get("additionalProperties") is not True for model in components.values())


def test_api_docs_use_vendored_swagger(client: TestClient) -> None:
    page = client.get("/api/docs").text
    assert "/static/vendor/swagger-ui-bundle-5.35.0.js" in page
    assert "/static/vendor/swagger-ui-5.35.0.css" in page
    assert client.get("/static/vendor/swagger-ui-bundle-5.35.0.js").status_code == 200


@pytest.mark.parametrize("url", [*PAGES, "/api/docs", "/countries/XYZ"])
def test_pages_name_no_outside_host(client: TestClient, url: str) -> None:
    page = client.get(url).text
    assert outside_references(page) == []
    for link in LINKS.findall(page):
        assert link.startswith(("/", "#", "?")), link
        if link.startswith("/static/"):
            assert client.get(link).status_code == 200, link


def test_monthly_brief_as_html_pdf_and_json(client: TestClient) -> None:
    data = client.get("/briefs/2022-09.json").json()
    assert data["month"] == "2022-09" and {"stages", "warnings", "water_outlook", "changes"} <= set(data)
    assert client.get("/briefs/2022-09", headers={"Accept": "application/json"}).json()["month"] == "2022-09"
    html = client.get("/briefs/2022-09")
    assert html.headers["content-type"].startswith("text/html")
    assert "Monthly situation brief — 2022-09" in html.text and "<svg" in html.text
    assert outside_references(html.text) == []
    pdf = client.get("/briefs/2022-09.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert 'href="/briefs/2022-09.pdf"' in client.get("/?month=2022-09").text
    for bad in ("/briefs/2022-13", "/briefs/2999-01.pdf", "/briefs/1900-01.json"):
        assert client.get(bad).status_code == 404, bad
