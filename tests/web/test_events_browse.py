"""``/events`` as an analyst works with it, on the real bundle's lake with an ACLED row and field reports beside it:
the home region by default, any country of the lake by name, multi-select categories and priority groups, three
orders, keyset pages without a cap, and what a government liaison may never see (an ACLED row, a centre-internal
field report).

The ACLED row is written in ACLED's own export layout (``tests/acled_files.py``: the bundle holds no ACLED rows);
the field reports in the field-report template of ``docs/events.md``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from acled_files import BATKEN_CLASH, acled_csv
from prevdip.events import ingest
from prevdip.geo import home_region
from prevdip.settings import Settings
from prevdip.web import create_app
from signing import copy_accounts, sign_in

INTERNAL = "Sappers laying mines at the Vorukh intake"
REPORTS = (
    "report_id,date,place,country,what_happened,category,reporter,confidence,sharing\n"
    f"FR-E-1,2022-09-16,Vorukh,TJK,{INTERNAL},border_incident,monitor Quillfeather,low,centre-internal\n"
    "FR-E-2,2022-09-13,Batken,KGZ,A convoy crossed near Batken,border_incident,monitor Amber,high,public\n"
)
HOME = set(home_region().iso3s)


@pytest.fixture(scope="module")
def lake(
    bundle_lake: dict[str, Any],
    bundle: Path,
    tmp_path_factory: pytest.TempPathFactory,
    pointing_at: Callable[[Path, Path], AbstractContextManager[Any]],
) -> Path:
    """The bundle's lake, with one ACLED row (the Batken clash) and two field reports ingested on top."""
    folder = tmp_path_factory.mktemp("events-browse")
    workspace = folder / "workspace"
    shutil.copytree(bundle_lake["workspace"], workspace)
    (folder / "acled.csv").write_text(acled_csv([BATKEN_CLASH]), encoding="utf-8")
    (folder / "reports.csv").write_text(REPORTS, encoding="utf-8")
    with pointing_at(workspace, bundle):
        assert ingest("acled", [folder / "acled.csv"]).accepted == 1
        assert ingest("field", [folder / "reports.csv"]).accepted == 2
    return workspace


@pytest.fixture(scope="module")
def readers(
    lake: Path, bundle: Path, accounts_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, TestClient]]:
    """An officer (the centre) and a government liaison, each signed in to a dashboard over :func:`lake`."""
    accounts = copy_accounts(accounts_template, tmp_path_factory.mktemp("events-accounts"))
    settings = Settings(workspace=lake, bundle=bundle, database_url=accounts, public_access="public")  # type: ignore[arg-type]
    clients = {name: TestClient(create_app(settings)).__enter__() for name in ("officer", "government")}
    yield {name: sign_in(client, name) for name, client in clients.items()}
    for client in clients.values():
        client.__exit__(None, None, None)


def _touches(event: dict[str, Any], countries: set[str]) -> bool:
    return bool({event["country_iso3"], event["actor1_country"], event["actor2_country"]} & countries)


def test_opens_on_central_asia_and_afghanistan(readers: dict[str, TestClient]) -> None:
    data = readers["officer"].get("/events.json").json()
    assert data["filters"]["region"] == "central-asia+afghanistan"
    events = data["results"]["events"]
    assert len(events) == 50 and all(_touches(e, HOME) for e in events)
    everything = readers["officer"].get("/events.json?region=world").json()["results"]["count"]
    assert 0 < data["results"]["count"] < everything  # the world is one choice away, not the default
    assert "Page" not in readers["officer"].get("/events").text  # no "Page 1 of 3689"


def test_any_country_of_the_lake_by_name(readers: dict[str, TestClient]) -> None:
    officer = readers["officer"]
    choices = {c["value"] for c in officer.get("/events.json").json()["choices"]["countries"]}
    assert {"MEX", "UKR", "AFG", "KGZ"} <= choices and len(choices) > 100  # the lake's countries, not 12
    data = officer.get("/events.json?country=Mexico&country=UKR").json()
    assert data["filters"]["countries"] == ["MEX", "UKR"] and data["filters"]["region"] is None
    assert data["results"]["count"] > 0 and all(_touches(e, {"MEX", "UKR"}) for e in data["results"]["events"])
    assert "Мексика" in officer.get("/events?country=Mexico&lang=ru").text  # named in the page's language


def test_categories_and_priority_groups_many_at_once(readers: dict[str, TestClient]) -> None:
    officer = readers["officer"]
    data = officer.get("/events.json?category=battle&category=water_conflict&region=neighbours").json()
    assert {e["category"] for e in data["results"]["events"]} <= {"battle", "water_conflict"}
    assert data["results"]["count"] > 0
    water = officer.get("/events.json?group=environment_water_energy").json()["results"]
    borders = officer.get("/events.json?group=border_disputes").json()["results"]
    both = officer.get("/events.json?group=environment_water_energy&group=border_disputes").json()["results"]
    assert 0 < water["count"] < both["count"] <= water["count"] + borders["count"]
    page = officer.get("/events?lang=ru").text
    assert "Пограничный инцидент" in page and "border_incident</option>" not in page  # names from the catalogue
    assert officer.get("/events.json?group=picnics").status_code == 422


@pytest.mark.parametrize("order", ["date", "deaths", "source"])
def test_keyset_pages_walk_the_whole_list_in_order(readers: dict[str, TestClient], order: str) -> None:
    officer = readers["officer"]
    url: str | None = f"/events.json?country=KGZ&sort={order}"
    seen: list[dict[str, Any]] = []
    pages = []
    while url:
        data = officer.get(url).json()
        pages.append(url)
        seen += data["results"]["events"]
        url = data["links"]["next"] and data["links"]["next"].replace("/events?", "/events.json?")
    count = data["results"]["count"]
    assert len(seen) == count == len({e["event_uid"] for e in seen}) and len(pages) > 2
    key = {
        "date": lambda e: e["date_start"],
        "deaths": lambda e: -1 if e["fatalities_best"] is None else e["fatalities_best"],
        "source": lambda e: e["source"],
    }[order]
    values = [key(e) for e in seen]
    assert values == sorted(values, reverse=order != "source")
    back = officer.get(pages[2]).json()["links"]["previous"].replace("/events?", "/events.json?")
    assert officer.get(back).json()["results"]["events"] == seen[50:100]  # previous walks back exactly


def test_deep_pages_are_answered_without_a_cap(readers: dict[str, TestClient]) -> None:
    officer = readers["officer"]
    deep = officer.get("/events.json?region=world&page=201").json()
    assert deep["first"] == 10_001 and len(deep["results"]["events"]) == 50
    assert officer.get("/events.json?region=world&page=3000").json()["first"] == 149_951
    assert officer.get("/events.json?after=zz~1").status_code == 422  # not a cursor the page made
    restarted = officer.get("/events.json?after=000000000000~5").json()
    assert restarted["restarted"] and restarted["first"] == 1


def test_a_government_liaison_never_sees_acled_rows_or_internal_reports(readers: dict[str, TestClient]) -> None:
    centre = readers["officer"].get("/events.json?country=KGZ&country=TJK&since=2022-09-01&until=2022-09-30").json()
    sources = {e["source"] for e in centre["results"]["events"]}
    assert {"acled", "field"} <= sources
    government = readers["government"]
    for url in (
        "/events.json?country=KGZ&country=TJK&since=2022-09-01&until=2022-09-30",
        "/events.json?source=acled",
        "/events.json?sort=deaths&since=2022-09-01&until=2022-09-30",
        "/events.json?category=border_incident&category=battle&since=2022-09-01",
    ):
        events = government.get(url).json()["results"]["events"]
        assert all(e["source"] != "acled" and e["sharing"] != "centre-internal" for e in events), url
    assert INTERNAL not in government.get("/events?source=field").text
    assert INTERNAL in readers["officer"].get("/events?source=field").text
