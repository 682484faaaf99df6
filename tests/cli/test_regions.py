"""``prevdip regions`` and the CLI's error contract."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from prevdip.cli.app import app

runner = CliRunner()


def test_regions_show_json_is_one_object() -> None:
    result = runner.invoke(app, ["regions", "show", "central-asia", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["region"] == "central-asia"
    kgz = next(c for c in data["countries"] if c["iso3"] == "KGZ")
    assert kgz == {
        "iso3": "KGZ",
        "iso2": "KG",
        "isonum": 417,
        "gw": 703,
        "fips": "KG",
        "cameo": "KGZ",
        "name": "Kyrgyzstan",
    }
    assert ["KGZ", "TJK"] in data["dyads"]


def test_unknown_region_exits_2_with_one_line_and_no_traceback() -> None:
    result = runner.invoke(app, ["regions", "show", "atlantis"])
    assert result.exit_code == 2
    assert "unknown region 'atlantis'" in result.stderr
    assert "Traceback" not in result.output


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("prevdip ")
