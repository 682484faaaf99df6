"""``prevdip runs`` and ``prevdip quarantine`` find what an ingest set aside."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from prevdip.cli.app import app

runner = CliRunner()


def test_a_quarantined_row_can_be_found_again(workspace: Path, tmp_path: Path) -> None:
    broken = tmp_path / "field.csv"
    header = "report_id,date,place,country,what_happened,category,actors,reporter,confidence,sharing"
    good = "FR-1,2022-09-14,Kok-Tash,KGZ,Exchange of fire,border_incident,border guards,monitor A,high,public"
    bad = "FR-2,2022-13-40,Vorukh,TJK,Road blocked,border_incident,residents,monitor B,medium,public"
    broken.write_text("\n".join([header, good, bad]) + "\n", encoding="utf-8")
    ingested = runner.invoke(app, ["ingest", "field", str(broken), "--json"])
    assert ingested.exit_code == 0, ingested.output
    run_id = json.loads(ingested.stdout)["run_id"]

    listed = json.loads(runner.invoke(app, ["runs", "--json"]).stdout)
    assert listed["count"] == 1 and listed["runs"][0]["id"] == run_id
    assert listed["runs"][0]["quarantined"] == 1

    shown = runner.invoke(app, ["quarantine", run_id[:8], "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert data["total"] == 1
    row = data["rows"][0]
    assert row["row_number"] == 3 and "Vorukh" in row["raw"] and "date" in row["reason"]


def test_an_unknown_run_is_refused(workspace: Path) -> None:
    runner.invoke(app, ["init"])
    result = runner.invoke(app, ["quarantine", "ffff"])
    assert result.exit_code == 2
    assert "no ingest run with an id starting 'ffff'" in result.stderr
