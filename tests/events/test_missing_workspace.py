"""Every reader of the lake refuses a path that is no workspace (issue 13, item 3): `prevdip events`, signals,
forecasts and the dashboard's first page say "no prevdip workspace at PATH — run `prevdip init`", never answer as if
the lake were empty ("0 events", "run `prevdip ingest bundle`"), and leave nothing behind at the path."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from prevdip.cli.app import app
from prevdip.settings import get_settings
from prevdip.web import create_app

runner = CliRunner()


def _plain(path: Path) -> str:
    hint = "run `prevdip init` (or set PREVDIP_WORKSPACE to an existing workspace)"
    return f"no prevdip workspace at {path.resolve()} — {hint}"


@pytest.mark.parametrize(
    "command",
    [
        ["events", "--json"],
        ["events", "--country", "KGZ", "--json"],
        ["signals", "--country", "KGZ", "--month", "2023-05", "--json"],
        ["signals", "--dyad", "KGZ-TJK", "--month", "2023-05", "--json"],
        ["forecast", "--month", "2023-05", "--json"],
        ["brief", "--month", "2023-05"],
    ],
    ids=lambda command: " ".join(command[:2]),
)
def test_the_command_line_refuses_a_missing_workspace(no_workspace: Path, command: list[str]) -> None:
    result = runner.invoke(app, command)
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and "Traceback" not in result.output
    assert result.stderr.splitlines() == [f"prevdip: error: {_plain(no_workspace)}"]
    assert not no_workspace.exists()  # refused before anything was made


def test_the_dashboard_says_there_is_no_workspace_and_who_can_help(
    no_workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refusal of a missing workspace is all command-line wording (a server path, `prevdip init`): a page says
    who can help instead of an empty line, or "nothing happened"; its JSON twin keeps the words for the operator."""
    monkeypatch.setenv("PREVDIP_PUBLIC_ACCESS", "public")  # the public board: a visitor sees the first page
    get_settings.cache_clear()
    with TestClient(create_app()) as client:
        answers = {path: client.get(path) for path in ("/index.json", "/events.json", "/", "/events")}
    message, hint = _plain(no_workspace).split(" — ")
    for path, answer in answers.items():
        assert answer.status_code == 422, path
        if path.endswith(".json"):
            assert answer.json() == {"error": {"status": 422, "message": message, "hint": hint}}, path
        else:  # the page names no server path (the JSON twin does, for the operator)
            assert "ingest bundle" not in answer.text and "0 events" not in answer.text, path
            assert str(no_workspace) not in answer.text and "prevdip init" not in answer.text, path
            assert "The reason is for the centre&#39;s administrator" in answer.text, path
    assert not (no_workspace / "lake").exists()


def test_pages_that_read_no_lake_still_open_for_the_centre(no_workspace: Path, bundle: Path, accounts_url: str) -> None:
    """An officer's every read is audited when the lake hides something from a lesser audience; a missing workspace
    hides nothing, so sign-in, GMCR and the glossary open while the pages that read the lake refuse it."""
    from prevdip.settings import Settings
    from signing import sign_in

    settings = Settings(workspace=no_workspace, bundle=bundle, database_url=accounts_url)  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        officer = sign_in(client, "officer")
        assert officer.get("/gmcr").status_code == 200 and officer.get("/glossary").status_code == 200
        assert officer.get("/index.json").status_code == 422 and officer.get("/events.json").status_code == 422
    assert not (no_workspace / "lake").exists()  # (the dashboard keeps its signing key there: the folder may exist)
