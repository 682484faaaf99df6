"""The response ledger from the web, over the ingested bundle's real warnings: an action from an open warning's
button (prefilled), a meeting whose agenda is proposed from the month's warnings and edited, a commitment that
turns late once its due date passes (the dashboard's clock moved on), the lists with their filters, the same
refusals as the CLI, every write audited, and the exports — CSV (formulas defused, audited) and iCalendar."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from prevdip.settings import Settings
from prevdip.store import open_store
from prevdip.web import create_app
from prevdip.web._calendar import Entry, calendar, fold
from signing import sign_in


@pytest.fixture
def officer(bundle_lake: dict[str, Any], bundle: Path, accounts_url: str) -> Iterator[TestClient]:
    """An officer on the dashboard over the shared ingested bundle, with a ledger database of this test."""
    settings = Settings(workspace=bundle_lake["workspace"], bundle=bundle, database_url=accounts_url)  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        yield sign_in(client, "officer")


def _audited(client: TestClient, prefix: str) -> list[dict[str, Any]]:
    client.app.state.trail.flush()  # type: ignore[attr-defined]
    url = client.app.state.settings.effective_database_url  # type: ignore[attr-defined]
    with open_store(url) as store:
        return [e.as_dict() for e in store.audit.recent() if str(e.what).startswith(prefix)]


@pytest.mark.slow
def test_an_officer_records_the_month_s_response(officer: TestClient) -> None:
    page = officer.get("/response?month=2022-09").text
    assert 'href="/response/actions/new?unit=KGZ-TJK&amp;month=2022-09"' in page  # a button on the open warning
    form = officer.get("/response/actions/new?unit=KGZ-TJK&month=2022-09").text
    assert 'name="from_warning" value="1"' in form and '<option value="peacemaking" selected>' in form
    partner = {"name": "Government of Kyrgyzstan", "kind": "government", "country": "KGZ"}
    assert officer.post("/response/partners", data=partner, follow_redirects=False).status_code == 303
    action = {
        "from_warning": "1", "unit": "KGZ-TJK", "month": "2022-09", "kind": "visit", "date": "2022-09-20",
        "description": "Special Representative in Bishkek and Dushanbe", "partners": ["Government of Kyrgyzstan"],
    }  # fmt: skip
    assert officer.post("/response/actions", data=action, follow_redirects=False).status_code == 303
    (recorded,) = officer.get("/response/actions.json?unit=KGZ-TJK").json()["rows"]
    assert (recorded["instrument"], recorded["partners"]) == ("peacemaking", ["Government of Kyrgyzstan"])
    unanswered = {w["unit"] for w in officer.get("/response.json?month=2022-09").json()["unanswered"]["warnings"]}
    assert "KGZ-TJK" not in unanswered

    proposed = officer.get("/response/meetings/new?agenda_from=2022-09").text
    assert 'name="block-0-title"' in proposed and "KGZ-TJK 2022-09" in proposed
    meeting = {
        "title": "Deputy foreign ministers", "date": "2022-12-08", "place": "Ashgabat",
        "participants": ["Government of Kyrgyzstan"], "block-0-title": "Borders of the Ferghana valley, edited",
        "block-0-priority_group": "border_disputes", "block-0-warnings": "KGZ-TJK 2022-09",
        "block-1-title": "A block the officer leaves out", "block-1-priority_group": "internal_instability",
        "block-1-drop": "1", "block-2-title": "", "block-2-priority_group": "",
    }  # fmt: skip
    assert officer.post("/response/meetings", data=meeting, follow_redirects=False).status_code == 303
    (held,) = officer.get("/response/meetings.json").json()["rows"]
    assert [b["title"] for b in held["agenda_blocks"]] == ["Borders of the Ferghana valley, edited"]
    assert held["participants"] == ["Government of Kyrgyzstan"]
    assert officer.get("/response/meetings.json?since=2022-12-01&until=2022-12-31").json()["count"] == 1
    assert officer.get("/response/meetings.json?since=2022-12-09").json()["count"] == 0  # meetings by date
    outcome = {"outcome": "Both sides agreed to a joint commission."}
    assert officer.post(f"/response/meetings/{held['id']}/outcome", data=outcome).status_code == 200

    due = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
    promise = {
        "partner": "Government of Kyrgyzstan",
        "what": '=HYPERLINK("x") withdraw',
        "due": due,
        "meeting": held["id"],
    }
    assert officer.post("/response/commitments", data=promise, follow_redirects=False).status_code == 303
    assert [c["status"] for c in officer.get("/response/commitments.json").json()["rows"]] == ["open"]
    officer.app.state.identity.clock = lambda: datetime.now(UTC) + timedelta(days=11)  # type: ignore[attr-defined]
    sign_in(officer, "officer")  # the session began "before": sign in again on the moved clock
    (late,) = officer.get("/response/commitments.json").json()["rows"]
    assert (late["status"], late["recorded_status"]) == ("late", "open")  # reported late, not rewritten
    exported = officer.get("/response/commitments.csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0]["status"] == "late" and rows[0]["what"].startswith("'=HYPERLINK")  # a formula is defused
    assert officer.post(f"/response/commitments/{late['id']}/status", data={"status": "kept"}).status_code == 200
    assert officer.get("/response/commitments.json?status=kept").json()["count"] == 1
    writes = {e["what"].split(":")[0] for e in _audited(officer, "")}
    assert {"partner", "action", "meeting", "commitment", "export"} <= writes


def test_the_same_refusal_as_the_command_line(officer: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from prevdip.cli.app import app
    from prevdip.settings import get_settings

    refused = officer.post(
        "/response/programme",
        data={"priority_group": "environment_water_energy", "title": "Water", "start": "2021", "end": "2020"},
    )
    assert refused.status_code == 422 and 'value="Water"' in refused.text  # what was typed is kept
    monkeypatch.setenv("PREVDIP_DATABASE_URL", officer.app.state.settings.effective_database_url)  # type: ignore[attr-defined]
    get_settings.cache_clear()
    cli = CliRunner().invoke(app, ["response", "programme", "add", "--group", "environment_water_energy",
                                   "--title", "Water", "--start", "2021", "--end", "2020"])  # fmt: skip
    get_settings.cache_clear()
    assert cli.exit_code == 2
    message = "end: ends in 2020, before it starts in 2021"
    assert message in " ".join(cli.output.split()) and message in refused.text
    api = officer.post("/response/partners", headers={"Accept": "application/json"}, json={"name": "X", "kind": "bank"})
    assert api.status_code == 422 and api.json()["error"]["message"] == "kind: unknown value 'bank'"
    assert officer.get("/response/partners.json").json()["count"] == 0  # nothing written


def test_the_calendar_file_follows_rfc_5545() -> None:
    import icalendar

    long = "Joint commission on the Golovnoi intake; water sharing, schedule and monitoring — по-русски тоже " * 2
    body = calendar(
        [Entry("commitment-1@prevdip", datetime(2026, 5, 4).date(), "Due: Tajikistan; Kyrgyzstan, both", long)],
        name="prevdip ledger",
        stamp=datetime(2026, 5, 1, 8, 0, tzinfo=UTC),
    )
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    parsed = icalendar.Calendar.from_ical(body)
    (event,) = parsed.walk("VEVENT")
    assert str(event["DESCRIPTION"]) == long and str(event["SUMMARY"]) == "Due: Tajikistan; Kyrgyzstan, both"
    assert event["DTSTART"].dt.isoformat() == "2026-05-04"
    assert fold("é" * 80).split("\r\n ")[0].encode("utf-8").__len__() <= 75  # never splits a character


def test_the_ledger_calendar_and_events_csv_are_exports(officer: TestClient) -> None:
    soon = (datetime.now(UTC) + timedelta(days=20)).date().isoformat()
    meeting = {"title": "Deputy foreign ministers, Ashgabat", "date": soon, "place": "Ashgabat"}
    assert officer.post("/response/meetings", data=meeting, follow_redirects=False).status_code == 303
    ics = officer.get("/response/calendar.ics")
    assert (
        ics.headers["content-type"].startswith("text/calendar")
        and b"SUMMARY:Deputy foreign ministers\\, Ashgabat" in ics.content
    )
    events = officer.get("/events.csv?country=AFG&since=2020-06-01&until=2020-06-30")
    rows = list(csv.DictReader(io.StringIO(events.content.decode("utf-8-sig"))))
    listed = officer.get("/events.json?country=AFG&since=2020-06-01&until=2020-06-30").json()["results"]
    assert len(rows) == listed["count"] > 0 and {r["source"] for r in rows} >= {"ucdp-ged"}
    page = officer.get("/events?country=AFG&since=2020-06-01&until=2020-06-30").text
    link = re.search(r'href="/events\.csv\?([^"]*)"', page)  # the page's own link exports what it lists
    assert link
    asked = parse_qs(html.unescape(link.group(1)))
    assert asked["country"] == ["AFG"] and asked["since"] == ["2020-06-01"] and asked["until"] == ["2020-06-30"]
    assert officer.get("/events.csv?" + html.unescape(link.group(1))).content == events.content
    exports = [e["what"] for e in _audited(officer, "export:")]
    assert "export:/response/calendar.ics" in exports and "export:/events.csv" in exports
    assert json.loads(json.dumps(exports))  # plain JSON in the log


ACLED = (  # a row written by hand in ACLED's real column layout (the bundle ships none: its terms forbid it)
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,"
    "inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n"
    "TJK501,2022-09-16,2022,1,Political violence,Battles,Armed clash,Military Forces of Tajikistan (1992-),,1,"
    "Military Forces of Kyrgyzstan (2021-),,1,11,,762,Caucasus and Central Asia,Tajikistan,Sughd,Isfara,,"
    "Ovchi-Kalacha,40.0,70.6,1,Asia-Plus,National,Clashes at the border.,3,,1663300000\n"
)
FIELD = (
    "report_id,date,place,country,what_happened,category,reporter,confidence,sharing\n"
    "FR-CSV-1,2022-09-15,Vorukh,TJK,Road to the intake reopened,border_incident,monitor 7,high,governments\n"
)


def test_an_events_export_keeps_acled_inside_the_centre(
    tmp_path: Path, bundle: Path, accounts_url: str, pointing_at: Any
) -> None:
    from prevdip.events import ingest

    (tmp_path / "acled.csv").write_text(ACLED, encoding="utf-8")
    (tmp_path / "field.csv").write_text(FIELD, encoding="utf-8")
    with pointing_at(tmp_path / "workspace", bundle):
        ingest("acled", [tmp_path / "acled.csv"])
        ingest("field", [tmp_path / "field.csv"])
    settings = Settings(workspace=tmp_path / "workspace", bundle=bundle, database_url=accounts_url)  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        for reader, sources in (("officer", {"acled", "field"}), ("government", {"field"}), ("partner", set())):
            sign_in(client, reader)
            exported = client.get("/events.csv?country=TJK")
            rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
            assert {r["source"] for r in rows} == sources, reader
            assert "monitor 7" not in exported.text or reader == "officer"  # the monitor is named only inside
        assert client.get("/events.csv?audience=centre").status_code == 403  # a partner may not widen it


def test_two_forms_read_both_sent_the_second_is_refused(officer: TestClient) -> None:
    partner = {"name": "Government of Tajikistan", "kind": "government", "country": "TJK"}
    assert officer.post("/response/partners", data=partner, follow_redirects=False).status_code == 303
    meeting = {"title": "Deputy foreign ministers", "date": "2022-12-08", "place": "Ashgabat"}
    assert officer.post("/response/meetings", data=meeting, follow_redirects=False).status_code == 303
    (held,) = officer.get("/response/meetings.json").json()["rows"]  # a commitment comes from a meeting or an action
    promise = {"partner": "Government of Tajikistan", "what": "Reopen the Vorukh road", "due": "2030-01-01"}
    promise["meeting"] = held["id"]
    assert officer.post("/response/commitments", data=promise, follow_redirects=False).status_code == 303
    read = [officer.get("/response/commitments").text for _ in range(2)]  # two pages read before either acts
    forms = [re.search(r'/response/commitments/(\d+)/status".*?name="expected_version" value="(\d+)"', r) for r in read]
    assert forms[0] and forms[1] and forms[0].groups() == forms[1].groups()
    record, version = forms[0].groups()
    kept = {"status": "kept", "expected_version": version}
    assert officer.post(f"/response/commitments/{record}/status", data=kept, follow_redirects=False).status_code == 303
    late = officer.post(
        f"/response/commitments/{record}/status", data={"status": "dropped", "expected_version": version}
    )
    assert late.status_code == 409 and "changed by someone else since you read it" in late.text
    (now,) = officer.get("/response/commitments.json?status=kept").json()["rows"]  # the list shows open ones
    assert now["status"] == "kept" and now["version"] == int(version) + 1
    assert len(_audited(officer, f"commitment:{record}")) == 2
