"""Red-team findings in the headers: a failure of the dashboard (a 500) was answered by Starlette's outermost
middleware, beyond the one that adds the security headers — no Content-Security-Policy, no ``no-store`` — and any
visitor could cause one on every request by sending a session cookie with a non-ASCII signature."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from prevdip.settings import Settings
from prevdip.web import create_app
from prevdip.web.security import DEFAULT_POLICY


@pytest.fixture
def dashboard(tmp_path: Path, bundle: Path, accounts_url: str, initialised: Callable[[Path], Path]) -> TestClient:
    workspace = initialised(tmp_path / "ws")
    settings = Settings(workspace=workspace, bundle=bundle, database_url=accounts_url, public_access="public")  # type: ignore[arg-type]
    return TestClient(create_app(settings), raise_server_exceptions=False)


def test_a_non_ascii_cookie_is_a_wrong_cookie_not_a_failure(dashboard: TestClient) -> None:
    forged = [(b"cookie", "prevdip_session=abc.sign\u00e9d".encode("latin-1")), (b"accept", b"application/json")]
    answer = dashboard.get("/forecasts", headers=forged)
    assert answer.status_code == 200  # a visitor, reading the public board
    refused = dashboard.get("/response.json", headers=forged)
    assert refused.status_code == 401


def test_a_failure_carries_the_security_headers_and_names_nothing(
    dashboard: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prevdip.web.services import forecasts

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret detail of the failure: /srv/centre/lake")

    monkeypatch.setattr(forecasts, "forecasts_page", broken)
    answer = dashboard.get("/forecasts")
    assert answer.status_code == 500
    assert answer.headers["content-security-policy"] == DEFAULT_POLICY
    assert answer.headers["x-content-type-options"] == "nosniff" and answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["cache-control"] == "no-store"
    assert answer.json()["error"]["status"] == 500 and "secret detail" not in answer.text
