"""The field reports' web flow with the system of record on PostgreSQL: a monitor files through the form with a
photo, an officer verifies through the JSON twin, the report reaches the country page, and the ledger's forms write
there too."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from prevdip.settings import Settings
from prevdip.web import create_app
from signing import make_accounts, sign_in

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fieldwork"))
from field_fixtures import photo  # noqa: E402

pytestmark = pytest.mark.postgres


def test_the_web_flow_on_postgresql(postgres_server: object, tmp_path: Path, bundle: Path) -> None:
    server = postgres_server
    name = server.create_database()  # type: ignore[attr-defined]
    try:
        url = server.url(name)  # type: ignore[attr-defined]
        make_accounts(url)
        settings = Settings(workspace=tmp_path / "workspace", bundle=bundle, database_url=url)  # type: ignore[arg-type]
        with TestClient(create_app(settings)) as app:
            monitor = sign_in(app, "monitor")
            report = {
                "report_id": "FR-PG-1", "revision": "1", "what_happened": "Water tanker turned back at Isfara",
                "category": "water_conflict", "date": "2022-09-15", "country": "TJK", "place": "Isfara",
                "reporter": "monitor", "confidence": "high", "sharing": "public",
            }  # fmt: skip
            filed = monitor.post(
                "/field-reports", data=report, files=[("attachments", ("isfara.jpg", photo(), "image/jpeg"))]
            )
            assert filed.status_code == 200 and "FR-PG-1" in filed.text
            officer = sign_in(app, "officer")
            done = officer.post("/field-reports/FR-PG-1/verify", headers={"Accept": "application/json"})
            assert done.status_code == 200 and done.json()["report"]["published_run"]
            assert "Water tanker turned back at Isfara" in officer.get("/countries/TJK?month=2022-09").text
            partner = {"name": "Government of Tajikistan", "kind": "government", "country": "TJK"}
            assert officer.post("/response/partners", data=partner, follow_redirects=False).status_code == 303
            assert officer.get("/response/partners.json").json()["rows"][0]["name"] == "Government of Tajikistan"
    finally:
        server.drop_database(name)  # type: ignore[attr-defined]
