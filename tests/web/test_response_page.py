"""``/response`` in process (the centre's staff): the page and its JSON twin, with an empty ledger and over the
ingested bundle."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from prevdip.response import add_action, add_commitment, add_meeting, add_partner, open_ledger
from prevdip.settings import Settings
from prevdip.web import create_app


def test_an_empty_ledger_shows_empty_parts(client: TestClient) -> None:
    """Signing in needs the system of record, so the staff's page always has one: here it holds no records yet."""
    html = client.get("/response")
    assert html.status_code == 200 and "<h1>" in html.text and 'href="/response"' in html.text  # in the menu
    data = client.get("/response.json").json()
    assert data == client.get("/response", headers={"Accept": "application/json"}).json()
    assert data["actions"] == {"available": True, "reason": None, "count": 0, "actions": []}
    assert data["meetings"]["meetings"] == [] and data["commitments"]["commitments"] == []


@pytest.fixture
def ledger_app(bundle_lake: dict[str, Any], bundle: Path, accounts_url: str) -> Iterator[TestClient]:
    """The dashboard over the shared ingested bundle, with a ledger database of this test (holding the test
    accounts) with an action on KGZ-TJK for September 2022, a meeting next month and a commitment already late;
    read by an officer."""
    from signing import sign_in

    url = accounts_url
    soon = date.today() + timedelta(days=30)
    with open_ledger("officer", url=url) as ledger:
        partner = add_partner(ledger, "Government of Tajikistan", "government", "TJK")
        action = add_action(
            ledger, unit_code="KGZ-TJK", warning_month="2022-09", instrument="peacemaking", kind="visit",
            when="2022-09-21", description="Special Representative in Dushanbe", partners=[partner.id],
        )  # fmt: skip
        block = {
            "priority_group": "border_disputes",
            "title": "Borders",
            "warnings": [{"unit": "KGZ-TJK", "month": "2022-09"}],
        }
        add_meeting(ledger, "Deputy foreign ministers", soon, place="Ashgabat", blocks=[block])
        add_commitment(ledger, partner=partner.id, what="withdraw heavy weapons", due="2022-10-15", action=action.id)
    settings = Settings(workspace=bundle_lake["workspace"], bundle=bundle, database_url=url)  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as test_client:
        yield sign_in(test_client, "officer")


@pytest.mark.slow
def test_the_ledger_page_over_the_real_signals(ledger_app: TestClient) -> None:
    data = ledger_app.get("/response.json?month=2022-09").json()
    assert data["month"] == "2022-09"
    unanswered = {w["unit"] for w in data["unanswered"]["warnings"]}
    assert "KGZ-TJK" not in unanswered and {"KGZ", "TJK"} <= unanswered  # the dyad has its action, the countries not
    assert [a["unit"] for a in data["actions"]["actions"]] == ["KGZ-TJK"]
    assert data["meetings"]["meetings"][0]["agenda_blocks"][0]["warnings"] == [{"unit": "KGZ-TJK", "month": "2022-09"}]
    assert [(c["what"], c["status"]) for c in data["commitments"]["commitments"]] == [
        ("withdraw heavy weapons", "late")
    ]
    review = data["review"]
    assert review["actions"][0]["stage"] == "war" and review["summary"][0]["actions"] == 1
    html = ledger_app.get("/response?month=2022-09").text
    for shown in (
        "Special Representative in Dushanbe",
        "Deputy foreign ministers",
        "withdraw heavy weapons",
        "not causation",
    ):
        assert shown in html
