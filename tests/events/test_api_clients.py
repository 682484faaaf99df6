"""The UCDP and ACLED API clients, on recorded responses (never the network): pages, auth headers, retries."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx

from prevdip.errors import RefusedInput
from prevdip.events import ingest, query_events
from prevdip.events.connectors.acled_api import AcledApi
from prevdip.events.connectors.ucdp_api import UcdpApi

DATA = Path(__file__).parent / "data"


def _recorded(name: str) -> httpx.Response:
    return httpx.Response(200, json=json.loads((DATA / name).read_text(encoding="utf-8")))


@respx.mock
def test_ucdp_api_pages_token_and_retry(workspace: Path, tmp_path: Path) -> None:
    base = "https://ucdpapi.pcr.uu.se/api/gedevents/25.1"
    first = respx.get(base, params={"page": "0"}).mock(
        side_effect=[httpx.Response(503), _recorded("ucdp_gedevents_25.1_page0.json")]
    )
    second = respx.get(base, params={"page": "1"}).mock(return_value=_recorded("ucdp_gedevents_25.1_page1.json"))
    api = UcdpApi(token="secret-token")
    path = api.download_ged("25.1", tmp_path, {"Country": "702,703"})
    assert first.call_count == 2  # the 503 was retried
    assert second.called
    assert first.calls.last.request.headers["x-ucdp-access-token"] == "secret-token"
    assert first.calls.last.request.url.params["Country"] == "702,703"
    report = ingest("ucdp-ged", [path])
    assert (report.rows, report.accepted) == (3, 3)
    events = query_events()["events"]
    assert {e["source_version"] for e in events} == {"25.1"}
    assert {e["actor1_country"] for e in events} == {"KGZ"}


@respx.mock
def test_ucdp_api_refuses_an_unauthorised_answer(tmp_path: Path) -> None:
    respx.get("https://ucdpapi.pcr.uu.se/api/gedevents/25.1").mock(return_value=httpx.Response(401))
    with pytest.raises(RefusedInput, match="answered 401"):
        UcdpApi().download_ged("25.1", tmp_path)


@respx.mock
def test_acled_api_with_oauth(workspace: Path, tmp_path: Path) -> None:
    token = respx.post("https://acleddata.com/oauth/token").mock(return_value=_recorded("acled_oauth_token.json"))
    read = "https://acleddata.com/api/acled/read"
    page1 = respx.get(read, params={"page": "1"}).mock(return_value=_recorded("acled_read_page1.json"))
    page2 = respx.get(read, params={"page": "2"}).mock(return_value=_recorded("acled_read_page2.json"))
    api = AcledApi(email="analyst@example.org", password="pw")
    path = api.download(tmp_path, {"country": "Kyrgyzstan"}, name="acled.csv", limit=2)
    assert token.called and page1.called and page2.called
    assert page1.calls.last.request.headers["Authorization"] == "Bearer recorded-access-token"
    assert page1.calls.last.request.url.params["limit"] == "2"
    report = ingest("acled", [path])
    assert (report.rows, report.accepted) == (3, 3)
    categories = {e["source_event_id"]: e["category"] for e in query_events()["events"]}
    assert categories == {"KGZ2001": "battle", "KGZ2002": "remote_violence", "KGZ2003": "agreement"}


@respx.mock
def test_acled_api_with_key(tmp_path: Path) -> None:
    route = respx.get("https://acleddata.com/api/acled/read").mock(return_value=_recorded("acled_read_page2.json"))
    AcledApi(email="analyst@example.org", key="k3y").download(tmp_path)
    assert route.calls.last.request.url.params["key"] == "k3y"
    assert route.calls.last.request.url.params["email"] == "analyst@example.org"
