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
        # signals and forecasts still read a missing lake as an empty one ("the lake holds no country-month
        # series"): the refusal in lake_state itself waits for the tests that pass a bare folder (issue 13)
    ],
    ids=lambda command: " ".join(command[:2]),
)
def test_the_command_line_refuses_a_missing_workspace(no_workspace: Path, command: list[str]) -> None:
    result = runner.invoke(app, command)
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and "Traceback" not in result.output
    assert result.stderr.splitlines() == [f"prevdip: error: {_plain(no_workspace)}"]
    assert not no_workspace.exists()  # refused before anything was made


def test_an_error_page_whose_reason_is_for_the_command_line_says_who_can_help(
    no_workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refusal of a missing workspace is all command-line wording (a server path, `prevdip init`): the page
    says who can help instead of an empty line; its JSON twin keeps the words for the operator."""
    from prevdip.errors import RefusedInput
    from prevdip.web.services import overview

    def refused(*_: object, **__: object) -> None:
        raise RefusedInput(_plain(no_workspace).split(" — ")[0], hint=_plain(no_workspace).split(" — ")[1])

    monkeypatch.setenv("PREVDIP_PUBLIC_ACCESS", "public")  # the public board: a visitor sees the first page
    monkeypatch.setattr(overview, "overview", refused)
    get_settings.cache_clear()
    with TestClient(create_app()) as client:
        answers = {path: client.get(path) for path in ("/index.json", "/")}
    message, hint = _plain(no_workspace).split(" — ")
    assert answers["/index.json"].status_code == 422
    assert answers["/index.json"].json() == {"error": {"status": 422, "message": message, "hint": hint}}
    page = answers["/"]
    assert page.status_code == 422 and "ingest bundle" not in page.text
    assert str(no_workspace) not in page.text and "prevdip init" not in page.text
    assert "The reason is for the centre&#39;s administrator" in page.text
