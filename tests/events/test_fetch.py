"""``prevdip fetch`` on recorded responses only (respx): pages, retries, refusals, atomic downloads, ingest.

The recorded UCDP Candidate pages (``data/recorded/``) are written by hand in the API's shape (``TotalCount``,
``TotalPages``, ``PreviousPageUrl``, ``NextPageUrl``, ``Result`` with the 49 GED fields); one event has an impossible
date so the quarantine is exercised through the fetch path. Every test here runs with sockets and DNS disabled.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import socket
import traceback
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from tenacity import wait_none
from typer.testing import CliRunner

from prevdip.cli.app import app
from prevdip.errors import RefusedInput
from prevdip.events import query_events
from prevdip.events.connectors.http import ApiSession
from prevdip.events.fetch import fetch_ucdp, scope
from prevdip.settings import get_settings

DATA = Path(__file__).parent / "data"
RECORDED = DATA / "recorded"
UCDP = "https://ucdpapi.pcr.uu.se/api/gedevents"
GED_PAGES = [DATA / f"ucdp_gedevents_25.1_page{n}.json" for n in range(2)]  # pagesize=2, as test_api_clients
REGION_GW = "705,703,702,701,704,700"  # central-asia+afghanistan in Gleditsch-Ward numbers
runner = CliRunner()


def _recorded(path: Path, status: int = 200) -> httpx.Response:
    return httpx.Response(status, content=path.read_bytes(), headers={"content-type": "application/json"})


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Fail the test on any real name lookup or socket connection: only respx may answer."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> None:
        attempts.append(args)
        raise AssertionError(f"a test tried to use the network: {args!r}")

    for target, name in ((socket, "getaddrinfo"), (socket, "create_connection"), (socket.socket, "connect")):
        monkeypatch.setattr(target, name, refuse)
    yield attempts
    assert attempts == []


@pytest.fixture(autouse=True)
def no_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries without the back-off sleeps."""
    monkeypatch.setattr(ApiSession, "wait", wait_none())


@pytest.fixture
def ucdp_token(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("PREVDIP_UCDP_TOKEN", "recorded-token")
    get_settings.cache_clear()
    yield workspace
    get_settings.cache_clear()


def _candidate_routes() -> list[respx.Route]:
    return [
        respx.get(f"{UCDP}/25.0.9", params={"page": str(n)}).mock(
            return_value=_recorded(RECORDED / f"ucdp_gedevents_25.0.9_page{n}.json")
        )
        for n in range(3)
    ]


def _downloads(workspace: Path, source: str) -> list[Path]:
    root = workspace / "downloads" / source
    return sorted(root.iterdir()) if root.is_dir() else []


def test_the_network_guard_refuses_a_real_connection(no_network: list[Any]) -> None:
    with pytest.raises(AssertionError, match="use the network"):
        httpx.get(f"{UCDP}/25.1")  # no respx here: the request reaches the (refused) socket layer
    assert no_network
    no_network.clear()


@respx.mock
def test_candidate_pages_are_kept_raw_and_ingested_once(ucdp_token: Path) -> None:
    routes = _candidate_routes()
    chosen = scope(since="2025-09-01")
    report = fetch_ucdp(chosen, dataset="candidate", version="25.0.9", page_size=2)
    first = routes[0].calls.last.request
    assert first.headers["x-ucdp-access-token"] == "recorded-token"
    assert dict(first.url.params) == {"pagesize": "2", "page": "0", "Country": REGION_GW, "StartDate": "2025-09-01"}
    assert all(r.call_count == 1 for r in routes)
    assert (report["requests"], report["records"], report["version"]) == (3, 5, "25.0.9")
    folder = Path(report["folder"])
    assert [folder] == _downloads(ucdp_token, "ucdp")
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["manifest.json", "page-0000.json", "page-0001.json", "page-0002.json", "ucdp-ged-25.0.9-api.csv"]
    assert (folder / "page-0001.json").read_bytes() == (RECORDED / "ucdp_gedevents_25.0.9_page1.json").read_bytes()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["request"]["countries"] == ["KAZ", "KGZ", "TJK", "TKM", "UZB", "AFG"]
    for entry in manifest["files"]:
        data = (folder / entry["file"]).read_bytes()
        assert (entry["bytes"], entry["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    assert [e.get("status") for e in manifest["files"]] == [200, 200, 200, None]
    assert "recorded-token" not in (folder / "manifest.json").read_text(encoding="utf-8")
    assert manifest["files"][1]["url"].endswith("page=1&Country=705,703,702,701,704,700&StartDate=2025-09-01")
    run = report["ingest"]
    assert (run["rows"], run["accepted"], run["duplicates"], run["quarantined"]) == (5, 4, 0, 1)
    assert run["reasons"] == {"bad date": 1}  # 2025-09-31
    events = query_events(limit=10)["events"]
    assert {e["source_version"] for e in events} == {"25.0.9"}  # the Candidate release, from the file name
    assert {e["country_iso3"] for e in events} == {"AFG", "TJK"}

    again = fetch_ucdp(chosen, dataset="candidate", version="25.0.9", page_size=2)["ingest"]
    assert (again["accepted"], again["duplicates"], again["quarantined"]) == (0, 4, 1)
    assert len(_downloads(ucdp_token, "ucdp")) == 2
    assert query_events(limit=0)["count"] == 4


@respx.mock
def test_a_429_is_retried_and_the_cli_reports_json(ucdp_token: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("prevdip.events.fetch.ucdp.PAGE_SIZE", 2)
    busy = httpx.Response(429, headers={"Retry-After": "1"})
    page0 = respx.get(f"{UCDP}/25.1", params={"page": "0"}).mock(side_effect=[busy, _recorded(GED_PAGES[0])])
    page1 = respx.get(f"{UCDP}/25.1", params={"page": "1"}).mock(return_value=_recorded(GED_PAGES[1]))
    result = runner.invoke(app, ["fetch", "ucdp", "--version", "25.1", "--country", "KGZ,TJK", "--json"])
    assert result.exit_code == 0, result.output
    assert (page0.call_count, page1.call_count) == (2, 1)
    assert page0.calls.last.request.url.params["Country"] == "703,702"
    data = json.loads(result.stdout)
    assert list(data) == [
        "source", "dataset", "version", "countries", "region", "since", "until", "folder", "requests", "records",
        "files", "ingest",
    ]  # fmt: skip
    assert (data["dataset"], data["countries"]) == ("gedevents", ["KGZ", "TJK"])
    assert (data["records"], data["requests"]) == (3, 2)
    assert (data["ingest"]["accepted"], data["ingest"]["source"]) == (3, "ucdp-ged")


@respx.mock
def test_a_source_down_after_every_retry_leaves_nothing(ucdp_token: Path) -> None:
    respx.get(f"{UCDP}/25.1", params={"page": "0"}).mock(return_value=_recorded(GED_PAGES[0]))
    page1 = respx.get(f"{UCDP}/25.1", params={"page": "1"}).mock(return_value=httpx.Response(503))
    result = runner.invoke(app, ["fetch", "ucdp", "--version", "25.1"])
    assert result.exit_code == 1
    assert "UCDP kept failing after 4 attempts" in result.stderr and "answered 503" in result.stderr
    assert page1.call_count == 4
    assert list((ucdp_token / "downloads" / "ucdp").iterdir()) == []  # not even the first page, nor a partial folder
    assert not (ucdp_token / "lake").exists() or query_events(limit=0)["count"] == 0


@respx.mock
def test_an_unauthorised_token_is_refused_at_once(ucdp_token: Path) -> None:
    route = respx.get(f"{UCDP}/25.1").mock(return_value=httpx.Response(401))
    result = runner.invoke(app, ["fetch", "ucdp", "--version", "25.1"])
    assert result.exit_code == 2
    assert "UCDP refused the token" in result.stderr and "PREVDIP_UCDP_TOKEN" in result.stderr
    assert route.call_count == 1  # a 401 is not retried
    assert _downloads(ucdp_token, "ucdp") == []


@respx.mock
def test_the_token_does_not_follow_a_redirect_to_another_host(ucdp_token: Path) -> None:
    """httpx drops only ``Authorization`` on a cross-origin redirect; UCDP's token header must stay with UCDP."""
    elsewhere = "https://mirror.example.org/gedevents/25.1"
    respx.get(f"{UCDP}/25.1").mock(return_value=httpx.Response(302, headers={"Location": elsewhere}))
    mirror = respx.get(elsewhere).mock(return_value=_recorded(GED_PAGES[1]))
    fetch_ucdp(scope(countries=["KGZ"]), version="25.1", ingest=False)
    assert mirror.called
    assert all("x-ucdp-access-token" not in call.request.headers for call in mirror.calls)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2025-13-01"], "bad date '2025-13-01' for --since"),
        (["--since", "01/09/2025"], "use YYYY-MM-DD"),
        (["--since", "2999-01-01"], "--since 2999-01-01 is in the future"),
        (["--country", "KGZ", "--country", "Narnia"], "unknown country 'Narnia' for --country"),
        (["--country", "KGZ", "--region", "central-asia"], "--country and --region both given"),
        (["--region", "balkans"], "unknown region 'balkans'"),
        (["--dataset", "candidate", "--version", "25.1"], "--version '25.1' is not a UCDP candidate release"),
        (["--dataset", "gedevents", "--version", "25.0.9"], "not a UCDP gedevents release"),
        (["--dataset", "acd"], "unknown UCDP dataset 'acd' for --dataset"),
    ],
)
@respx.mock
def test_bad_input_is_refused_before_any_request(ucdp_token: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["fetch", "ucdp", *args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert not respx.calls and _downloads(ucdp_token, "ucdp") == []


@respx.mock
def test_a_missing_token_is_refused_before_any_request(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PREVDIP_UCDP_TOKEN", raising=False)
    get_settings.cache_clear()
    result = runner.invoke(app, ["fetch", "ucdp"])
    assert result.exit_code == 2
    assert "no UCDP access token" in result.stderr and "PREVDIP_UCDP_TOKEN" in result.stderr
    assert not respx.calls


@pytest.mark.parametrize(
    ("dataset", "today", "version"),
    [
        ("gedevents", date(2026, 11, 27), "26.1"),
        ("gedevents", date(2026, 3, 1), "25.1"),
        ("candidate", date(2026, 11, 27), "26.0.9"),
        ("candidate", date(2026, 2, 10), "25.0.12"),
    ],
)
def test_the_default_release_follows_ucdp_naming(dataset: str, today: date, version: str) -> None:
    from prevdip.events.fetch.ucdp import check_version

    assert check_version(dataset, None, today) == version
    assert check_version(dataset, version, today) == version


ACLED_READ = "https://acleddata.com/api/acled/read"
# Every ACLED fetch also asks the deletions list (event_id_cnty, deleted_timestamp; acledR::acled_deletions_api).
ACLED_DELETED = "https://acleddata.com/api/deleted/read"


@respx.mock
def test_acled_fetch_with_oauth_then_a_second_fetch_accepts_nothing(acled_account: Path) -> None:
    from prevdip.events.fetch import fetch_acled

    token = respx.post("https://acleddata.com/oauth/token").mock(
        return_value=_recorded(DATA / "acled_oauth_token.json")
    )
    pages = [
        respx.get(ACLED_READ, params={"page": str(n)}).mock(return_value=_recorded(DATA / f"acled_read_page{n}.json"))
        for n in (1, 2)
    ]
    respx.get(ACLED_DELETED).mock(return_value=_recorded(DATA / "acled_deleted_empty.json"))
    chosen = scope(["KGZ"], since="2022-09-01", until="2022-09-30")
    report = fetch_acled(chosen, page_size=2)
    assert token.call_count == 1 and b"recorded-password" in token.calls.last.request.content
    request = pages[0].calls.last.request
    assert request.headers["Authorization"] == "Bearer recorded-access-token"
    params = dict(request.url.params)
    assert (params["iso"], params["event_date"], params["event_date_where"]) == (
        "417",
        "2022-09-01|2022-09-30",
        "BETWEEN",
    )
    assert (report["requests"], report["records"]) == (2, 3)  # the token request is not a download
    manifest = (Path(report["folder"]) / "manifest.json").read_text(encoding="utf-8")
    assert "recorded-access-token" not in manifest and "recorded-password" not in manifest
    assert (report["ingest"]["source"], report["ingest"]["accepted"]) == ("acled", 3)
    again = fetch_acled(chosen, page_size=2)["ingest"]
    assert (again["rows"], again["accepted"], again["duplicates"]) == (3, 0, 3)


@respx.mock
def test_acled_key_and_email_never_reach_the_manifest(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREVDIP_ACLED_EMAIL", "analyst@example.org")
    monkeypatch.setenv("PREVDIP_ACLED_KEY", "k3y-secret")
    get_settings.cache_clear()
    route = respx.get(ACLED_READ).mock(return_value=_recorded(DATA / "acled_read_page2.json"))
    respx.get(ACLED_DELETED).mock(return_value=_recorded(DATA / "acled_deleted_empty.json"))
    result = runner.invoke(app, ["fetch", "acled", "--country", "KGZ", "--no-ingest", "--json"])
    assert result.exit_code == 0, result.output
    assert route.calls.last.request.url.params["key"] == "k3y-secret"
    data = json.loads(result.stdout)
    assert data["ingest"] is None and data["records"] == 1
    manifest = (Path(data["folder"]) / "manifest.json").read_text(encoding="utf-8")
    assert "k3y-secret" not in manifest and "analyst@example.org" not in manifest and "key=%2A%2A%2A" in manifest
    assert not (workspace / "lake" / "events").exists() or query_events(limit=0)["count"] == 0
    settings = json.loads(runner.invoke(app, ["settings", "--json"]).stdout)
    assert settings["acled_key"] == "***" and "k3y-secret" not in json.dumps(settings)
    shown = runner.invoke(app, ["fetch", "acled", "--country", "KGZ", "--no-ingest"])
    assert shown.exit_code == 0 and "1 records in 1 request(s)" in shown.stdout and "not ingested" in shown.stdout


@respx.mock
def test_acled_without_an_account_or_with_a_wrong_password_is_refused(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("PREVDIP_ACLED_EMAIL", "PREVDIP_ACLED_KEY", "PREVDIP_ACLED_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    missing = runner.invoke(app, ["fetch", "acled"])
    assert missing.exit_code == 2 and "no ACLED account configured" in missing.stderr
    assert "PREVDIP_ACLED_PASSWORD" in missing.stderr and not respx.calls
    monkeypatch.setenv("PREVDIP_ACLED_EMAIL", "analyst@example.org")
    monkeypatch.setenv("PREVDIP_ACLED_PASSWORD", "wrong")
    get_settings.cache_clear()
    respx.post("https://acleddata.com/oauth/token").mock(return_value=httpx.Response(401))
    refused = runner.invoke(app, ["fetch", "acled"])
    assert refused.exit_code == 2 and "ACLED refused the account" in refused.stderr
    settings = json.loads(runner.invoke(app, ["settings", "--json"]).stdout)
    assert settings["acled_password"] == "***"
    assert _downloads(workspace, "acled") == []


@respx.mock
def test_a_refusal_shown_with_debug_names_no_secret(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--debug`` prints the traceback: httpx's own error (the URL with key and e-mail) must not be chained in."""
    monkeypatch.setenv("PREVDIP_ACLED_EMAIL", "analyst@example.org")
    monkeypatch.setenv("PREVDIP_ACLED_KEY", "k3y-secret")
    get_settings.cache_clear()
    respx.get(ACLED_READ).mock(return_value=httpx.Response(400, text="bad filter"))
    refused = runner.invoke(app, ["--debug", "fetch", "acled", "--country", "KGZ", "--no-ingest"])
    assert refused.exit_code != 0 and isinstance(refused.exception, RefusedInput)
    shown = "".join(traceback.format_exception(refused.exception)) + refused.output
    assert "ACLED refused the request" in shown and "key=%2A%2A%2A" in shown
    assert "k3y-secret" not in shown and "analyst@example.org" not in shown


@respx.mock
def test_an_acled_login_without_a_token_is_refused_plainly(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREVDIP_ACLED_EMAIL", "analyst@example.org")
    monkeypatch.setenv("PREVDIP_ACLED_PASSWORD", "pw")
    get_settings.cache_clear()
    respx.post("https://acleddata.com/oauth/token").mock(return_value=httpx.Response(200, json={"error": "none"}))
    refused = runner.invoke(app, ["fetch", "acled"])
    assert refused.exit_code == 2 and "without an access token" in refused.stderr
    assert _downloads(workspace, "acled") == []


GDELT = "http://data.gdeltproject.org/gdeltv2"


def _export_zip(sample: Path, stamp: str) -> bytes:
    """A GDELT 2.0 export zip as published (one member, ``<stamp>.export.CSV``) around a real bundle sample."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(f"{stamp}.export.CSV", (2015, 2, 18, 23, 0, 0)), sample.read_bytes())
    return buffer.getvalue()


def _gdelt_routes(bundle: Path, *, announced_md5: str | None = None) -> dict[str, respx.Route]:
    newest = _export_zip(bundle / "gdelt" / "gdelt2_events_20150218230000_sample100.tsv", "20150218230000")
    earlier = _export_zip(
        bundle / "gdelt" / "gdelt2_events_translingual_20150218224500_sample100.tsv", "20150218224500"
    )
    md5 = announced_md5 or hashlib.md5(newest, usedforsecurity=False).hexdigest()
    listing = (
        f"{len(newest)} {md5} {GDELT}/20150218230000.export.CSV.zip\n"
        f"318084 bb27f78ba45f69a17ea6ed7755e9f8ff {GDELT}/20150218230000.mentions.CSV.zip\n"
        f"10768507 ea8dde0beb0ba98810a92db068c0ce99 {GDELT}/20150218230000.gkg.csv.zip\n"
    )
    return {
        "listing": respx.get(f"{GDELT}/lastupdate.txt").mock(return_value=httpx.Response(200, text=listing)),
        "newest": respx.get(f"{GDELT}/20150218230000.export.CSV.zip").mock(
            return_value=httpx.Response(200, content=newest)
        ),
        "earlier": respx.get(f"{GDELT}/20150218224500.export.CSV.zip").mock(
            return_value=httpx.Response(200, content=earlier)
        ),
        "gap": respx.get(f"{GDELT}/20150218223000.export.CSV.zip").mock(return_value=httpx.Response(404)),
    }


@respx.mock
def test_gdelt_last_exports_are_kept_whole_and_ingested_for_the_region(workspace: Path, bundle: Path) -> None:
    routes = _gdelt_routes(bundle)
    result = runner.invoke(app, ["fetch", "gdelt", "--last", "3", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert all(route.call_count == 1 for route in routes.values())
    assert data["missing"] == [f"{GDELT}/20150218223000.export.CSV.zip"]  # a slot GDELT never published
    folder = Path(data["folder"])
    assert sorted(p.name for p in folder.iterdir()) == [
        "20150218224500.export.CSV.zip", "20150218230000.export.CSV.zip", "lastupdate.txt", "manifest.json",
    ]  # fmt: skip
    assert json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["request"]["missing"] == data["missing"]
    run = data["ingest"]
    assert (run["rows"], run["accepted"], run["quarantined"]) == (2, 2, 0)  # 200 global events, 2 in the region
    assert {e["country_iso3"] for e in query_events(limit=10)["events"]} == {"KAZ", "UZB"}
    again = json.loads(runner.invoke(app, ["fetch", "gdelt", "--last", "3", "--json"]).stdout)["ingest"]
    assert (again["accepted"], again["duplicates"]) == (0, 2)


@respx.mock
def test_a_gdelt_file_that_does_not_match_its_announcement_leaves_nothing(workspace: Path, bundle: Path) -> None:
    _gdelt_routes(bundle, announced_md5="0" * 32)
    result = runner.invoke(app, ["fetch", "gdelt"])
    assert result.exit_code == 1
    assert "GDELT announced" in result.stderr and "try again" in result.stderr
    assert _downloads(workspace, "gdelt") == []
    refused = runner.invoke(app, ["fetch", "gdelt", "--last", "0"])
    assert refused.exit_code == 2 and "--last 0 is out of range" in refused.stderr


@respx.mock
def test_an_empty_answer_is_kept_and_a_maintenance_page_is_not(ucdp_token: Path) -> None:
    route = respx.get(f"{UCDP}/25.1").mock(return_value=_recorded(RECORDED / "ucdp_gedevents_25.1_nothing.json"))
    data = json.loads(
        runner.invoke(app, ["fetch", "ucdp", "--version", "25.1", "--since", "2024-12-01", "--json"]).stdout
    )
    assert (data["records"], data["ingest"]) == (0, None)
    assert route.calls.last.request.url.params["StartDate"] == "2024-12-01"
    assert sorted(p.name for p in Path(data["folder"]).iterdir()) == [
        "manifest.json", "page-0000.json", "ucdp-ged-25.1-api.csv",
    ]  # fmt: skip
    route.mock(return_value=httpx.Response(200, text="<html>Down for maintenance</html>"))
    result = runner.invoke(app, ["fetch", "ucdp", "--version", "25.1"])
    assert result.exit_code == 1 and "something other than JSON" in result.stderr
    assert len(_downloads(ucdp_token, "ucdp")) == 1  # only the first, complete download


def test_a_partial_folder_of_a_dead_fetch_is_removed_and_a_failed_one_leaves_nothing(tmp_path: Path) -> None:
    from prevdip.events.fetch.downloads import Download

    root = tmp_path / "downloads" / "ucdp"
    dead = root / ".partial-999999999-deadbeef"  # beyond any pid: its process is gone (kill -9, power cut)
    dead.mkdir(parents=True)
    (dead / "page-0000.json").write_text("{}", encoding="utf-8")
    alive = root / f".partial-{os.getpid()}-running"  # a fetch still running in this process: left alone
    alive.mkdir()
    with pytest.raises(RuntimeError, match="cut"), Download(tmp_path, "ucdp", {}) as download:
        download.path("page-0000.json").write_text("{}", encoding="utf-8")
        raise RuntimeError("connection cut")
    assert [p.name for p in root.iterdir()] == [alive.name]
