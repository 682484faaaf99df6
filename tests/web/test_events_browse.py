"""``/events`` as an analyst works with it, on the real bundle's lake with an ACLED row and field reports beside it:
the home region by default, any country of the lake by name, multi-select categories and priority groups, three
orders, keyset pages without a cap, and what a government liaison may never see (an ACLED row, a centre-internal
field report).

The ACLED row is written in ACLED's own export layout (``tests/acled_files.py``: the bundle holds no ACLED rows);
the field reports in the field-report template of ``docs/events.md``.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from acled_files import BATKEN_CLASH, acled_csv
from prevdip.events import EVENT_SCHEMA, ingest
from prevdip.geo import home_region
from prevdip.settings import Settings, get_settings
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
def dashboard(
    bundle_lake: dict[str, Any],
    bundle: Path,
    accounts_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    pointing_at: Callable[[Path, Path], AbstractContextManager[pytest.MonkeyPatch]],
) -> Settings:
    """The bundle's lake with two ACLED rows (the Batken clash, and a second clash ACLED has since deleted) and two
    field reports ingested on top, their runs recorded in the dashboard's own system of record."""
    folder = tmp_path_factory.mktemp("events-browse")
    workspace = folder / "workspace"
    shutil.copytree(bundle_lake["workspace"], workspace)
    accounts = copy_accounts(accounts_template, folder / "accounts")
    second = BATKEN_CLASH | {"event_id_cnty": "KGZ3002", "notes": "A second clash."}
    (folder / "acled.csv").write_text(acled_csv([BATKEN_CLASH, second]), encoding="utf-8")
    (folder / "deleted.csv").write_text("event_id_cnty,deleted_timestamp\nKGZ3002,1675000000\n", encoding="utf-8")
    (folder / "reports.csv").write_text(REPORTS, encoding="utf-8")
    with pointing_at(workspace, bundle) as env:
        env.setenv("PREVDIP_DATABASE_URL", accounts)
        get_settings.cache_clear()
        assert ingest("acled", [folder / "acled.csv"]).accepted == 2
        assert ingest("field", [folder / "reports.csv"]).accepted == 2
        assert ingest("acled-deleted", [folder / "deleted.csv"]).accepted == 1
    get_settings.cache_clear()
    return Settings(workspace=workspace, bundle=bundle, database_url=accounts, public_access="public")  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def readers(dashboard: Settings) -> Iterator[dict[str, TestClient]]:
    """An officer (the centre), a government liaison and an administrator, each signed in to the dashboard."""
    clients = {name: TestClient(create_app(dashboard)).__enter__() for name in ("officer", "government", "admin")}
    yield {name: sign_in(client, name) for name, client in clients.items()}
    for client in clients.values():
        client.__exit__(None, None, None)


def _uid(client: TestClient, query: str) -> str:
    events = client.get(f"/events.json?{query}").json()["results"]["events"]
    assert len(events) == 1, query
    return str(events[0]["event_uid"])


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
    beyond = officer.get("/events.json?region=world&page=9000").json()  # past the last page: an empty page
    assert beyond["results"]["available"] and beyond["results"]["events"] == [] and beyond["results"]["count"] > 0
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


def test_an_event_page_shows_every_field_and_where_the_row_came_from(
    readers: dict[str, TestClient], dashboard: Settings
) -> None:
    officer = readers["officer"]
    uid = _uid(officer, "source=acled")  # the deleted second clash is in no list
    data = officer.get(f"/events/{uid}.json").json()
    assert set(data["event"]) >= {"event_uid", "source_event_id", "latitude", "attributes", "ingest_run_id", "deleted"}
    assert data["event"]["source_event_id"] == "KGZ3001" and data["latest"] and not data["deleted"]
    provenance = data["provenance"]
    assert provenance["file"] == "acled.csv" and provenance["missing"] is None
    lines = (Path(dashboard.workspace).parent / "acled.csv").read_text(encoding="utf-8").splitlines()
    assert lines[provenance["line"] - 1].startswith("KGZ3001,")  # the line it names holds the row
    assert provenance["raw"]["notes"] == BATKEN_CLASH["notes"] and provenance["run"]["source"] == "acled"
    assert provenance["run"]["id"] == data["event"]["ingest_run_id"]
    page = officer.get(f"/events/{uid}").text
    assert "acled.csv" in page and "Kok-Tash" in page and "attributes.assoc_actor_1" in page


def test_a_deleted_event_says_so_and_a_bundle_event_names_its_missing_run(readers: dict[str, TestClient]) -> None:
    officer = readers["officer"]
    centre = officer.get("/events.json?source=acled&sort=source").json()["results"]["events"]
    assert [e["source_event_id"] for e in centre] == ["KGZ3001"]
    import duckdb

    from prevdip.events.manifest import lake_state

    files = [str(f) for f in lake_state(Path(officer.app.state.settings.workspace)).event_files("acled")]  # type: ignore[attr-defined]
    first = (
        duckdb.connect()
        .execute(
            f"select event_uid from read_parquet({files}, union_by_name=true) where source_event_id = 'KGZ3002' "
            "and not coalesce(deleted, false)"
        )
        .fetchone()
    )
    assert first is not None
    gone = officer.get(f"/events/{first[0]}.json").json()
    assert gone["deleted"] and not gone["latest"] and len(gone["versions"]) == 2
    assert "deleted or retracted" in officer.get(f"/events/{first[0]}?lang=en").text
    ucdp = officer.get("/events.json?source=ucdp-ged").json()["results"]["events"][0]["event_uid"]
    missing = officer.get(f"/events/{ucdp}.json").json()["provenance"]
    assert not missing.get("raw") and "not in this system of record" in missing["missing"]


def test_a_government_liaison_cannot_open_an_acled_row_or_an_internal_report(readers: dict[str, TestClient]) -> None:
    officer, government = readers["officer"], readers["government"]
    acled = _uid(officer, "source=acled")
    internal = _uid(officer, "source=field&country=TJK")
    public = _uid(officer, "source=field&country=KGZ")
    for uid in (acled, internal):
        for url in (f"/events/{uid}", f"/events/{uid}.json"):
            answer = government.get(url)
            assert answer.status_code == 404 and INTERNAL not in answer.text and "Kok-Tash" not in answer.text
    shown = government.get(f"/events/{public}.json").json()
    assert shown["provenance"]["line"] == 3 and "reporter" not in shown["event"]
    assert officer.get(f"/events/{internal}.json").json()["event"]["description"] == INTERNAL


FILTER = "country=KGZ&country=TJK&category=battle&category=border_incident&since=1995-01-01&sort=deaths"


def _csv_rows(answer: Any) -> list[dict[str, str]]:
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(answer.text)))


def test_the_csv_export_round_trips_the_filter(readers: dict[str, TestClient]) -> None:
    officer = readers["officer"]
    rows = _csv_rows(officer.get(f"/events.csv?{FILTER}"))
    assert len(rows) == officer.get(f"/events.json?{FILTER}").json()["results"]["count"] > 50  # all, not one page
    for row in rows:  # every row read back matches the filter it was exported under
        assert {row["country_iso3"], row["actor1_country"], row["actor2_country"]} & {"KGZ", "TJK"}
        assert row["category"] in {"battle", "border_incident"} and row["date_start"] >= "1995-01-01"
    deaths = [int(r["fatalities_best"]) if r["fatalities_best"] else -1 for r in rows]
    assert deaths == sorted(deaths, reverse=True)
    assert list(rows[0]) == list(EVENT_SCHEMA.names)
    assert {r["source"] for r in rows} >= {"acled", "field", "ucdp-ged"}  # the centre's own file holds them all
    assert json.loads(next(r for r in rows if r["source"] == "acled")["attributes"])["assoc_actor_1"]


def test_exports_keep_acled_rows_and_internal_reports_in_the_centre(readers: dict[str, TestClient]) -> None:
    government = readers["government"]
    rows = _csv_rows(government.get(f"/events.csv?{FILTER}"))
    assert rows and all(r["source"] != "acled" and r["sharing"] != "centre-internal" for r in rows)
    assert INTERNAL not in government.get("/events.csv?source=field").text
    answer = government.get(f"/events.parquet?{FILTER}")
    table = pq.read_table(io.BytesIO(answer.content))
    assert table.schema.names == EVENT_SCHEMA.names and table.num_rows == len(rows)
    assert set(table["source"].to_pylist()).isdisjoint({"acled"})
    assert set(table["sharing"].to_pylist()).isdisjoint({"centre-internal"})
    assert table.schema.metadata[b"prevdip.filter"].decode().startswith("/events?")
    readers["government"].app.state.trail.flush()  # type: ignore[attr-defined]
    log = readers["admin"].get("/admin/audit.json?user=government").json()["entries"]
    exports = {e["what"]: e["after"] for e in log if e["what"].startswith("export:/events")}
    assert exports["export:/events.parquet"]["query"] == FILTER
    assert exports["export:/events.parquet"]["audience"] == "governments"


def _map_marks(page: str) -> tuple[list[dict[str, Any]], int]:
    """The marks of the events map's spec, as the page embeds it for the vendored Vega, and the events its title
    says carry no place."""
    assert 'data-chart="chart-events-map"' in page, page[page.find("<main") :][:1500]
    holder = page.split('data-chart="chart-events-map">', 1)[1].split("</script>", 1)[0]
    spec = json.loads(html.unescape(holder))
    circles = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "circle")
    marks = (circles.get("data") or spec["data"])["values"]  # a map without outlines has its one layer's data on top
    unplaced = re.search(r"\(([\d,]+) without a place", json.dumps(spec["title"]))
    return marks, int(unplaced.group(1).replace(",", "")) if unplaced else 0


def test_the_map_holds_every_filtered_event_clustered_where_dense(readers: dict[str, TestClient]) -> None:
    officer = readers["officer"]
    queries = ("", "country=AFG&sort=deaths", "group=border_disputes", "region=world&category=battle&since=2020-01-01")
    for query in queries:
        marks, unplaced = _map_marks(officer.get(f"/events?{query}&lang=en").text)
        count = officer.get(f"/events.json?{query}").json()["results"]["count"]
        assert sum(m["events"] for m in marks) + unplaced == count, query  # all the filter finds, not the page's 50
    home, _ = _map_marks(officer.get("/events").text)
    assert max(m["events"] for m in home) > 100 and min(m["events"] for m in home) == 1  # dense places merge
    dyad = officer.get("/events?dyad=KGZ-TJK&lang=en").text
    assert "chart-events-map" not in dyad and "the map follows countries" in dyad


def test_a_page_of_events_is_answered_on_the_listings_threads_and_a_dyads_among_the_others(
    readers: dict[str, TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages take their turn on the listing's two threads (many at once on the server's forty fought over the
    interpreter: docs/events.md); a dyad's page reads the lake for seconds, so it keeps off them."""
    from prevdip.web.services import events as service

    answered_on: dict[str, str] = {}
    page = service.events_page

    def watched(query: service.EventQuery, **where: Any) -> Any:
        answered_on[query.filters.dyad or "region"] = threading.current_thread().name
        return page(query, **where)

    monkeypatch.setattr(service, "events_page", watched)
    officer = readers["officer"]
    assert officer.get("/events.json").status_code == 200
    assert officer.get("/events.json?dyad=KGZ-TJK").status_code == 200
    assert answered_on["region"].startswith("prevdip-listing")
    assert not answered_on["KGZ-TJK"].startswith("prevdip-listing")
