"""``/disputes`` and ``/disputes/{id}`` in process: the register's pages and their JSON twins in English and
Russian, what each audience sees, the officers' forms (written whole with their audit entry, or refused naming the
field with nothing lost of what was typed and nothing written), CSRF and roles."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dispute_forms import RELAPSE, last_audit, post_form, written
from gmcr_uploads import TITLE, officer_copy, uploaded
from prevdip.catalogue import Workspace
from prevdip.disputes import open_register
from prevdip.disputes.records import EventRef, MilestoneIn
from prevdip.disputes.register import write_entry
from prevdip.settings import Settings
from prevdip.store import open_store
from prevdip.web import create_app
from signing import sign_in


def dashboard_settings(workspace: Path, bundle: Path | None, url: str) -> Settings:
    """A dashboard over ``workspace`` keeping its records at ``url``, public access on."""
    return Settings(workspace=workspace, bundle=bundle, database_url=url, public_access="public")  # type: ignore[arg-type]


SHIPPED = {
    "kambarata-1",
    "kgz-tjk-border",
    "kgz-uzb-border",
    "qosh-tepa-canal",
    "rogun-dam",
    "syr-darya-winter-releases",
}


def test_the_register_page_and_its_twin(client: TestClient) -> None:
    data = client.get("/disputes.json").json()
    assert data == client.get("/disputes", headers={"Accept": "application/json"}).json()
    rows = {d["id"]: d for d in data["disputes"]}
    assert set(rows) >= SHIPPED
    border = rows["kgz-tjk-border"]
    assert (border["phase"], border["since"], border["parties"]) == ("resolved", "2025-03-13", ["KGZ", "TJK"])
    assert border["latest"] == {"phase": "resolved", "date": "2025-03-13", "came_from": "managed"}
    # the officer sees the proposals part: with no lake in this workspace it says why
    assert data["proposals"]["available"] is False and "lake" in data["proposals"]["reason"]
    html = client.get("/disputes?lang=en").text
    assert "Kyrgyz–Tajik border" in html and 'href="/disputes/kgz-tjk-border"' in html and 'action="/disputes"' in html
    russian = client.get("/disputes?lang=ru").text
    assert "Кыргызско-таджикская граница" in russian and "урегулирован" in russian and "Споры" in russian
    assert client.get("/disputes.json?lang=ru").json() == data  # the twin is the same in every language
    client.get("/disputes?lang=en")  # the choice is kept on the officer's account: give it back


def test_a_dispute_s_timeline_and_its_twin(client: TestClient) -> None:
    data = client.get("/disputes/kgz-tjk-border.json").json()
    history = [(t["phase"], t["date"]) for t in data["dispute"]["history"]]
    assert history[-3:] == [("violent", "2022-09-14"), ("managed", "2022-09-19"), ("resolved", "2025-03-13")]
    assert (data["phase"], data["since"]) == ("resolved", "2025-03-13")
    assert data["warnings"]["available"] is False and set(data["events"]) == {"KGZ-TJK"}
    assert data["ledger"] == {"available": True, "reason": None, "actions": [], "meetings": [], "commitments": []}
    html = client.get("/disputes/kgz-tjk-border?lang=en").text
    timeline = html[html.index('id="timeline"') :]
    assert (
        timeline.index("2022-09-14") < timeline.index("2022-10-13") < timeline.index("2025-03-13")
    )  # the timeline in date order, milestones among them
    assert "Treaty on the State Border" in html or "treaty" in html.lower()
    assert 'action="/disputes/kgz-tjk-border/transitions"' in html and 'href="/dyads/KGZ-TJK"' in html
    assert "Хронология" in client.get("/disputes/kgz-tjk-border?lang=ru").text
    client.get("/disputes?lang=en")
    assert client.get("/disputes/no-such-dispute.json").status_code == 404


def test_the_page_runs_the_linked_models(client: TestClient) -> None:
    data = client.get("/disputes/rogun-dam.json").json()
    case = data["gmcr"][0]
    assert case["available"] and case["url"] == "/gmcr?example=rogun-vakhsh"
    assert case["equilibria"]["seq"] and set(case["coalition_equilibria"]) == set(case["equilibria"])
    scenarios = {s["scenario"]: s for s in data["basins"]}
    energy = scenarios["amu-darya/energy+rogun"]
    assert energy["url"] == "/water?basin=amu-darya&with=rogun" and energy["total_benefit"] > 0
    assert set(energy["benefit_by_country"]) >= {"TJK", "UZB"}
    html = client.get("/disputes/rogun-dam").text
    assert 'href="/gmcr?example=rogun-vakhsh"' in html and 'href="/water?basin=amu-darya&amp;with=rogun"' in html


@pytest.fixture
def own_app(web_settings: Settings, accounts_url: str) -> Iterator[tuple[TestClient, str]]:
    """A dashboard over the empty workspace with a system of record of this test's own, read by an officer."""
    settings = dashboard_settings(web_settings.workspace, web_settings.bundle, accounts_url)
    with TestClient(create_app(settings)) as client:
        sign_in(client, "officer").get("/disputes.json")  # the register is seeded on first use
        yield client, accounts_url


def test_a_field_report_cited_as_evidence_follows_the_reader_s_audience(
    own_app: tuple[TestClient, str], web_settings: Settings
) -> None:
    officer, url = own_app
    report = EventRef(uid="ab" * 16, source="field", date="2025-05-01", sharing="centre-internal")
    with open_register("officer", url=url) as register:  # as `record_milestone` resolves a cited field report
        milestone = MilestoneIn(what="Monitors report troops at Vorukh", date="2025-05-01", events=[report])
        write_entry(register, "kgz-tjk-border", milestone, "officer")
    seen = officer.get("/disputes/kgz-tjk-border.json").json()["dispute"]["milestones"]
    assert [e["uid"] for m in seen for e in m["events"]] == ["ab" * 16]
    settings = dashboard_settings(web_settings.workspace, web_settings.bundle, url)
    with TestClient(create_app(settings)) as visitor:
        public = visitor.get("/disputes/kgz-tjk-border.json").json()
        assert [m["events"] for m in public["dispute"]["milestones"] if m["what"].startswith("Monitors")] == [[]]
        assert "ab" * 16 not in visitor.get("/disputes/kgz-tjk-border").text
        for hidden in ("ledger", "proposals", "form", "milestone"):  # the centre's: absent, not empty
            assert hidden not in public
        assert "proposals" not in visitor.get("/disputes.json").json()
        html = visitor.get("/disputes/kgz-tjk-border").text
        assert "record-transition" not in html and 'action="/disputes"' not in visitor.get("/disputes").text
        government = sign_in(visitor, "government").get("/disputes/kgz-tjk-border.json").json()
        assert "ab" * 16 not in str(government) and "ledger" not in government


def test_an_officer_records_a_transition(own_app: tuple[TestClient, str]) -> None:
    officer, url = own_app
    before = written(url)
    done = post_form(officer, "/disputes/kgz-tjk-border/transitions", RELAPSE)
    assert done.status_code == 303 and done.headers["location"] == "/disputes/kgz-tjk-border#timeline"
    after = written(url)
    assert after["transitions"] == before["transitions"] + 1 and after["audit"] == before["audit"] + 1
    last = officer.get("/disputes/kgz-tjk-border.json").json()["dispute"]["history"][-1]
    assert (last["phase"], last["date"], last["who"], last["origin"]) == (
        "escalating",
        "2025-06-02",
        "officer",
        "officer",
    )
    assert [s["outlet"] for s in last["sources"]] == ["24.kg", "Asia-Plus, 3 June 2025"]
    assert last_audit(url) == ("officer", f"dispute_transition:{last['id']}")
    assert "Shooting at the Vorukh road" in officer.get("/disputes/kgz-tjk-border").text


def test_a_refused_transition_names_the_field_and_keeps_what_was_typed(own_app: tuple[TestClient, str]) -> None:
    officer, url = own_app
    before = written(url)
    typed = RELAPSE | {"phase": "latent", "note": "Quiet <again> & calm"}
    refused = post_form(officer, "/disputes/kgz-tjk-border/transitions", typed)
    assert refused.status_code == 422
    html = refused.text
    assert "a resolved dispute cannot become latent (from resolved: escalating, violent)" in html
    assert re.search(r'<label class="invalid">[^<]*Phase\s*<select name="phase" aria-invalid="true">', html)
    assert '<option value="latent" selected>' in html  # what was typed, kept
    assert 'value="2025-06-02"' in html and "Asia-Plus, 3 June 2025</textarea>" in html
    assert 'value="Quiet &lt;again&gt; &amp; calm"' in html  # escaped, not lost
    future = post_form(officer, "/disputes/kgz-tjk-border/transitions", RELAPSE | {"date": "2999-01-01"})
    assert future.status_code == 422 and re.search(r'<label class="invalid">[^<]*Date', future.text)
    assert "is in the future" in future.text
    as_json = officer.post("/disputes/kgz-tjk-border/transitions.json", data={})
    assert as_json.status_code in (404, 405)  # forms have no twin; a program asks with Accept
    api = officer.post("/disputes/kgz-tjk-border/transitions", data=typed, headers={"Accept": "application/json"})
    assert api.status_code == 422 and "cannot become latent" in api.json()["error"]["message"]
    assert written(url) == before  # nothing written by any of them


def test_forged_csrf_and_other_roles_write_nothing(own_app: tuple[TestClient, str], web_settings: Settings) -> None:
    officer, url = own_app
    before = written(url)
    forged = post_form(officer, "/disputes/kgz-tjk-border/transitions", RELAPSE, token="forged")
    assert forged.status_code == 403
    assert post_form(officer, "/disputes", {"id": "x"}, token="").status_code == 403
    settings = dashboard_settings(web_settings.workspace, web_settings.bundle, url)
    for role in ("government", "partner", "monitor"):
        with TestClient(create_app(settings)) as other:
            sign_in(other, role)
            answer = other.post("/disputes/kgz-tjk-border/transitions", data=RELAPSE, follow_redirects=False)
            assert answer.status_code == 403, role
            assert other.post("/disputes/kgz-tjk-border/milestones", data={"what": "x"}).status_code == 403
    assert written(url) == before


def test_an_officer_adds_a_milestone_and_a_dispute(own_app: tuple[TestClient, str]) -> None:
    officer, url = own_app
    milestone = {"what": "Demarcation begins at Vorukh", "date": "2025-05", "sources": "Interfax, 2 May 2025"}
    assert post_form(officer, "/disputes/kgz-tjk-border/milestones", milestone).status_code == 303
    shown = officer.get("/disputes/kgz-tjk-border.json").json()["dispute"]["milestones"]
    assert [(m["what"], m["precision"]) for m in shown if m["origin"] == "officer"] == [
        ("Demarcation begins at Vorukh", "month")
    ]
    sokh = {
        "id": "sokh-enclave", "name": "Sokh enclave", "name_ru": "Сохский анклав", "parties": "UZB, KGZ",
        "issues": "border_enclaves", "priority_group": "border_disputes", "dyads": "KGZ-UZB", "provinces": "",
        "basins": "", "summary": "The Uzbek exclave of Sokh in Batken", "phase": "latent", "date": "1991-12-26",
        "evidence": "", "sources": "https://example.org/sokh",
    }  # fmt: skip
    before = written(url)
    wrong = post_form(officer, "/disputes", sokh | {"parties": "UZB, XXX"})
    assert wrong.status_code == 422 and "parties: unknown party &#39;XXX&#39;" in wrong.text
    assert re.search(r'<label class="invalid">[^<]*Parties[^<]*<input name="parties" value="UZB, XXX"', wrong.text)
    assert 'value="Сохский анклав"' in wrong.text and written(url) == before
    added = post_form(officer, "/disputes", sokh)
    assert added.status_code == 303 and added.headers["location"] == "/disputes/sokh-enclave#timeline"
    data = officer.get("/disputes/sokh-enclave.json").json()
    assert data["dispute"]["units"]["dyads"] == ["KGZ-UZB"] and data["phase"] == "latent"
    assert last_audit(url)[0] == "officer" and written(url)["disputes"] == before["disputes"] + 1


@pytest.fixture
def upload_app(
    tmp_path: Path, bundle: Path, accounts_url: str, initialised: Callable[[Path], Path]
) -> Iterator[tuple[TestClient, str, Settings]]:
    """A dashboard over a workspace of this test's own (uploads are written to it), read by an officer."""
    settings = dashboard_settings(initialised(tmp_path / "workspace"), bundle, accounts_url)
    with TestClient(create_app(settings)) as client:
        yield sign_in(client, "officer"), accounts_url, settings


def test_an_officer_links_an_uploaded_model_and_the_dispute_runs_it(
    upload_app: tuple[TestClient, str, Settings],
) -> None:
    officer, url, settings = upload_app
    upload = officer.post(
        "/gmcr", files={"model": ("e.json", officer_copy(), "application/json")}, follow_redirects=False
    )
    assert upload.status_code == 303, upload.text[:300]
    model_id = upload.headers["location"].rpartition("=")[2]
    on = f"/gmcr?model={model_id}"
    page = officer.get(f"{on}&lang=en").text
    assert 'action="/gmcr/links"' in page and "Link to dispute" in page and f'value="upload:{model_id}"' in page
    before = written(url)
    link = {"dispute": "kgz-uzb-border", "gmcr": f"upload:{model_id}"}
    done = post_form(officer, "/gmcr/links", link, on=on)
    assert done.status_code == 303 and done.headers["location"] == "/disputes/kgz-uzb-border#models"
    assert written(url)["audit"] == before["audit"] + 1  # one entry about disputes (staff reads are logged besides)
    with open_store(url) as store:
        entry = next(e for e in store.audit.recent(limit=100) if e.what.startswith("dispute"))
    assert (entry.who, entry.what, entry.after) == ("officer", "dispute:kgz-uzb-border", {"gmcr_cases": [link["gmcr"]]})

    data = officer.get("/disputes/kgz-uzb-border.json").json()
    assert data["dispute"]["gmcr_cases"] == [f"upload:{model_id}"]  # the twin carries the link
    [case] = data["gmcr"]
    equilibria = officer.get(f"/gmcr.json?model={model_id}").json()["model"]["analysis"]["equilibria"]
    assert (case["available"], case["case"], case["title"], case["url"]) == (True, f"upload:{model_id}", TITLE, on)
    assert case["equilibria"] == equilibria and equilibria["seq"]  # run as its own page runs it
    html = officer.get("/disputes/kgz-uzb-border?lang=en").text
    models = html[html.index('id="models"') :]
    assert f'href="{on}"' in models and TITLE.replace("'", "&#39;") in models and equilibria["seq"][0] in models
    form = officer.get(f"/gmcr.json?model={model_id}").json()["link"]
    assert [d["id"] for d in form["linked"]] == ["kgz-uzb-border"]
    assert "kgz-uzb-border" not in {d["id"] for d in form["disputes"]} and "rogun-dam" in {
        d["id"] for d in form["disputes"]
    }

    before = written(url)  # linking it again is refused on the model's page, beside the choice, nothing written
    refused = post_form(officer, "/gmcr/links", link, on=on)
    assert refused.status_code == 422 and "kgz-uzb-border already links" in refused.text
    assert re.search(
        r'<label class="invalid">\s*Link to dispute\s*<select name="dispute" aria-invalid="true">', refused.text
    )
    assert written(url) == before

    with TestClient(create_app(settings)) as visitor:  # the upload is the centre's: a lesser audience sees no trace
        for reader in (visitor, sign_in(visitor, "government")):
            public = reader.get("/disputes/kgz-uzb-border.json")
            assert public.json()["dispute"]["gmcr_cases"] == [] and public.json()["gmcr"] == []
            assert model_id not in public.text and model_id not in reader.get("/disputes/kgz-uzb-border").text

    (Workspace(settings.workspace).gmcr_models / f"{model_id}.json").unlink()  # gone from the workspace
    [gone] = officer.get("/disputes/kgz-uzb-border.json").json()["gmcr"]
    assert gone["available"] is False and gone["reason"].startswith(f"The uploaded model {model_id} is no longer")
    assert "upload it again on the GMCR page" in officer.get("/disputes/kgz-uzb-border?lang=en").text


def test_only_officers_link_models_and_only_with_the_form_s_token(upload_app: tuple[TestClient, str, Settings]) -> None:
    officer, url, settings = upload_app
    model_id = uploaded(settings.workspace)
    link = {"dispute": "kgz-uzb-border", "gmcr": f"upload:{model_id}"}
    before = written(url)
    for token in ("", "forged"):
        assert post_form(officer, "/gmcr/links", link, token=token, on=f"/gmcr?model={model_id}").status_code == 403
    for role in ("monitor", "government", "partner", None):
        with TestClient(create_app(settings)) as other:
            if role is not None:
                sign_in(other, role)
            answer = other.post("/gmcr/links", data=link, follow_redirects=False)
            if role is None:  # a visitor is sent to sign in, as on every staff route
                assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=/gmcr/links")
            else:
                assert answer.status_code == 403, role
            assert "/gmcr/links" not in other.get("/gmcr?lang=en").text
    assert written(url) == before


def test_the_menu_links_the_register(client: TestClient) -> None:
    assert 'href="/disputes"' in client.get("/").text


def test_unit_pages_link_the_disputes_living_on_them(client: TestClient) -> None:
    dyad = client.get("/dyads/KGZ-TJK.json").json()["disputes"]
    assert [d["id"] for d in dyad] == ["kgz-tjk-border"] and dyad[0]["phase"] == "resolved"
    country = {d["id"] for d in client.get("/countries/TJK.json").json()["disputes"]}
    assert country == {"kgz-tjk-border", "rogun-dam"}
    assert {d["id"] for d in client.get("/index.json").json()["disputes"]} >= SHIPPED
    html = client.get("/dyads/KGZ-TJK?lang=en").text
    assert 'href="/disputes/kgz-tjk-border"' in html and "Disputes living here" in html
    assert 'href="/disputes/rogun-dam"' in client.get("/countries/TJK?lang=en").text
    assert 'href="/disputes/qosh-tepa-canal"' in client.get("/?lang=en").text


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ("kgz-tjk-border: a resolved dispute cannot become latent (from resolved: escalating, violent)", "phase"),
        ("kgz-tjk-border: the dispute is already resolved (since 2025-03-13)", "phase"),
        ("kgz-tjk-border: 2024-01-01 is before the last recorded transition (resolved on 2025-03-13)", "date"),
        ("date: 2999-01-01 is in the future: record what has happened", "date"),
        ("rogun-dam: a dispute is resolved only by an agreement: record the agreement in the evidence", "evidence"),
        ("evidence: cannot read 'x'", "evidence"),
        ("history.0.date: bad date 'soon'", "date"),
        ("name.ru: String should have at least 1 character", "name_ru"),
        ("units.provinces: unknown province 'KGZ:Nowhere'", "provinces"),
        ("issues.0: Input should be 'border_enclaves', ...", "issues"),
        ("the register is not reachable", None),
    ],
)
def test_a_refusal_names_its_field_on_the_form(message: str, field: str | None) -> None:
    from prevdip.web._routes import DISPUTE_FIELDS, TRANSITION_FIELDS
    from prevdip.web.services.disputes import field_named

    fields = DISPUTE_FIELDS if field in ("name_ru", "provinces", "issues") else TRANSITION_FIELDS
    assert field_named(message, fields) == field
