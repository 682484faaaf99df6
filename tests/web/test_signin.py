"""Signing in and out: CSRF on every state-changing request, sessions that expire (idle and absolute, on an injected
clock), lockout after repeated failures, API tokens and their revocation, a disabled account's live session ending,
no open redirect, the language kept per user, and all of it in the audit log."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from prevdip.accounts import create_token, disable_user, open_accounts, set_role
from prevdip.settings import Settings
from prevdip.store import open_store
from prevdip.web import create_app
from prevdip.web.access import PRE_SESSION_COOKIE, SESSION_COOKIE
from signing import PASSWORD, csrf_of, sign_in

PRISONERS = json.dumps(
    {
        "name": "Prisoner's dilemma",
        "form": "graph",
        "decision_makers": ["A", "B"],
        "states": ["1", "2", "3", "4"],
        "moves": {"A": [["1", "2"], ["2", "1"], ["3", "4"], ["4", "3"]], "B": [["1", "3"], ["3", "1"], ["2", "4"]]},
        "preferences": {"A": [["2"], ["1"], ["4"], ["3"]], "B": [["3"], ["1"], ["4"], ["2"]]},
    }
).encode()


class Clock:
    """A clock the test moves on."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def settings(tmp_path: Path, bundle: Path, accounts_url: str, initialised: Callable[[Path], Path]) -> Settings:
    return Settings(workspace=initialised(tmp_path / "workspace"), bundle=bundle, database_url=accounts_url)  # type: ignore[arg-type]


@pytest.fixture
def dashboard(settings: Settings) -> Iterator[TestClient]:
    """A dashboard with public access off (the default), its clock injectable as ``client.app.state.identity``."""
    with TestClient(create_app(settings)) as client:
        yield client


def _audit(settings: Settings, what_prefix: str) -> list[dict[str, object]]:
    with open_store(settings.effective_database_url) as store:
        return [e.as_dict() for e in store.audit.recent() if str(e.what).startswith(what_prefix)]


def test_a_visitor_is_sent_to_sign_in_and_comes_back(dashboard: TestClient, settings: Settings) -> None:
    answer = dashboard.get("/countries/TJK?month=2022-09", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login?next=/countries/TJK%3Fmonth%3D2022-09"
    form = dashboard.get(answer.headers["location"])
    assert 'name="next" value="/countries/TJK?month=2022-09"' in form.text
    assert form.cookies.get(PRE_SESSION_COOKIE) or dashboard.cookies.get(PRE_SESSION_COOKIE)
    done = dashboard.post(
        "/login",
        data={"username": "officer", "password": PASSWORD, "csrf_token": csrf_of(form.text), "next": "/events"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/events"
    cookie = done.headers["set-cookie"]
    assert f"{SESSION_COOKIE}=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http on 127.0.0.1
    page = dashboard.get("/")
    assert "Signed in as <strong>officer</strong>" in page.text and ">officer</span>" in page.text
    assert [e["after"] for e in _audit(settings, "sign-in:officer")] == [{"result": "success"}]
    assert dashboard.get("/index.json").status_code == 200
    forger = TestClient(dashboard.app, cookies={SESSION_COOKIE: "forged.value"})
    assert forger.get("/index.json").status_code == 401


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"])
def test_next_never_leaves_the_site(dashboard: TestClient, target: str) -> None:
    form = dashboard.get("/login")
    done = dashboard.post(
        "/login",
        data={"username": "officer", "password": PASSWORD, "csrf_token": csrf_of(form.text), "next": target},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/"


def test_a_new_session_at_every_sign_in(dashboard: TestClient) -> None:
    sign_in(dashboard, "officer")
    first = dashboard.cookies.get(SESSION_COOKIE)
    dashboard.cookies.set(SESSION_COOKIE, first or "")
    sign_in(TestClient(dashboard.app), "officer")
    form = dashboard.get("/login", follow_redirects=False)
    assert form.status_code == 303  # still signed in: no form
    other = TestClient(dashboard.app)
    sign_in(other, "officer")
    assert other.cookies.get(SESSION_COOKIE) != first


def test_forged_posts_are_refused_and_change_nothing(dashboard: TestClient, settings: Settings) -> None:
    # sign-in without the form's token
    dashboard.get("/login")
    forged = dashboard.post("/login", data={"username": "officer", "password": PASSWORD, "csrf_token": "forged"})
    assert forged.status_code == 403 and SESSION_COOKIE not in forged.headers.get("set-cookie", "")
    assert _audit(settings, "sign-in:") == []
    # an upload without the session's token
    sign_in(dashboard, "officer")
    token = dashboard.headers.pop("X-CSRF-Token")
    models = settings.workspace / "gmcr" / "models"
    for headers in ({}, {"X-CSRF-Token": "forged"}, {"X-CSRF-Token": token + "x"}):
        answer = dashboard.post("/gmcr", files={"model": ("pd.json", PRISONERS, "application/json")}, headers=headers)
        assert answer.status_code == 403 and "security token" in answer.text
    assert not models.exists() or list(models.iterdir()) == []
    # sign-out without it: still signed in
    assert dashboard.post("/logout", data={"csrf_token": "forged"}).status_code == 403
    assert dashboard.get("/index.json").status_code == 200
    # with it (the form field, as the header's sign-out button sends it), signed out
    out = dashboard.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303
    assert dashboard.get("/index.json").status_code == 401
    assert [e["who"] for e in _audit(settings, "sign-out:")] == ["officer"]


def test_the_upload_with_its_token_is_accepted(dashboard: TestClient, settings: Settings) -> None:
    pytest.importorskip("prevdip.gmcr")
    sign_in(dashboard, "officer")
    token = dashboard.headers.pop("X-CSRF-Token")
    answer = dashboard.post(
        "/gmcr",
        files={"model": ("pd.json", PRISONERS, "application/json")},
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code in (303, 422)  # accepted by the guard; the engine judges the model
    assert "security token" not in answer.text


def test_sessions_end_when_idle_and_after_their_lifetime(dashboard: TestClient, settings: Settings) -> None:
    clock = Clock()
    dashboard.app.state.identity.clock = clock  # type: ignore[attr-defined]
    sign_in(dashboard, "officer")
    for _ in range(24):  # used every 29 minutes (11.6 h in all): never idle for 30, ...
        clock.now += timedelta(minutes=29)
        assert dashboard.get("/index.json").status_code == 200
    clock.now += timedelta(minutes=29)  # ... but 12 h after sign-in it ends all the same
    assert dashboard.get("/index.json").status_code == 401
    sign_in(dashboard, "officer")
    clock.now += timedelta(minutes=31)  # unused for more than 30 minutes
    assert dashboard.get("/index.json").status_code == 401
    assert dashboard.get("/", follow_redirects=False).headers["location"] == "/login?next=/"


@pytest.mark.slow
def test_repeated_failures_lock_the_account_and_say_so(dashboard: TestClient, settings: Settings) -> None:
    form = csrf_of(dashboard.get("/login").text)
    for attempt in range(5):
        wrong = dashboard.post("/login", data={"username": "government", "password": "not it", "csrf_token": form})
        assert wrong.status_code == (401 if attempt < 4 else 423)
    assert "Wrong account name or password." not in wrong.text and "is locked after repeated failed" in wrong.text
    right = dashboard.post("/login", data={"username": "government", "password": PASSWORD, "csrf_token": form})
    assert right.status_code == 423  # even the right password waits out the lock
    outcomes = [e["after"]["result"] for e in reversed(_audit(settings, "sign-in:government"))]  # type: ignore[index]
    assert outcomes == ["failure"] * 4 + ["lockout", "locked"]
    unknown = dashboard.post("/login", data={"username": "nobody-here", "password": "x", "csrf_token": form})
    assert unknown.status_code == 401 and "Wrong account name or password." in unknown.text
    clock = Clock()
    clock.now += timedelta(minutes=16)
    dashboard.app.state.identity.clock = clock  # type: ignore[attr-defined]
    assert sign_in(TestClient(dashboard.app), "government").get("/index.json").status_code == 200


def test_api_tokens_work_on_json_need_no_csrf_and_stop_when_revoked(
    dashboard: TestClient, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prevdip.cli.app import app
    from prevdip.settings import get_settings

    monkeypatch.setenv("PREVDIP_DATABASE_URL", settings.effective_database_url)
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["users", "token", "officer", "--json"])
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    issued = json.loads(result.stdout)
    bearer = {"Authorization": f"Bearer {issued['token']}", "Accept": "application/json"}
    assert dashboard.get("/response.json", headers=bearer).status_code == 200
    upload = dashboard.post("/gmcr", headers=bearer, files={"model": ("m.json", b"", "application/json")})
    assert upload.status_code == 422  # the guard let it through without a CSRF token; the handler refused the file
    used = _audit(settings, f"token:{issued['token_id']}")
    assert [e["who"] for e in used][:1] == ["officer"] and "used" in str(used[0]["after"])
    with open_accounts(url=settings.effective_database_url) as accounts:
        from prevdip.accounts import revoke_tokens

        revoke_tokens(accounts, "officer", issued["token_id"])
    refused = dashboard.get("/response.json", headers=bearer)
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
    assert dashboard.get("/index.json", headers={"Authorization": "Bearer pdt_made_up"}).status_code == 401


def test_a_disabled_or_re_roled_account_s_live_session_ends(dashboard: TestClient, settings: Settings) -> None:
    """Changed by ``prevdip users`` (another process), a session stops working within the dashboard's recheck."""
    from prevdip.web._identity import RECHECK

    clock = Clock()
    dashboard.app.state.identity.clock = clock  # type: ignore[attr-defined]
    sign_in(dashboard, "officer")
    assert dashboard.get("/response.json").status_code == 200
    with open_accounts(url=settings.effective_database_url) as accounts:
        set_role(accounts, "officer", "partner")
    clock.now += RECHECK
    assert dashboard.get("/response.json").status_code == 401  # signed out: the new rights need a new sign-in
    sign_in(dashboard, "officer")
    assert dashboard.get("/response.json").status_code == 403 and dashboard.get("/index.json").status_code == 200
    with open_accounts(url=settings.effective_database_url) as accounts:
        token = create_token(accounts, "officer")[1]
        disable_user(accounts, "officer")
    clock.now += RECHECK
    assert dashboard.get("/index.json").status_code == 401
    assert dashboard.get("/index.json", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    dashboard.headers.pop("X-CSRF-Token")
    form = csrf_of(dashboard.get("/login").text)
    again = dashboard.post("/login", data={"username": "officer", "password": PASSWORD, "csrf_token": form})
    assert again.status_code == 401


def test_the_language_is_kept_on_the_account(dashboard: TestClient, settings: Settings) -> None:
    sign_in(dashboard, "government")
    assert '<html lang="ru">' in dashboard.get("/forecasts?lang=ru").text
    elsewhere = sign_in(TestClient(dashboard.app), "government")  # another browser: no language cookie
    assert '<html lang="ru">' in elsewhere.get("/forecasts").text
    assert "Вы вошли как" in elsewhere.get("/forecasts").text


def test_centre_reads_and_exports_are_audited(tmp_path: Path, bundle: Path, accounts_url: str) -> None:
    from prevdip.events import ingest

    workspace = tmp_path / "workspace"
    reports = tmp_path / "reports.csv"
    reports.write_text(
        "report_id,date,place,country,what_happened,category,reporter,confidence,sharing\n"
        "FR-A-1,2022-09-16,Vorukh,TJK,Mines at the intake,border_incident,monitor Quillfeather,low,centre-internal\n",
        encoding="utf-8",
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PREVDIP_WORKSPACE", str(workspace))
        mp.delenv("PREVDIP_DATABASE_URL", raising=False)
        from prevdip.settings import get_settings

        get_settings.cache_clear()
        ingest("field", [reports])
        get_settings.cache_clear()
    settings = Settings(workspace=workspace, bundle=bundle, database_url=accounts_url)  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        sign_in(client, "officer")
        client.get("/events.json?country=TJK")
        client.get("/briefs/2022-09.pdf?audience=public")
        client.app.state.trail.flush()  # type: ignore[attr-defined]
        sign_in(client, "admin")
        log = client.get("/admin/audit.json?user=officer").json()["entries"]
    reads = {e["what"]: e["after"] for e in log}
    assert reads["read:/events.json"] == {"query": "country=TJK", "via": "session"}
    assert reads["export:/briefs/2022-09.pdf"] == {"audience": "public", "via": "session"}
    assert "sign-in:officer" in reads


def test_without_a_database_the_form_says_what_to_do(tmp_path: Path, bundle: Path) -> None:
    with TestClient(create_app(Settings(workspace=tmp_path / "none", bundle=bundle))) as client:
        assert client.get("/", follow_redirects=False).headers["location"] == "/login?next=/"
        form = client.get("/login")
        assert "Nobody can sign in yet: no database at" in form.text and "prevdip init" in form.text
        tried = client.post(
            "/login", data={"username": "officer", "password": PASSWORD, "csrf_token": csrf_of(form.text)}
        )
        assert tried.status_code == 401


def test_a_page_drawn_once_carries_each_reader_s_own_name_and_token(dashboard: TestClient) -> None:
    """Pages are drawn once per role and filled in per reader: nobody gets another's name or CSRF token."""
    first, second = sign_in(TestClient(dashboard.app), "officer"), sign_in(TestClient(dashboard.app), "officer")
    liaison = sign_in(TestClient(dashboard.app), "government")
    pages = {name: c.get("/forecasts").text for name, c in (("1", first), ("2", second), ("gov", liaison))}
    assert csrf_of(pages["1"]) == first.headers["X-CSRF-Token"] != csrf_of(pages["2"]) == second.headers["X-CSRF-Token"]
    assert "<strong>government</strong>" in pages["gov"] and "(KGZ)" in pages["gov"]
    assert "<strong>officer</strong>" in pages["1"] and "prevdip-" not in "".join(pages.values()).replace(
        "prevdip.", ""
    )
