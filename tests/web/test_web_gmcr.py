"""The GMCR page's upload: a malformed model shows its errors on the form and nothing is stored."""

from __future__ import annotations

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
