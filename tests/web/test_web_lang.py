"""The dashboard in Russian: ``?lang=ru`` on any page over the ingested bundle, the EN/RU switch, the choice kept for
the next pages, the JSON twins unchanged, and an unknown language refused."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from prevdip.briefs.locale import strings
from prevdip.settings import Settings
from prevdip.web import create_app

MONTH = "2022-09"


@pytest.fixture(scope="module")
def lake_app(bundle_lake: dict[str, Any], bundle: Path) -> Settings:
    return Settings(workspace=bundle_lake["workspace"], bundle=bundle, public_access="public")  # read as a visitor


@pytest.fixture
def reader(lake_app: Settings) -> Iterator[TestClient]:
    """A reader of its own (the language cookie must not leak into the session's shared client)."""
    with TestClient(create_app(lake_app)) as test_client:
        yield test_client


def _english_left(html: str) -> list[str]:
    """English catalogue strings that appear as the whole text of an element although Russian words them
    differently."""
    english, russian = strings("en"), strings("ru")
    return [
        text
        for section, keys in english.items()
        for key, text in keys.items()
        if "{" not in text and text != russian[section][key] and f">{text}<" in html
    ]


def _headings(html: str) -> list[str]:
    return re.findall(r"<h[12][^>]*>([^<]+)</h[12]>", html)


def test_region_and_country_pages_in_russian(reader: TestClient) -> None:
    region = reader.get(f"/?month={MONTH}&lang=ru")
    assert region.status_code == 200 and '<html lang="ru">' in region.text
    assert region.headers["content-language"] == "ru"
    assert "Регион в этом месяце" in _headings(region.text) and "Пары сопредельных государств" in _headings(region.text)
    assert ">миротворчество<" in region.text and ">война<" in region.text  # KGZ-TJK in September 2022
    assert _english_left(region.text) == []
    country = reader.get(f"/countries/KGZ?month={MONTH}&lang=ru")
    assert country.status_code == 200 and '<html lang="ru">' in country.text
    assert {"История стадий", "Прогноз с интервалами"} <= set(re.findall(r">([^<>]+)</h2>", country.text))
    assert _english_left(country.text) == []
    switch = re.search(r'<nav class="langs".*?</nav>', country.text, re.S)
    assert switch is not None  # the switch keeps the path and the query, and says which language is on
    assert f'href="/countries/KGZ?month={MONTH}&amp;lang=en"' in switch.group()
    assert re.search(r'href="[^"]*lang=ru"[^>]*aria-current="true"', switch.group())


def test_the_choice_is_kept_and_english_stays_english(reader: TestClient, lake_app: Settings) -> None:
    reader.get(f"/?month={MONTH}&lang=ru")
    assert "События" in _headings(reader.get("/events?country=KGZ").text)  # a link followed without ?lang=
    assert "Events" in _headings(reader.get("/events?country=KGZ&lang=en").text)  # switched back, and kept
    assert "Events" in _headings(reader.get("/events?country=KGZ").text)
    with TestClient(create_app(lake_app)) as newcomer:  # the cached Russian page is not handed to anyone else
        english = newcomer.get(f"/?month={MONTH}")
    assert '<html lang="en">' in english.text and "The region this month" in _headings(english.text)
    assert "Регион" not in english.text and "The region this month" in _english_left(english.text)


def test_json_twins_are_the_same_in_every_language(reader: TestClient) -> None:
    english = reader.get(f"/countries/KGZ.json?month={MONTH}")
    russian = reader.get(f"/countries/KGZ.json?month={MONTH}&lang=ru")
    assert russian.status_code == 200 and russian.json() == english.json()


def test_the_brief_in_russian(reader: TestClient) -> None:
    brief = reader.get(f"/briefs/{MONTH}?lang=ru")
    assert brief.status_code == 200 and '<html lang="ru">' in brief.text
    assert f"Ежемесячная ситуационная справка — {MONTH}" in brief.text and "Monthly situation brief" not in brief.text


def test_an_unknown_language_is_refused_naming_the_known_ones(client: TestClient) -> None:
    for path in ("/", "/index.json", "/events", f"/briefs/{MONTH}"):
        answer = client.get(f"{path}?lang=de", headers={"Accept": "application/json"})
        assert answer.status_code == 422, path
        assert answer.json()["error"] == {
            "status": 422,
            "message": "unknown language 'de'",
            "hint": "allowed values: en, ru",
        }
    page = client.get("/?lang=de")
    assert page.status_code == 422 and '<html lang="en">' in page.text and "allowed values: en, ru" in page.text


def test_agenda_warnings_and_names_in_russian(reader: TestClient) -> None:
    region = reader.get(f"/?month={MONTH}&lang=ru").text
    assert "<h3>Межгосударственные границы: инциденты, делимитация и демаркация</h3>" in region
    assert "стадия «война» (правило W1); ухудшение по сравнению с прошлым месяцем" in region
    assert '>Кыргызстан – Таджикистан</a> <span class="code">KGZ-TJK</span>' in region
    assert '>Афганистан</a> <span class="code">AFG</span>' in region
    english_left = ["Interstate borders:", "Internal stability:", "stage war", "deteriorated since last month"]
    english_left += ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan", "Afghanistan"]
    assert [text for text in english_left if text in region] == []  # the region map's tooltips too
    country = reader.get(f"/countries/KGZ?month={MONTH}&lang=ru").text
    assert '<h1>Кыргызстан <span class="code">KGZ</span></h1>' in country and "<title>Кыргызстан —" in country
    dyad = reader.get(f"/dyads/KGZ-TJK?month={MONTH}&lang=ru").text
    assert '<p class="lead">Кыргызстан – Таджикистан —' in dyad
    english = reader.get(f"/?month={MONTH}&lang=en").text  # English words them as the domain does
    assert "<h3>Interstate borders: incidents, delimitation and demarcation</h3>" in english
    assert "stage war (rule W1); deteriorated since last month" in english
    assert '>Kyrgyzstan – Tajikistan</a> <span class="code">KGZ-TJK</span>' in english


def _chart(html: str, chart: str) -> str:
    found = re.search(rf'<script type="application/json" data-chart="chart-{chart}">(.*?)</script>', html, re.S)
    assert found is not None, chart
    return found.group(1)


def test_map_legend_and_chart_titles_in_russian(reader: TestClient) -> None:
    region_map = _chart(reader.get(f"/?month={MONTH}&lang=ru").text, "region-map")
    assert '"title":"Стадия"' in region_map and '"война"' in region_map and '"прочный мир"' in region_map
    assert '"Кыргызстан"' in region_map and "durable peace" not in region_map and '"Stage"' not in region_map
    country = reader.get(f"/countries/KGZ?month={MONTH}&lang=ru").text
    assert '"Местоположение: Кыргызстан"' in _chart(country, "locator")
    history = _chart(country, "stage-history")
    assert '"История стадий"' in history and '"война"' in history and '"war"' not in history
    by_group = _chart(country, "events-by-group")
    assert "Межгосударственные пограничные споры" in by_group and "Interstate border disputes" not in by_group
    english = _chart(reader.get(f"/countries/KGZ?month={MONTH}&lang=en").text, "stage-history")
    assert '"Stage history"' in english and '"war"' in english
    basin = _chart(reader.get("/water?basin=amu-darya&lang=ru").text, "basin-map")
    assert '"Таджикистан"' in basin and '"Tajikistan"' not in basin
