"""The dashboard shows an officer everything but marks centre-internal reports; ``?audience=`` narrows events and
briefs as the brief does; an unknown audience is a 422."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from prevdip.events import ingest
from prevdip.settings import Settings
from prevdip.web import create_app

INTERNAL = "Sappers seen at the Vorukh intake by Quillfeather"
CSV = (
    "report_id,date,place,country,what_happened,category,reporter,confidence,sharing\n"
    f"FR-W-1,2022-09-16,Vorukh,TJK,{INTERNAL},border_incident,monitor Corvina,low,centre-internal\n"
    "FR-W-2,2022-09-15,Isfara,TJK,Talks at the Isfara post,border_incident,monitor Birch,high,governments\n"
    "FR-W-3,2022-09-14,Batken,KGZ,A convoy crossed near Batken,border_incident,monitor Amber,high,public\n"
)
BADGE = 'class="badge-internal"'


@pytest.fixture(scope="module")
def tiered_client(
    tmp_path_factory: pytest.TempPathFactory,
    bundle: Path,
    series_lake: Path,
    pointing_at: Callable[[Path, Path], AbstractContextManager[Any]],
    accounts_template: Path,
) -> Iterator[TestClient]:
    """The dashboard over a lake of three field reports (a CSV file, one per tier), ingested for real beside the
    bundle's series, read by an officer."""
    from signing import copy_accounts, sign_in

    folder = tmp_path_factory.mktemp("web-tiers")
    shutil.copytree(series_lake, folder / "workspace")
    reports = folder / "reports.csv"
    reports.write_text(CSV, encoding="utf-8")
    accounts = copy_accounts(accounts_template, folder / "accounts")
    with pointing_at(folder / "workspace", bundle):
        assert ingest("field", [reports]).accepted == 3
        settings = Settings(workspace=folder / "workspace", bundle=bundle, database_url=accounts)  # type: ignore[arg-type]
        with TestClient(create_app(settings)) as client:
            yield sign_in(client, "officer")


def _ids(client: TestClient, query: str = "") -> dict[str, str]:
    answer = client.get(f"/events.json{query}")
    assert answer.status_code == 200
    return {e["source_event_id"]: e["sharing"] for e in answer.json()["results"]["events"]}


def test_events_json_carries_the_tier_and_filters_by_audience(tiered_client: TestClient) -> None:
    assert _ids(tiered_client) == {"FR-W-1": "centre-internal", "FR-W-2": "governments", "FR-W-3": "public"}
    assert _ids(tiered_client, "?audience=centre") == _ids(tiered_client)
    assert _ids(tiered_client, "?audience=governments") == {"FR-W-2": "governments", "FR-W-3": "public"}
    assert _ids(tiered_client, "?audience=public&country=KGZ") == {"FR-W-3": "public"}


def test_events_page_marks_centre_internal_reports(tiered_client: TestClient) -> None:
    page = tiered_client.get("/events").text
    assert page.count(BADGE) == 1 and INTERNAL in page
    shown = tiered_client.get("/events?audience=governments").text
    assert BADGE not in shown and INTERNAL not in shown and "Talks at the Isfara post" in shown
    assert '<option value="governments" selected>' in shown  # the filter stays chosen


def test_country_page_marks_internal_evidence_and_notable_events(tiered_client: TestClient) -> None:
    page = tiered_client.get("/countries/TJK?month=2022-09")
    assert page.status_code == 200
    assert page.text.count(BADGE) == 2  # once among the stage's evidence, once among the notable events
    quoted = tiered_client.get("/countries/TJK.json?month=2022-09")
    evidence = [e for e in quoted.json()["signal"]["evidence"] if e["kind"] == "event"]
    assert {e.get("sharing") for e in evidence} == {"centre-internal", "governments"}


@pytest.mark.slow
def test_brief_routes_default_to_the_governments(tiered_client: TestClient) -> None:
    ministers = tiered_client.get("/briefs/2022-09.json").json()
    assert ministers["audience"] == "governments"
    assert INTERNAL not in str(ministers) and "Talks at the Isfara post" in str(ministers)
    html = tiered_client.get("/briefs/2022-09").text
    assert INTERNAL not in html and "Corvina" not in html
    centre = tiered_client.get("/briefs/2022-09?audience=centre").text
    assert INTERNAL in centre and "monitor Corvina" in centre
    public = tiered_client.get("/briefs/2022-09.json?audience=public").json()
    assert [r["location"] for r in public["field_reports"]["reports"]] == ["Batken"]


@pytest.mark.parametrize(
    "url", ["/events?audience=ministers", "/events.json?audience=ministers", "/briefs/2022-09.json?audience=press"]
)
def test_unknown_audience_is_a_422(tiered_client: TestClient, url: str) -> None:
    answer = tiered_client.get(url, headers={"Accept": "application/json"})
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert (
        "unknown audience" in error["message"] and error["hint"] == "use one of: centre, governments, partners, public"
    )  # partners: issue 12
