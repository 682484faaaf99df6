"""The dispute pages over the reference bundle's lake: the signals' proposals confirmed in one click, the warnings
and events on a dispute's units, and the brief's "Disputes" section on the Kyrgyz-Tajik border in September 2022
(HTML and PDF, English and Russian, each audience)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dispute_forms import post_form, written
from prevdip.disputes import add_dispute, open_register
from prevdip.response import add_action, add_commitment, add_partner, open_ledger
from prevdip.settings import Settings
from prevdip.web import create_app
from signing import sign_in

#: A dispute an officer puts on the register, living on the Kyrgyz-Tajik dyad from January 2021: the signals then
#: propose `violent` for the fighting of April 2021 (one death in UCDP's series, docs/disputes.md).
WATCHED = {
    "id": "isfara-watch",
    "name": {"en": "Isfara valley watch", "ru": "Наблюдение за Исфаринской долиной"},
    "parties": ["KGZ", "TJK"],
    "issues": ["border_enclaves"],
    "priority_group": "border_disputes",
    "units": {"dyads": ["KGZ-TJK"]},
    "summary": "The Golovnoy intake and the roads around Vorukh",
    "history": [{"phase": "latent", "date": "2021-01-01", "sources": [{"outlet": "the centre's watch list"}]}],
}


@pytest.fixture(scope="module")
def lake_app(
    bundle_lake: dict[str, Any], bundle: Path, accounts_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, str]]:
    """The dashboard over the ingested bundle with a system of record of this module's own: the watched dispute,
    an action on KGZ-TJK for the warning of September 2022 and a commitment made in it, due at the month's end."""
    from signing import copy_accounts

    url = copy_accounts(accounts_template, tmp_path_factory.mktemp("disputes-lake"))
    with open_register("officer", url=url) as register:
        add_dispute(register, WATCHED, workspace=bundle_lake["workspace"])
    with open_ledger("officer", url=url) as ledger:
        partner = add_partner(ledger, "Government of Kyrgyzstan", "government", "KGZ")
        action = add_action(
            ledger, unit_code="KGZ-TJK", warning_month="2022-09", instrument="peacemaking", kind="visit",
            when="2022-09-21", description="Special Representative in Bishkek", partners=[partner.id],
        )  # fmt: skip
        add_commitment(ledger, partner=partner.id, what="pull back from the Vorukh road", due="2022-09-30",
                       action=action.id)  # fmt: skip
    settings = Settings(workspace=bundle_lake["workspace"], bundle=bundle, database_url=url, public_access="public")  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        yield sign_in(client, "officer"), url


@pytest.mark.slow
def test_an_officer_confirms_a_proposed_transition(lake_app: tuple[TestClient, str]) -> None:
    officer, url = lake_app
    listed = officer.get("/disputes.json").json()
    assert listed["proposals"]["available"]
    pending = [p for p in listed["proposals"]["pending"] if p["proposal"]["dispute"] == "isfara-watch"]
    first = pending[0]
    assert (first["proposal"]["phase"], first["proposal"]["month"]) == ("violent", "2021-04")
    assert [u["unit"] for u in first["proposal"]["units"]] == ["KGZ-TJK"]
    assert first["confirm"]["phase"] == "violent" and first["confirm"]["date"] == "2021-04"
    assert "KGZ-TJK 2021-04: 1 deaths" in first["confirm"]["sources"]
    assert next(r for r in listed["disputes"] if r["id"] == "isfara-watch")["proposals"] == len(pending)
    page = officer.get("/disputes/isfara-watch?lang=en").text
    assert 'action="/disputes/isfara-watch/transitions"' in page and 'value="2021-04"' in page
    before = written(url)
    done = post_form(officer, "/disputes/isfara-watch/transitions", {k: v or "" for k, v in first["confirm"].items()})
    assert done.status_code == 303, done.text[-2000:]
    history = officer.get("/disputes/isfara-watch.json").json()["dispute"]["history"]
    assert [(t["phase"], t["date"], t["precision"]) for t in history] == [
        ("latent", "2021-01-01", "day"),
        ("violent", "2021-04", "month"),
    ]
    assert written(url)["transitions"] == before["transitions"] + 1
    after = officer.get("/disputes/isfara-watch.json").json()["proposals"]["pending"]
    assert all(p["proposal"]["month"] >= "2021-04" for p in after)
    assert not any(p["proposal"]["phase"] == "violent" and p["proposal"]["month"] == "2021-04" for p in after)


@pytest.mark.slow
def test_the_timeline_shows_the_warnings_and_events_on_its_units(lake_app: tuple[TestClient, str]) -> None:
    officer, _ = lake_app
    data = officer.get("/disputes/kgz-tjk-border.json?month=2022-09").json()
    assert data["month"] == "2022-09"
    assert "KGZ-TJK" in {w["unit"] for w in data["warnings"]["warnings"]}
    assert data["events"]["KGZ-TJK"]["available"] and data["events"]["KGZ-TJK"]["events"]
    ledger = data["ledger"]
    assert [a["description"] for a in ledger["actions"]] == ["Special Representative in Bishkek"]
    assert [c["what"] for c in ledger["commitments"]] == ["pull back from the Vorukh road"]
    # typed records with the keys, in the order, that `prevdip response action|commitment list --json` shows
    action = ["id", "unit", "unit_kind", "month", "instrument", "kind", "date", "description", "programme_item_id"]
    assert list(ledger["actions"][0]) == [*action, "partners", "version"]
    commitment = ["id", "partner", "partner_id", "what", "due", "status", "action_id", "meeting_id", "version"]
    assert list(ledger["commitments"][0]) == [*commitment, "recorded_status"]


def _pdf_text(body: bytes, folder: Path) -> str:
    path = folder / "brief.pdf"
    path.write_bytes(body)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())  # pdftotext breaks long lines


@pytest.mark.slow
def test_the_brief_s_disputes_section_on_the_kyrgyz_tajik_border(
    lake_app: tuple[TestClient, str], tmp_path: Path
) -> None:
    officer, _ = lake_app
    centre = officer.get("/briefs/2022-09.json?audience=centre").json()["disputes"]
    moves = [(c["id"], c["came_from"], c["to"], c["date"]) for c in centre["changes"]]
    assert moves == [
        ("kgz-tjk-border", "managed", "violent", "2022-09-14"),
        ("kgz-tjk-border", "violent", "managed", "2022-09-19"),
    ]
    warned = {w["id"]: w["units"] for w in centre["warned"]}
    assert warned["kgz-tjk-border"] == ["KGZ-TJK"] and warned["isfara-watch"] == ["KGZ-TJK"]
    assert [(c["dispute"], c["what"], c["status"]) for c in centre["commitments"]] == [
        ("isfara-watch", "pull back from the Vorukh road", "open"),  # as it stood at the month's end
        ("kgz-tjk-border", "pull back from the Vorukh road", "open"),
    ]
    governments = officer.get("/briefs/2022-09.json").json()["disputes"]
    assert governments["changes"] == centre["changes"] and "commitments" not in governments  # the ledger stays home
    html = officer.get("/briefs/2022-09?lang=en").text
    section = html[html.index("<h2>Disputes</h2>") :]
    assert "Phase changes this month" in section and "managed → <strong>violent</strong>, 2022-09-14" in section
    assert "pull back from the Vorukh road" not in html
    russian = officer.get("/briefs/2022-09?lang=ru").text
    assert "<h2>Споры</h2>" in russian and "Кыргызско-таджикская граница" in russian
    assert "управляемый → <strong>вооружённый конфликт</strong>, 2022-09-14" in russian
    pdf = officer.get("/briefs/2022-09.pdf?audience=centre&lang=en")
    text = _pdf_text(pdf.content, tmp_path)
    assert "Phase changes this month" in text and "pull back from the Vorukh road" in text
    officer.get("/disputes?lang=en")  # the language chosen above is kept on the account: give it back
