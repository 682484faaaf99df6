"""Script in every user-supplied field renders as text: GMCR model names and labels, uploaded file names, field
report text and places, ledger text, a sign-in name and the sign-in form's ``next`` — in the HTML (escaped) and in
Chromium (no dialog fires, no console error)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page

from prevdip.events import ingest
from prevdip.response import add_action, open_ledger
from prevdip.settings import Settings
from prevdip.web import create_app
from signing import copy_accounts, sign_in, sign_in_browser

SCRIPT = "<script>alert('xss')</script>"
IMAGE = '"><img src=x onerror="alert(1)">'
BREAKOUT = "</script><svg onload=alert(2)>"
PAYLOADS = (SCRIPT, IMAGE, BREAKOUT)


def _model() -> bytes:
    """A prisoner's dilemma whose decision makers and states are named with script."""
    a, b = f"A {SCRIPT}", f"B {IMAGE}"
    states = ["1", "2", BREAKOUT, "4"]
    return json.dumps(
        {
            "name": f"Dilemma {SCRIPT}",
            "description": f"Described {IMAGE}",
            "form": "graph",
            "decision_makers": [a, b],
            "states": states,
            "moves": {
                a: [["1", "2"], ["2", "1"], [BREAKOUT, "4"], ["4", BREAKOUT]],
                b: [["1", BREAKOUT], [BREAKOUT, "1"], ["2", "4"], ["4", "2"]],
            },
            "preferences": {a: [["2"], ["1"], ["4"], [BREAKOUT]], b: [[BREAKOUT], ["1"], ["4"], ["2"]]},
        }
    ).encode()


@pytest.fixture(scope="module")
def hostile(
    tmp_path_factory: pytest.TempPathFactory,
    bundle: Path,
    pointing_at: Callable[[Path, Path], AbstractContextManager[Any]],
    accounts_template: Path,
) -> Iterator[dict[str, Any]]:
    """A workspace whose field reports, ledger and uploaded model all carry script; an officer's client on it."""
    folder = tmp_path_factory.mktemp("xss")
    reports = folder / "reports.json"
    report = {
        "report_id": "FR-X-1",
        "date": "2022-09-16",
        "place": f"Vorukh {IMAGE}",
        "country": "TJK",
        "what_happened": f"Shots at the intake {SCRIPT} {BREAKOUT}",
        "category": "border_incident",
        "reporter": f"monitor {SCRIPT}",
        "confidence": "low",
        "sharing": "public",
    }
    reports.write_text(json.dumps({"reports": [report]}), encoding="utf-8")
    accounts = copy_accounts(accounts_template, folder / "accounts")
    with pointing_at(folder / "workspace", bundle):
        assert ingest("field", [reports]).accepted == 1
    with open_ledger("officer", url=accounts) as ledger:
        add_action(
            ledger, unit_code="KGZ-TJK", warning_month="2022-09", instrument="peacemaking", kind="visit",
            when="2022-09-21", description=f"Envoy sent {SCRIPT} {IMAGE}",
        )  # fmt: skip
    settings = Settings(workspace=folder / "workspace", bundle=bundle, database_url=accounts, public_access="public")  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        sign_in(client, "officer")
        uploaded = client.post(
            "/gmcr", files={"model": (f"{SCRIPT}.json", _model(), "application/json")}, follow_redirects=False
        )
        model = uploaded.headers.get("location", "")
        yield {"client": client, "settings": settings, "model": model, "upload": uploaded}


def _pages(model: str) -> list[str]:
    pages = [
        "/events",
        "/events?source=field",
        "/countries/TJK?month=2022-09",
        "/dyads/KGZ-TJK?month=2022-09",
        "/response?month=2022-09",
        "/briefs/2022-09?audience=centre",
    ]
    return pages + ([model] if model.startswith("/gmcr?model=") else [])


def _inert(html: str) -> None:
    for payload in PAYLOADS:
        assert payload not in html
    assert "<script>alert" not in html and "onerror=" not in html.replace("onerror=&#34;", "").replace(
        "onerror=&quot;", ""
    )


def test_payloads_render_as_text_in_the_html(hostile: dict[str, Any]) -> None:
    client: TestClient = hostile["client"]
    assert hostile["upload"].status_code == 303  # accepted: its page is among those checked
    assert SCRIPT not in hostile["upload"].text
    for url in _pages(hostile["model"]):
        answer = client.get(url)
        assert answer.status_code == 200, url
        _inert(answer.text)
    events = client.get("/events?source=field").text
    assert "Shots at the intake &lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in events
    assert "Envoy sent &lt;script&gt;" in client.get("/response?month=2022-09").text


def test_a_sign_in_name_is_echoed_as_text(hostile: dict[str, Any]) -> None:
    visitor = TestClient(hostile["client"].app)
    from signing import csrf_of

    form = csrf_of(visitor.get("/login").text)
    answer = visitor.post("/login", data={"username": SCRIPT, "password": "nothing", "csrf_token": form})
    assert answer.status_code == 401
    _inert(answer.text)
    assert 'value="&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;"' in answer.text
    from urllib.parse import quote

    echoed = visitor.get(f"/login?next={quote('/' + IMAGE)}")  # the way back is a hidden field of the form
    assert echoed.status_code == 200
    _inert(echoed.text)


@pytest.mark.browser
def test_no_dialog_fires_in_chromium(hostile: dict[str, Any], page: Page, serving: Any) -> None:
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda problem: errors.append(str(problem)))
    with serving(hostile["settings"]) as base:
        sign_in_browser(page, base, "officer")
        for url in _pages(hostile["model"]):
            page.goto(f"{base}{url}")
            page.wait_for_load_state("networkidle")
            if url.startswith("/events"):  # shown as the words they are
                assert "Shots at the intake <script>alert('xss')</script>" in page.locator("body").inner_text()
    assert dialogs == [] and errors == []
