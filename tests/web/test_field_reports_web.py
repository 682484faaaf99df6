"""Field reports from the web: the form refuses bad input naming the field and writing nothing (a future date,
coordinates off the globe, an unknown country, a 30 MB photo, a file that is not a photo or PDF, a forged CSRF
token, a monitor verifying), keeps everything typed, escapes it; attachments go only to those who may read the
report; the JSON twins work with a bearer token; a verified report reaches the country page and — as its tier
allows — the governments' brief."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from prevdip.accounts import create_token, open_accounts
from prevdip.settings import Settings
from prevdip.store import open_store
from prevdip.store.models import FieldReportRevision
from prevdip.web import create_app
from signing import csrf_of, sign_in

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fieldwork"))
from field_fixtures import photo  # noqa: E402

XSS = '<script>alert("field")</script><img src=x onerror=alert(2)>'


def form(**changes: Any) -> dict[str, Any]:
    """What a monitor types on the form: the Vorukh intake, shared with the governments."""
    typed = {
        "report_id": "FR-20220914-0a1b2c3d",
        "revision": "1",
        "what_happened": f"Residents blocked the canal road. {XSS}",
        "category": "border_incident",
        "date": "2022-09-14",
        "country": "TJK",
        "admin1": "Sughd",
        "place": "Vorukh",
        "latitude": "39.85",
        "longitude": "70.58",
        "actors": ["residents of Vorukh", "Kyrgyz border guards"],
        "fatalities": "0",
        "injured": "3",
        "sources": "village head\nAsia-Plus",
        "reporter": "monitor",
        "confidence": "medium",
        "sharing": "governments",
    }
    return typed | changes


@pytest.fixture
def settings(tmp_path: Path, bundle: Path, accounts_url: str, initialised: Callable[[Path], Path]) -> Settings:
    workspace = initialised(tmp_path / "workspace")
    return Settings(workspace=workspace, bundle=bundle, database_url=accounts_url, public_access="public")  # type: ignore[arg-type]


@pytest.fixture
def app(settings: Settings) -> Iterator[Any]:
    application = create_app(settings)
    with TestClient(application):
        yield application


def _client(app: Any, name: str | None) -> TestClient:
    return sign_in(TestClient(app), name)


def _stored(settings: Settings) -> int:
    with open_store(settings.effective_database_url) as store, store.session() as session:
        return int(session.scalar(select(func.count()).select_from(FieldReportRevision)) or 0)


def _attachments_kept(settings: Settings) -> list[Path]:
    folder = settings.workspace / "attachments"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


REFUSALS = [
    ({"date": "2999-01-01"}, "date", "in the future"),
    ({"latitude": "123.5"}, "latitude", "Out of range"),
    ({"longitude": "-270"}, "longitude", "Out of range"),
    ({"latitude": "39.85", "longitude": ""}, "latitude", "both latitude and longitude"),
    ({"country": "Atlantis"}, "country", "Unknown country"),
    ({"fatalities": "many"}, "fatalities", "whole number"),
    ({"place": ""}, "place", "This is needed"),
]


@pytest.mark.parametrize(("change", "field", "said"), REFUSALS)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    app: Any, settings: Settings, change: dict[str, Any], field: str, said: str
) -> None:
    monitor = _client(app, "monitor")
    answer = monitor.post("/field-reports", data=form(**change), follow_redirects=False)
    assert answer.status_code == 422
    assert f'id="error-{field}"' in answer.text and said in answer.text
    assert "Vorukh" in answer.text and "Residents blocked the canal road." in answer.text  # nothing typed is lost
    assert "&lt;script&gt;alert(&#34;field&#34;)&lt;/script&gt;" in answer.text and XSS not in answer.text
    assert _stored(settings) == 0


def test_attachments_are_checked_by_content_and_size(app: Any, settings: Settings) -> None:
    monitor = _client(app, "monitor")
    huge = photo() + b"\0" * 30_000_000  # a 30 MB "photo"
    answer = monitor.post("/field-reports", data=form(), files=[("attachments", ("big.jpg", huge, "image/jpeg"))])
    assert answer.status_code == 422 and "big.jpg" in answer.text and 'id="error-attachments"' in answer.text
    assert "choose the 1 file(s) again" in answer.text  # and the form says the file must be chosen again
    fake = b"<html><script>alert(1)</script></html>"
    answer = monitor.post("/field-reports", data=form(), files=[("attachments", ("photo.jpg", fake, "image/jpeg"))])
    assert answer.status_code == 422 and "Not a photo (JPEG, PNG, WebP) or a PDF" in answer.text
    assert _stored(settings) == 0 and _attachments_kept(settings) == []


def test_a_forged_csrf_token_and_a_monitor_verifying_are_refused(app: Any, settings: Settings) -> None:
    monitor = _client(app, "monitor")
    monitor.headers.pop("X-CSRF-Token")
    forged = monitor.post("/field-reports", data=form(csrf_token="forged"), follow_redirects=False)
    assert forged.status_code == 403 and _stored(settings) == 0
    page = monitor.get("/field-reports/new")
    filed = monitor.post("/field-reports", data=form(csrf_token=csrf_of(page.text)), follow_redirects=False)
    assert filed.status_code == 303 and filed.headers["location"] == "/field-reports/FR-20220914-0a1b2c3d"
    again = monitor.post("/field-reports", data=form(csrf_token=csrf_of(page.text)), follow_redirects=False)
    assert again.status_code == 303 and _stored(settings) == 1  # the same form sent twice is one report
    monitor.headers["X-CSRF-Token"] = csrf_of(page.text)
    refused = monitor.post("/field-reports/FR-20220914-0a1b2c3d/verify", follow_redirects=False)
    assert refused.status_code == 403
    report = monitor.get("/field-reports/FR-20220914-0a1b2c3d.json").json()
    assert report["latest"]["status"] == "submitted" and report["latest"]["decided_by"] is None


def test_a_photo_is_served_to_its_reporter_and_the_staff_only(app: Any, settings: Settings) -> None:
    monitor = _client(app, "monitor")
    picture = photo(kind="PNG")
    name = "<img src=x onerror=alert(3)>.png"  # a file name is shown as text, and its folders dropped
    filed = monitor.post("/field-reports", data=form(), files=[("attachments", (f"C:\\phone\\{name}", picture, "x/y"))])
    assert filed.status_code == 200
    (kept,) = monitor.get("/field-reports/FR-20220914-0a1b2c3d.json").json()["latest"]["attachments"]
    assert kept["media_type"] == "image/png" and kept["filename"] == name
    assert "&lt;img src=x onerror=alert(3)&gt;.png" in filed.text and name not in filed.text
    (stored,) = _attachments_kept(settings)
    assert stored.name == kept["sha256"] and stored.stat().st_mode & 0o777 == 0o600
    url = f"/field-reports/FR-20220914-0a1b2c3d/attachments/{kept['sha256']}"
    for reader in ("monitor", "officer"):
        served = _client(app, reader).get(url)
        assert served.status_code == 200 and served.content == picture
        assert served.headers["content-type"] == "image/png" and served.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in served.headers["content-security-policy"]
    assert _client(app, "government").get(url).status_code == 403
    assert _client(app, None).get(url, follow_redirects=False).status_code == 303


def test_the_json_twins_with_a_bearer_token(app: Any, settings: Settings) -> None:
    with open_accounts(url=settings.effective_database_url) as accounts:
        _, monitor_token = create_token(accounts, "monitor")
        _, officer_token = create_token(accounts, "officer")
    api = TestClient(app)
    as_monitor = {"Authorization": f"Bearer {monitor_token}", "Accept": "application/json"}
    as_officer = {"Authorization": f"Bearer {officer_token}", "Accept": "application/json"}
    body = {k: v for k, v in form().items() if k not in ("revision", "sources")} | {"sources": ["village head"]}
    body |= {"latitude": 39.85, "longitude": 70.58, "fatalities": 0, "injured": 3}
    bad = api.post("/field-reports", headers=as_monitor, json=body | {"date": "2999-01-01", "country": "XX"})
    assert (
        bad.status_code == 422 and set(bad.json()["error"]["fields"]) == {"date", "country"} and _stored(settings) == 0
    )
    created = api.post("/field-reports", headers=as_monitor, json=body)
    assert created.status_code == 201 and created.json()["created"] is True
    assert api.post("/field-reports", headers=as_monitor, json=body).status_code == 200  # sent twice: stored once
    other = body | {"report_id": "FR-API-2", "place": "Kok-Tash", "country": "KGZ"}
    assert api.post("/field-reports", headers=as_monitor, json=other).status_code == 201
    queue = api.get("/field-reports.json?status=submitted", headers=as_officer).json()
    assert [r["report_id"] for r in queue["reports"]] == ["FR-API-2", "FR-20220914-0a1b2c3d"]  # newest first
    assert api.post("/field-reports/FR-API-2/verify", headers=as_monitor).status_code == 403
    verified = api.post("/field-reports/FR-20220914-0a1b2c3d/verify", headers=as_officer)
    assert verified.status_code == 200 and verified.json()["report"]["status"] == "verified"
    uid = verified.json()["report"]["event_uid"]
    empty = api.post("/field-reports/FR-API-2/reject", headers=as_officer, json={"reason": ""})
    assert empty.status_code == 422 and "reason" in empty.json()["error"]["message"]
    merged = api.post("/field-reports/FR-API-2/merge", headers=as_officer, json={"event_uid": uid})
    assert merged.status_code == 200 and merged.json()["report"]["merged_event_uid"] == uid
    linked = api.get(f"/field-reports.json?event={uid}", headers=as_officer).json()["reports"]
    assert sorted(r["report_id"] for r in linked) == ["FR-20220914-0a1b2c3d", "FR-API-2"]  # the link both ways
    twice = api.post("/field-reports/FR-API-2/reject", headers=as_officer, json={"reason": "late"})
    assert twice.status_code == 409 and "changed by someone else" in twice.json()["error"]["message"]


def test_a_verified_report_reaches_the_country_page_and_the_governments_brief(app: Any, settings: Settings) -> None:
    monitor, officer = _client(app, "monitor"), _client(app, "officer")
    assert monitor.post("/field-reports", data=form()).status_code == 200
    internal = form(report_id="FR-20220915-99887766", place="Ovchi-Kalacha", sharing="centre-internal")
    assert (
        monitor.post("/field-reports", data=internal | {"what_happened": "Mines laid near the road"}).status_code == 200
    )
    assert "Residents blocked the canal road" not in officer.get("/countries/TJK?month=2022-09").text  # not yet
    queue = officer.get("/field-reports")
    assert "FR-20220914-0a1b2c3d" in queue.text and "&lt;script&gt;" not in queue.text  # the queue shows no text
    for report_id in ("FR-20220914-0a1b2c3d", "FR-20220915-99887766"):
        assert officer.post(f"/field-reports/{report_id}/verify", follow_redirects=False).status_code == 303
    page = officer.get("/countries/TJK?month=2022-09").text
    assert "Residents blocked the canal road" in page and "&lt;script&gt;" in page and XSS not in page
    brief = _client(app, "government").get("/briefs/2022-09.json").json()
    shown = {r["description"].split(".")[0] for r in brief["field_reports"]["reports"]}
    assert shown == {"Residents blocked the canal road"}  # the centre-internal one stays inside
