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
