"""``prevdip response`` on a fresh SQLite workspace: JSON out, refusals exit 2, nothing half-written."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from prevdip.cli.app import app
from prevdip.store import init_workspace

runner = CliRunner()


def _json(command: str) -> dict[str, Any]:
    """Run ``prevdip response COMMAND --json``: it must succeed and print exactly one JSON object."""
    result = runner.invoke(app, ["response", *shlex.split(command), "--json"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().count("\n") == 0
    return dict(json.loads(result.stdout))


def _refused(command: str) -> str:
    result = runner.invoke(app, ["response", *shlex.split(command)])
    assert result.exit_code == 2 and result.stdout == "" and "Traceback" not in result.stderr
    return result.stderr


def test_records_through_the_cli(workspace: Path) -> None:
    init_workspace()
    _json("partner add OSCE --kind 'regional organisation' --who a.officer")
    item = _json("programme add --group cross_border_threats --title 'Border management' --start 2022 --end 2024")
    assert (
        _json(f"programme update {item['programme_item']['id']} --status ongoing")["programme_item"]["status"]
        == "ongoing"
    )
    action = _json(
        "action add --unit AFG --month 2021-08 --instrument crisis_diplomacy --kind consultation --date 2021-08-20 "
        "--description 'Consultations with the five governments' --programme 'Border management'"
    )["action"]
    assert (action["unit"], action["unit_kind"], action["programme_item_id"]) == ("AFG", "country", 1)
    assert _json("action update 1 --partner OSCE")["action"]["partners"] == ["OSCE"]
    assert _json("action list --unit afghanistan")["count"] == 1
    assert _json("partner list --kind regional_organisation")["partners"][0]["name"] == "OSCE"
    assert _json("meeting add --title 'Experts' --date 2021-09-01")["meeting"]["agenda_blocks"] == []
    assert _json("meeting list --since 2021-01-01")["count"] == 1


def test_refused_input_exits_2_and_writes_nothing(workspace: Path, tmp_path: Path) -> None:
    init_workspace()
    assert "unit: unknown unit 'XYZ'" in _refused(
        "action add --unit XYZ --month 2022-09 --instrument peacemaking --kind visit --date 2022-09-20 --description x"
    )
    assert "give exactly one of --from-warning and --unit" in _refused(
        "action add --month 2022-09 --kind visit --date 2022-09-20 --description x"
    )
    assert "instrument: unknown value 'sanctions'" in _refused(
        "action add --unit KGZ --month 2022-09 --instrument sanctions --kind visit --date 2022-09-20 --description x"
    )
    assert "priority_group: unknown value 'water'" in _refused(
        "programme add --group water --title t --start 2022 --end 2023"
    )
    record = tmp_path / "record.toml"
    record.write_text('[[partners]]\nname = "EU"\nkind = "donor"\n\n[[partners]]\nname = "EU"\nkind = "donor"\n')
    assert "partners[1].name: a partner named 'EU' exists already" in _refused(f"import {record}")
    assert _json("partner list")["count"] == 0
