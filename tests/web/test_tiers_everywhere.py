"""A centre-internal field report (Vorukh, on the Kyrgyz–Tajik border) is absent for visitors, monitors, partners and
government liaisons everywhere — every page and twin, the event lists and their filters, the brief as HTML, JSON and
PDF text, its counts and stages — and present for an officer; a report shared with partners is seen by a partner and
not by a government liaison, and one shared with governments the other way round."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from prevdip.events import ingest
from prevdip.settings import Settings
from prevdip.web import create_app
from signing import copy_accounts, sign_in

INTERNAL = "Sappers laying mines at the Vorukh intake"
PARTNERS = "UNICEF water tanker turned back at Isfara"
GOVERNMENTS = "Border commanders met at the Kok-Tash post"
PUBLIC = "A convoy crossed near Batken"
CSV = (
    "report_id,date,place,country,what_happened,category,reporter,confidence,sharing\n"
    f"FR-T-1,2022-09-16,Vorukh,TJK,{INTERNAL},border_incident,monitor Quillfeather,low,centre-internal\n"
    f"FR-T-2,2022-09-15,Isfara,TJK,{PARTNERS},border_incident,monitor Corvina,high,partners\n"
    f"FR-T-3,2022-09-14,Kok-Tash,KGZ,{GOVERNMENTS},border_incident,monitor Birch,high,governments\n"
    f"FR-T-4,2022-09-13,Batken,KGZ,{PUBLIC},border_incident,monitor Amber,high,public\n"
)
READERS = [None, "monitor", "partner", "government", "officer"]
SEES = {  # what each reader's pages may show
    None: {PUBLIC},
    "monitor": {PUBLIC},
    "partner": {PUBLIC, PARTNERS},
    "government": {PUBLIC, GOVERNMENTS},
    "officer": {PUBLIC, PARTNERS, GOVERNMENTS, INTERNAL},
}
PAGES = [
    "/?month=2022-09",
    "/countries/TJK?month=2022-09",
    "/countries/KGZ?month=2022-09",
    "/dyads/KGZ-TJK?month=2022-09",
    "/events",
    "/events?country=TJK",
    "/events?dyad=KGZ-TJK&category=border_incident",
    "/events?source=field&since=2022-09-01&until=2022-09-30",
    "/forecasts",
    "/briefs/2022-09",
]


def _twin(url: str) -> str:
    path, _, query = url.partition("?")
    path = "/index.json" if path == "/" else f"{path}.json"
    return f"{path}?{query}" if query else path


@pytest.fixture(scope="module")
def tiers(
    tmp_path_factory: pytest.TempPathFactory,
    bundle: Path,
    pointing_at: Callable[[Path, Path], AbstractContextManager[Any]],
    accounts_template: Path,
    series_lake: Path,
) -> Iterator[dict[str | None, TestClient]]:
    """A dashboard (public access on) over a lake of four field reports, one per tier, beside the bundle's series,
    and a client per reader."""
    folder = tmp_path_factory.mktemp("tiers")
    shutil.copytree(series_lake, folder / "workspace")
    (folder / "reports.csv").write_text(CSV, encoding="utf-8")
    accounts = copy_accounts(accounts_template, folder / "accounts")
    with pointing_at(folder / "workspace", bundle):
        assert ingest("field", [folder / "reports.csv"]).accepted == 4
        settings = Settings(
            workspace=folder / "workspace", bundle=bundle, database_url=accounts, public_access="public"
        )  # type: ignore[arg-type]
        app = create_app(settings)
        clients = {name: sign_in(TestClient(app).__enter__(), name) for name in READERS}
        yield clients
        for client in clients.values():
            client.__exit__(None, None, None)


def _shown(text: str) -> set[str]:
    flat = " ".join(text.split())
    return {report for report in (INTERNAL, PARTNERS, GOVERNMENTS, PUBLIC) if report in flat}


@pytest.mark.slow
@pytest.mark.parametrize("reader", READERS)
def test_every_page_and_twin_shows_only_the_reader_s_tiers(tiers: dict[str | None, TestClient], reader: str) -> None:
    client = tiers[reader]
    for url in PAGES:
        for face in (url, _twin(url)):
            answer = client.get(face)
            assert answer.status_code == 200, (reader, face)
            assert _shown(answer.text) <= SEES[reader], (reader, face)
            if reader != "officer":
                for name in ("Quillfeather", "Corvina", "Birch", "Amber"):  # monitors are named only inside
                    assert name not in answer.text, (reader, face, name)
    listed = client.get("/events.json?source=field").json()["results"]
    assert listed["count"] == len(SEES[reader]) and _shown(str(listed["events"])) == SEES[reader]


@pytest.mark.slow
@pytest.mark.parametrize("reader", READERS)
def test_the_brief_counts_and_stages_only_what_the_reader_may_see(
    tiers: dict[str | None, TestClient], reader: str, tmp_path: Path
) -> None:
    client = tiers[reader]
    brief = client.get("/briefs/2022-09.json").json()
    expected = {None: "public", "monitor": "public", "partner": "partners"}.get(reader, "governments")
    assert brief["audience"] == expected  # the centre's staff get the governments' brief unless they ask
    shown = {r["description"] for r in brief["field_reports"]["reports"]}
    assert brief["field_reports"]["count"] == len(shown) and shown <= SEES[reader]
    pdf = client.get("/briefs/2022-09.pdf")
    assert pdf.status_code == 200
    (tmp_path / "brief.pdf").write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(tmp_path / "brief.pdf"), "-"], capture_output=True, text=True).stdout
    assert _shown(text) <= SEES[reader] and "Quillfeather" not in text


def _events_in(client: TestClient, url: str) -> int:
    months = client.get(url).json()["events_by_group"]["months"]
    return sum(m["events"] for m in months if m["month"] == "2022-09-01")


@pytest.mark.slow
def test_counts_on_the_country_pages_leave_hidden_reports_out(tiers: dict[str | None, TestClient]) -> None:
    tjk = {reader: _events_in(tiers[reader], "/countries/TJK.json?month=2022-09") for reader in READERS}
    # Tajikistan's reports are the internal one and the partners' one (about water: it counts in two groups)
    assert tjk["government"] == tjk["monitor"] == tjk[None] == 0
    assert tjk["partner"] == 2 and tjk["officer"] == 3
    kgz = {reader: _events_in(tiers[reader], "/countries/KGZ.json?month=2022-09") for reader in READERS}
    assert kgz["officer"] == kgz["government"] == 2 and kgz["partner"] == kgz[None] == 1


@pytest.mark.slow
def test_the_officer_sees_everything_and_may_preview_narrower_audiences(tiers: dict[str | None, TestClient]) -> None:
    officer = tiers["officer"]
    assert _shown(officer.get("/briefs/2022-09?audience=centre").text) == SEES["officer"]
    assert _shown(officer.get("/events.json?audience=partners").text) == SEES["partner"]
    assert _shown(officer.get("/briefs/2022-09.json?audience=governments").text) == SEES["government"]


@pytest.mark.parametrize(
    ("reader", "asked"),
    [(None, "centre"), ("monitor", "governments"), ("partner", "governments"), ("government", "partners")],
)
def test_asking_for_a_wider_audience_is_refused(tiers: dict[str | None, TestClient], reader: str, asked: str) -> None:
    for url in (f"/briefs/2022-09.json?audience={asked}", f"/events.json?audience={asked}"):
        answer = tiers[reader].get(url)
        assert answer.status_code == 403, url
        assert "sees more than" in answer.json()["error"]["message"]
        assert INTERNAL not in answer.text


def test_a_reader_may_narrow_to_the_public(tiers: dict[str | None, TestClient]) -> None:
    answer = tiers["government"].get("/events.json?audience=public&source=field")
    assert answer.status_code == 200 and _shown(answer.text) == {PUBLIC}
