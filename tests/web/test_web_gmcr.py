"""The GMCR page's upload: a malformed model shows its errors on the form and nothing is stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from prevdip.settings import Settings


def _stored(settings: Settings) -> list[Path]:
    folder = settings.workspace / "gmcr" / "models"
    return sorted(folder.iterdir()) if folder.is_dir() else []


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b'{"name": "broken", "form": "graph",', "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"[1, 2, 3]", "must be a JSON object"),
        (b"", "the file is empty"),
        (
            b'{"form": "graph", "decision_makers": ["A"], "states": ["1"], "moves": {}, "preferences": {"A": [["2"]]}}',
            "",
        ),
    ],
)
def test_malformed_upload_shows_errors_and_stores_nothing(
    client: TestClient, web_settings: Settings, content: bytes, needle: str
) -> None:
    before = _stored(web_settings)
    answer = client.post("/gmcr", files={"model": ("model.json", content, "application/json")})
    assert answer.status_code == 422
    assert "The model was not accepted; nothing was stored." in answer.text
    assert '<div class="notice error" role="alert">' in answer.text
    assert needle in answer.text
    assert 'type="file" name="model"' in answer.text  # the form is shown again
    as_json = client.post(
        "/gmcr", files={"model": ("model.json", content, "application/json")}, headers={"Accept": "application/json"}
    )
    assert as_json.status_code == 422
    assert as_json.json()["model_id"] is None and as_json.json()["errors"]
    assert _stored(web_settings) == before


def test_upload_without_a_file_is_refused_on_the_form(client: TestClient, web_settings: Settings) -> None:
    answer = client.post("/gmcr", data={})
    assert answer.status_code == 422
    assert "the file is empty" in answer.text
    assert _stored(web_settings) == []


def test_unknown_uploaded_model_is_404(client: TestClient) -> None:
    for model_id in ("deadbeefdeadbeef", "..%2F..%2Fetc%2Fpasswd"):
        answer = client.get(f"/gmcr.json?model={model_id}")
        assert answer.status_code == 404
        assert "no uploaded GMCR model" in answer.json()["error"]["message"]


PRISONERS = {
    "name": "Prisoner's dilemma",
    "form": "graph",
    "decision_makers": ["A", "B"],
    "states": ["1", "2", "3", "4"],
    "moves": {
        "A": [["1", "2"], ["2", "1"], ["3", "4"], ["4", "3"]],
        "B": [["1", "3"], ["3", "1"], ["2", "4"], ["4", "2"]],
    },
    "preferences": {"A": [["2"], ["1"], ["4"], ["3"]], "B": [["3"], ["1"], ["4"], ["2"]]},
}


def test_a_valid_upload_is_kept_and_analysed(client: TestClient, web_settings: Settings) -> None:
    pytest.importorskip("prevdip.gmcr")
    raw = json.dumps(PRISONERS).encode()
    answer = client.post("/gmcr", files={"model": ("pd.json", raw, "application/json")}, follow_redirects=False)
    assert answer.status_code == 303
    model_id = answer.headers["location"].split("model=")[1]
    assert (web_settings.workspace / "gmcr" / "models" / f"{model_id}.json").read_bytes() == raw
    page = client.get(f"/gmcr.json?model={model_id}&from=1").json()["model"]
    assert page["analysis"]["equilibria"]["nash"] == ["4"]
    assert page["status_quo"]["from"] == "1"
    assert 'data-chart="chart-stability"' in client.get(f"/gmcr?model={model_id}").text


def test_the_engine_s_validation_errors_reach_the_form(client: TestClient, web_settings: Settings) -> None:
    pytest.importorskip("prevdip.gmcr")
    broken = {**PRISONERS, "preferences": {"A": [["2"], ["1"], ["4"]], "B": [["3"], ["1"], ["4"], ["2"]]}}
    before = _stored(web_settings)
    answer = client.post("/gmcr", files={"model": ("pd.json", json.dumps(broken).encode(), "application/json")})
    assert answer.status_code == 422
    assert "preferences.A: state 3 missing from the ranking" in answer.text
    assert _stored(web_settings) == before


def _two_party_model(name: str, options_each: int, owners: tuple[str, str] = ("A", "B")) -> dict:
    """An option-form model of two parties with ``options_each`` options each: 4^options_each states."""
    a, b = ([f"{side}{k}" for k in range(options_each)] for side in "ab")
    return {
        "name": name,
        "form": "option",
        "decision_makers": [{"name": owners[0], "options": a}, {"name": owners[1], "options": b}],
        "preferences": {
            owners[0]: {"statements": [a[0], f"not {b[0]}", f"{a[-1]} or {b[-1]}"]},
            owners[1]: {"statements": [b[0], f"not {a[0]}", f"{b[-1]} iff {a[-1]}"]},
        },
    }


def test_an_uploaded_model_is_titled_by_its_own_name_and_what_it_names_is_escaped(
    client: TestClient, web_settings: Settings
) -> None:
    """Issue 16: the page is titled by the model's own name; names, options and decision makers come from the
    uploader, so they are shown as text, never as markup (the tab title stays the page's)."""
    hostile = "<script>alert('x')</script>"
    document = {
        **_two_party_model(f"Rogun {hostile}", 2, owners=("<b>TJK</b>", "UZB&Co")),
        "description": "<img src=x onerror=alert(1)>",
    }
    document["decision_makers"][0]["options"] = ["<i>fill</i>", "a1"]
    document["preferences"] = {
        "<b>TJK</b>": {"statements": ["<i>fill</i>", "not b0"]},
        "UZB&Co": {"statements": ["b0"]},
    }
    answer = client.post("/gmcr", files={"model": ("m.json", json.dumps(document).encode(), "application/json")})
    assert answer.status_code == 200 and answer.url.path == "/gmcr"
    page = answer.text
    assert "<h2>Rogun &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</h2>" in page
    assert "<title>Dispute analysis" in page
    for raw in (hostile, "<b>TJK</b>", "<i>fill</i>", "<img src=x", "UZB&Co"):
        assert raw not in page
    assert "&lt;b&gt;TJK&lt;/b&gt;" in page and "&lt;i&gt;fill&lt;/i&gt;" in page and "UZB&amp;Co" in page
    model_id = str(answer.url).split("model=")[1]
    assert client.get(f"/gmcr.json?model={model_id}").json()["model"]["name"] == f"Rogun {hostile}"


def test_the_page_shows_coalition_analysis(client: TestClient) -> None:
    pytest.importorskip("prevdip.gmcr")
    data = client.get("/gmcr.json?example=elmira").json()["model"]
    assert data["analysis"]["coalitions"]["equilibria"]["nash"] == ["8", "9"]
    assert data["table"]["total"] == data["table"]["shown"] == 9
    page = client.get("/gmcr?example=elmira").text
    assert "Stable against every coalition too" in page and "<td>8, 9</td>" in page


def test_a_large_model_lists_only_the_first_states_and_says_where_the_rest_are(
    client: TestClient, web_settings: Settings
) -> None:
    raw = json.dumps(_two_party_model("five options each", 5)).encode()
    answer = client.post("/gmcr", files={"model": ("m.json", raw, "application/json")}, follow_redirects=False)
    model_id = answer.headers["location"].split("model=")[1]
    data = client.get(f"/gmcr.json?model={model_id}").json()["model"]
    assert data["name"] == "five options each" and data["table"] == {**data["table"], "shown": 256, "total": 1024}
    assert len(data["analysis"]["states"]) == 1024
    assert "The table shows the first 256 of 1024 states" in client.get(f"/gmcr?model={model_id}").text


def test_a_model_too_large_for_the_web_is_stopped_with_a_clear_answer_while_the_server_keeps_serving(
    live_server: str, web_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13: the analysis runs in a worker process with a time limit, so the server answers other requests
    meanwhile (here a static file, served while the page still waits), and the page says what to do."""
    import multiprocessing
    import threading

    import httpx

    from prevdip.gmcr import keep_upload
    from prevdip.web.services import gmcr
    from signing import sign_in

    monkeypatch.setattr(gmcr, "WEB_SECONDS", 2.0)
    model_id = keep_upload(json.dumps(_two_party_model("a million states", 10)).encode(), web_settings.workspace)
    officer = sign_in(httpx.Client(base_url=live_server, timeout=60), "officer")  # uploaded models: the centre's
    answers: dict[str, httpx.Response] = {}
    page = threading.Thread(target=lambda: answers.setdefault("page", officer.get(f"/gmcr?model={model_id}")))
    page.start()
    while not multiprocessing.active_children():  # the worker has started
        assert page.is_alive(), "the page answered before any worker started"
    static = httpx.get(f"{live_server}/static/favicon.svg", timeout=60)
    assert static.status_code == 200 and page.is_alive()  # served while the analysis is still running
    page.join()
    assert answers["page"].status_code == 200
    assert "too large to analyse on the web within 2 s" in answers["page"].text
    assert "<h2>a million states</h2>" in answers["page"].text
    assert not multiprocessing.active_children()  # the worker was stopped, not left running


def test_the_page_reads_in_russian_readings_narrative_and_json_twin(client: TestClient) -> None:
    """Issue 16: under ``?lang=ru`` the case's title, description and narrative, and every explanation, are Russian;
    the JSON twin carries the same texts; the model's own labels (decision makers, states) stay as it names them."""
    pytest.importorskip("prevdip.gmcr")
    page = client.get("/gmcr?example=elmira&lang=ru").text
    assert "<h2>Загрязнение грунтовых вод в Элмайре</h2>" in page
    assert "Для посредника." in page and "For a mediator" not in page
    assert "Министерство окружающей среды (MoE)" in page  # the description
    assert "по критерию последовательной стабильности (SEQ)" in page and "under sequential stability" not in page
    assert "<title>Анализ споров" in page
    data = client.get("/gmcr.json?example=elmira&lang=ru").json()["model"]
    assert data["name"] == "Загрязнение грунтовых вод в Элмайре" and "Для посредника" in data["reading"]
    lg = data["analysis"]["explanations"]["LG"]["1"]
    assert "MoE переходит в 6" in lg["gmr"]["text"] and data["analysis"]["decision_makers"] == ["MoE", "UR", "LG"]
    english = client.get("/gmcr.json?example=elmira&lang=en").json()["model"]  # kept apart, not served from cache
    assert english["name"] == "Elmira groundwater contamination"
    assert "MoE moves to 6" in english["analysis"]["explanations"]["LG"]["1"]["gmr"]["text"]


def test_an_uploaded_model_keeps_its_own_name_in_russian_and_the_tab_title_stays_the_page_s(
    client: TestClient,
) -> None:
    pytest.importorskip("prevdip.gmcr")
    raw = json.dumps(PRISONERS).encode()
    answer = client.post("/gmcr", files={"model": ("pd.json", raw, "application/json")}, follow_redirects=False)
    model_id = answer.headers["location"].split("model=")[1]
    page = client.get(f"/gmcr?model={model_id}&lang=ru").text
    assert "<h2>Prisoner&#39;s dilemma</h2>" in page
    assert page.split("<title>")[1].startswith("Анализ споров")
    assert "равновесием по Нэшу" in page
