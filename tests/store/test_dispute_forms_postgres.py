"""The officers' dispute forms on PostgreSQL — the backend a centre runs the dashboard on: a transition written with
its audit entry in one transaction, a refusal or a forged CSRF token writing nothing. (Here beside the server the
storage tests start; the same forms on SQLite are tested with the pages, tests/web/test_disputes_web.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dispute_forms import RELAPSE, last_audit, post_form, written
from prevdip.settings import Settings
from prevdip.web import create_app
from signing import make_accounts, sign_in

pytestmark = pytest.mark.postgres


@pytest.fixture
def officer_on_postgres(postgres_server: Any, tmp_path: Path, bundle: Path) -> Iterator[tuple[TestClient, str]]:
    """A dashboard whose system of record is a fresh PostgreSQL database holding the test accounts, read by an
    officer; the register seeded by the first page."""
    name = postgres_server.create_database()
    url = postgres_server.url(name)
    make_accounts(url)
    settings = Settings(workspace=tmp_path / "workspace", bundle=bundle, database_url=url, public_access="public")  # type: ignore[arg-type]
    try:
        with TestClient(create_app(settings)) as client:
            sign_in(client, "officer").get("/disputes.json")
            yield client, url
    finally:
        postgres_server.drop_database(name)


def test_the_forms_on_postgresql(officer_on_postgres: tuple[TestClient, str]) -> None:
    officer, url = officer_on_postgres
    before = written(url)
    assert (
        before["disputes"] == 6 and before["audit"] == before["disputes"] + before["transitions"] + before["milestones"]
    )
    refused = post_form(officer, "/disputes/kgz-tjk-border/transitions", RELAPSE | {"phase": "resolved"})
    assert refused.status_code == 422 and "resolved only by an agreement" in refused.text
    assert post_form(officer, "/disputes/kgz-tjk-border/transitions", RELAPSE, token="forged").status_code == 403
    assert written(url) == before
    done = post_form(officer, "/disputes/kgz-tjk-border/transitions", RELAPSE)
    assert done.status_code == 303
    after = written(url)
    assert after["transitions"] == before["transitions"] + 1 and after["audit"] == before["audit"] + 1
    last = officer.get("/disputes/kgz-tjk-border.json").json()["dispute"]["history"][-1]
    assert (last["phase"], last["who"]) == ("escalating", "officer")
    assert last_audit(url) == ("officer", f"dispute_transition:{last['id']}")
