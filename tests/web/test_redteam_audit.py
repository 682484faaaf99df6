"""Red-team finding in the audit: reads of what only the centre's staff may open — the response ledger, an uploaded
GMCR model, the audit log — went unrecorded whenever the lake held no restricted field report (a workspace of
published sources, or before the first report is ingested). They are recorded now, once per request."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from prevdip.gmcr import list_cases
from prevdip.settings import Settings
from prevdip.web import create_app
from signing import sign_in


def _reads(client: TestClient, user: str) -> list[dict[str, Any]]:
    client.app.state.trail.flush()  # type: ignore[attr-defined]
    store = client.app.state.identity.store()  # type: ignore[attr-defined]
    return [e.as_dict() for e in store.audit.recent(who=user) if e.what.startswith("read:")]


def test_staff_only_reads_are_audited_with_no_restricted_report_in_the_lake(
    tmp_path: Path, bundle: Path, accounts_url: str, initialised: Callable[[Path], Path]
) -> None:
    settings = Settings(workspace=initialised(tmp_path / "ws"), bundle=bundle, database_url=accounts_url)  # type: ignore[arg-type]
    example = json.loads(Path(list_cases()[0]["path"]).read_text(encoding="utf-8"))  # a shipped example model
    with TestClient(create_app(settings)) as client:
        sign_in(client, "officer")
        model_file = {"model": ("m.json", json.dumps(example).encode(), "application/json")}
        upload = client.post("/gmcr", files=model_file, follow_redirects=False)
        assert upload.status_code == 303, upload.text[:300]
        model = upload.headers["location"].rpartition("=")[2]
        assert client.get("/response").status_code == 200
        assert client.get("/response.json?month=2022-09").status_code == 200
        assert client.get(f"/gmcr.json?model={model}").status_code == 200
        assert client.get("/forecasts.json").status_code == 200  # the public board: nothing restricted to read
        officer = {(e["what"], (e["after"] or {}).get("query")) for e in _reads(client, "officer")}
        assert officer == {
            ("read:/response", None),
            ("read:/response.json", "month=2022-09"),
            ("read:/gmcr.json", f"model={model}"),
        }
        sign_in(client, "admin")
        assert client.get("/admin/audit.json?user=officer").status_code == 200
        assert [e["what"] for e in _reads(client, "admin")] == ["read:/admin/audit.json"]
