"""Every route × every reader → allowed or refused, generated from the one route table, for HTML, the JSON twin and
the PDF; and no route of the application is without a rule."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from prevdip.catalogue import Workspace
from prevdip.settings import Settings
from prevdip.web import create_app
from prevdip.web._routes import guarded_router, route
from prevdip.web.access import ROUTES, Access, served
from signing import ACCOUNTS, csrf_of, sign_in

#: Who reads: each role, and a visitor with public access on (``public``) and off (``nobody``).
READERS = ["nobody", "public", *ACCOUNTS]


def _photo() -> bytes:
    """A real (tiny) PNG, as a phone would attach."""
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


PHOTO = _photo()
#: The monitor's report the matrix reads (filed by the fixture), and its photo.
REPORT = "FR-MATRIX-1"
EXAMPLES = {
    "{iso3}": "TJK",
    "{a}-{b}": "KGZ-TJK",
    "{month}": "2022-09",
    "{dispute_id}": "kgz-tjk-border",
    "{uid}": "515fe2ceb8bdd15514dd81096edd2c42",
    "{report_id}": REPORT,
    "{sha256}": hashlib.sha256(PHOTO).hexdigest(),
}
#: Pages of one event, which the matrix's empty lake does not hold: an admitted reader is told so (404).
NOT_IN_AN_EMPTY_LAKE = {"/events/{uid}", "/events/{uid}.json"}


def _url(path: str) -> str:
    for placeholder, value in EXAMPLES.items():
        path = path.replace(placeholder, value)
    return path


#: Who each rule admits, written out here (not asked of the code under test).
ADMITS = {
    Access.open: set(READERS),
    Access.public_board: set(READERS) - {"nobody"},
    Access.field_reporters: {"monitor", "officer", "admin"},
    Access.centre_staff: {"officer", "admin"},
    Access.admin: {"admin"},
}


def _admitted(rule: Access, reader: str) -> bool:
    return reader in ADMITS[rule]


@pytest.fixture(scope="module")
def readers(web_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, TestClient]]:
    """A client per reader: visitors of a dashboard with public access off and on, and each role signed in. The
    workspace is one `prevdip init` made, with nothing ingested: the events export refuses a folder that is none."""
    workspace = tmp_path_factory.mktemp("matrix-workspace")
    for folder in Workspace.FOLDERS:
        (workspace / folder).mkdir()
    web_settings = web_settings.model_copy(update={"workspace": workspace})
    closed = web_settings.model_copy(update={"public_access": "none"})
    clients: dict[str, TestClient] = {}
    with TestClient(create_app(closed)) as nobody, TestClient(create_app(web_settings)) as anyone:
        clients["nobody"], clients["public"] = nobody, anyone
        for name in ACCOUNTS:
            clients[name] = sign_in(TestClient(create_app(web_settings)).__enter__(), name)
        for visitor in (nobody, anyone):  # visitors carry the sign-in form's token: a POST is judged on its rule
            visitor.headers["X-CSRF-Token"] = csrf_of(visitor.get("/login").text)
        report = {
            "report_id": REPORT,
            "date": "2022-09-14",
            "place": "Vorukh",
            "country": "TJK",
            "what_happened": "Stones thrown at the canal intake",
            "category": "border_incident",
            "reporter": "monitor",
            "confidence": "high",
            "sharing": "centre-internal",
        }
        filed = clients["monitor"].post(
            "/field-reports", data=report, files=[("attachments", ("intake.png", PHOTO, "image/png"))]
        )
        assert filed.status_code == 200, filed.text[:300]
        yield clients
        for name in ACCOUNTS:
            clients[name].__exit__(None, None, None)


GETS = [(path, rule) for (method, path), rule in ROUTES.items() if method == "GET" and path != "/static"]


def _refusal(reader: str, rule: Access, as_json: bool) -> int:
    if reader in ("nobody", "public") or not _admitted(rule, reader):
        anonymous = reader in ("nobody", "public")
        return (401 if as_json else 303) if anonymous else 403
    raise AssertionError("admitted")


@pytest.mark.slow
@pytest.mark.parametrize("reader", READERS)
def test_every_page_and_twin_for_every_reader(readers: dict[str, TestClient], reader: str) -> None:
    client = readers[reader]
    seen: list[str] = []
    for path, rule in GETS:
        url = _url(path)
        for face, headers in (("html", {"Accept": "text/html"}), ("json", {"Accept": "application/json"})):
            answer = client.get(url, headers=headers, follow_redirects=False)
            if path == "/login" and reader in ACCOUNTS:
                assert answer.status_code == 303 and answer.headers["location"] == "/"  # signed in already
            elif _admitted(rule, reader):
                expected = 404 if path in NOT_IN_AN_EMPTY_LAKE else 200
                assert answer.status_code == expected, (reader, url, face, answer.text[:200])
            else:
                as_json = face == "json" or path.endswith(".json")
                assert answer.status_code == _refusal(reader, rule, as_json), (reader, url, face)
                assert "Vorukh" not in answer.text
                if answer.status_code == 303:
                    assert answer.headers["location"].startswith("/login?next=/")
            seen.append(f"{face} {url}")
    assert len(seen) == 2 * len(GETS)


@pytest.mark.parametrize("reader", READERS)
def test_posts_are_judged_by_their_rule(readers: dict[str, TestClient], reader: str) -> None:
    client = readers[reader]
    upload = client.post("/gmcr", headers={"Accept": "application/json"}, files={"model": ("m.json", b"", "x")})
    if _admitted(ROUTES.rule("POST", "/gmcr"), reader):  # type: ignore[arg-type]
        assert upload.status_code == 422  # the handler ran: an empty model is refused on its form
    else:
        assert upload.status_code == (401 if reader in ("nobody", "public") else 403)
    # the officers' dispute forms: an empty form reaches the register's rules (422) only for the centre's staff
    for path in ("/disputes", "/disputes/kgz-tjk-border/transitions", "/disputes/kgz-tjk-border/milestones"):
        answer = client.post(path, headers={"Accept": "application/json"}, data={"phase": "", "date": ""})
        if _admitted(ROUTES.rule("POST", path.replace("kgz-tjk-border", "{dispute_id}")), reader):  # type: ignore[arg-type]
            assert answer.status_code == 422, (reader, path, answer.text[:200])
        else:
            assert answer.status_code == (401 if reader in ("nobody", "public") else 403), (reader, path)
    # linking a GMCR model to a dispute: a form without a model reaches the register's rules only for the staff
    link = client.post("/gmcr/links", headers={"Accept": "application/json"}, data={"dispute": "kgz-tjk-border"})
    if _admitted(ROUTES.rule("POST", "/gmcr/links"), reader):  # type: ignore[arg-type]
        assert link.status_code == 422 and "gmcr_cases" in link.text, (reader, link.text[:200])
    else:
        assert link.status_code == (401 if reader in ("nobody", "public") else 403), reader
    report = client.post("/field-reports", headers={"Accept": "application/json"}, json={"report_id": "x"})
    if _admitted(Access.field_reporters, reader):
        assert report.status_code == 422 and "date" in report.text  # the handler ran: the report is incomplete
    else:
        assert report.status_code == (401 if reader in ("nobody", "public") else 403)
    verify = client.post("/field-reports/FR-NONE/verify", headers={"Accept": "application/json"})
    expected = 404 if _admitted(Access.centre_staff, reader) else 401 if reader in ("nobody", "public") else 403
    assert verify.status_code == expected
    # signing in is open to everyone: with no name and password the handler answers "wrong"
    assert client.post("/login", data={"username": "", "password": ""}).status_code == 401


@pytest.mark.parametrize("reader", ["public", "monitor", "partner", "government"])
def test_uploaded_models_are_the_staff_s(readers: dict[str, TestClient], reader: str) -> None:
    answer = readers[reader].get("/gmcr.json?model=deadbeefdeadbeef")
    assert answer.status_code == (401 if reader == "public" else 403)
    assert readers["officer"].get("/gmcr.json?model=deadbeefdeadbeef").status_code == 404  # allowed: not there


@pytest.mark.parametrize("reader", READERS)
def test_the_brief_pdf_face(readers: dict[str, TestClient], reader: str) -> None:
    answer = readers[reader].get("/briefs/2022-09.pdf", follow_redirects=False)
    if reader == "nobody":
        assert answer.status_code == 303 and answer.headers["location"] == "/login?next=/briefs/2022-09.pdf"
    else:
        assert answer.status_code == 200 and answer.content.startswith(b"%PDF-")


def test_head_serves_nothing_a_get_would_refuse(readers: dict[str, TestClient]) -> None:
    for path, rule in GETS:
        answer = readers["nobody"].head(_url(path))
        assert answer.status_code in (303, 401, 405) or rule is Access.open, path
        assert answer.content == b""
    assert readers["nobody"].head("/static/css/prevdip.css").status_code == 200  # assets are open


def test_every_route_of_the_app_has_a_rule(client: TestClient) -> None:
    app: FastAPI = client.app  # type: ignore[assignment]
    routes = served(app.routes)
    paths = {path for _, path in routes}
    for expected in ("/static", "/api/docs", "/openapi.json", "/login", "/logout", "/admin/audit", "/"):
        assert expected in paths
    assert ("HEAD", "/static") in routes
    assert ROUTES.unruled(app.routes) == []
    assert all(ROUTES.rule(method, path) is not None for method, path in routes)


def test_a_route_without_a_rule_stops_the_app_from_starting(web_settings: Settings) -> None:
    app = create_app(web_settings)
    stray = guarded_router()
    stray.add_api_route("/stray", lambda: {"secret": 1}, methods=["GET"])
    app.include_router(stray)
    assert ROUTES.unruled(app.routes) == ["GET /stray"]
    with TestClient(app) as client:  # and were it served anyway, the guard refuses it
        assert client.get("/stray", headers={"Accept": "application/json"}).status_code == 403


def test_a_declared_rule_cannot_be_changed() -> None:
    with pytest.raises(ValueError, match="already has the rule"):
        route(guarded_router(), "GET", "/response", Access.public_board)(lambda: None)


def _matrix() -> dict[str, Any]:
    return {f"{m} {p}": r.value for (m, p), r in ROUTES.items()}


def test_the_table_names_the_rules_the_issue_asks_for(readers: dict[str, TestClient]) -> None:
    table = _matrix()  # read once an app is built: some routes (/openapi.json) are declared by create_app
    for public in ("/countries/{iso3}", "/dyads/{a}-{b}", "/events", "/forecasts", "/backtests", "/water", "/gmcr"):
        assert table[f"GET {public}"] == table[f"GET {public}.json"] == "public board"
    assert table["GET /"] == table["GET /index.json"] == table["GET /briefs/{month}.pdf"] == "public board"
    assert table["GET /water/deal"] == table["GET /openapi.json"] == table["GET /api/docs"] == "public board"
    assert table["GET /response"] == table["POST /gmcr"] == table["POST /gmcr/links"] == "centre staff"
    assert table["GET /field-reports/new"] == table["POST /field-reports"] == "field reporters"
    assert table["GET /field-reports"] == table["GET /field-reports.json"] == "field reporters"
    assert table["POST /field-reports/{report_id}/verify"] == "centre staff"
    assert table["POST /field-reports/{report_id}/reject"] == table["POST /field-reports/{report_id}/merge"]
    assert table["GET /admin/audit"] == table["GET /admin/audit.json"] == "admin"
    assert table["GET /login"] == table["POST /login"] == table["POST /logout"] == table["GET /static"] == "open"
