"""``prevdip gmcr``: JSON shapes, case names instead of paths, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from prevdip.cli.app import app

runner = CliRunner()


def test_analyze_json_shape_for_an_option_form_case() -> None:
    result = runner.invoke(app, ["gmcr", "analyze", "elmira", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("model", "states", "options", "stability", "equilibria", "explanations", "robustness"):
        assert key in data
    assert data["equilibria"] == {
        "nash": ["5", "8", "9"],
        "gmr": ["1", "4", "5", "8", "9"],
        "smr": ["1", "4", "5", "8", "9"],
        "seq": ["5", "8", "9"],
    }
    assert data["options"]["5"] == {"Modify": "N", "Delay": "Y", "Accept": "N", "Abandon": "N", "Insist": "Y"}
    assert data["stability"]["seq"]["LG"] == ["2", "3", "5", "6", "7", "8", "9"]
    assert data["explanations"]["LG"]["1"]["gmr"]["stable"] is True
    assert data["rankings"]["UR"][:4] == [["1"], ["4"], ["8"], ["5"]]


def test_analyze_a_graph_file_has_no_options_and_limited_move(tmp_path: Path) -> None:
    path = tmp_path / "pd.json"
    model = {
        "form": "graph",
        "decision_makers": ["A", "B"],
        "states": ["CC", "DC", "CD", "DD"],
        "moves": {
            "A": [["CC", "DC"], ["DC", "CC"], ["CD", "DD"], ["DD", "CD"]],
            "B": [["CC", "CD"], ["CD", "CC"], ["DC", "DD"], ["DD", "DC"]],
        },
        "preferences": {"A": ["DC", "CC", "DD", "CD"], "B": ["CD", "CC", "DD", "DC"]},
    }
    path.write_text(json.dumps(model))
    result = runner.invoke(app, ["gmcr", "analyze", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "options" not in data
    assert data["equilibria"]["nash"] == ["DD"] and data["equilibria"]["gmr"] == ["CC", "DD"]
    assert data["limited_move"]["1"] == data["stability"]["nash"]
    human = runner.invoke(app, ["gmcr", "analyze", str(path)])
    assert human.exit_code == 0 and "Nash equilibria (1): DD" in human.stdout


def test_status_quo_json_shape() -> None:
    result = runner.invoke(app, ["gmcr", "status-quo", "elmira", "--from", "1", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"from", "reachable_equilibria", "paths", "coalition_improvements"}
    assert data["paths"][-1] == ["1", "5", "8"]
    assert data["coalition_improvements"]["MoE+LG"] == ["5"]


def test_cases_lists_the_shipped_models() -> None:
    result = runner.invoke(app, ["gmcr", "cases", "--json"])
    assert result.exit_code == 0
    names = [c["case"] for c in json.loads(result.stdout)["cases"]]
    assert "elmira" in names and "toktogul-winter-release" in names


def test_errors_are_one_line_with_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["gmcr", "analyze", "no-such-case"])
    assert result.exit_code == 2 and "no shipped case named 'no-such-case'" in result.stderr
    result = runner.invoke(app, ["gmcr", "status-quo", "elmira", "--from", "42"])
    assert result.exit_code == 2 and "state '42' is not a state" in result.stderr
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"form": "graph", "decision_makers": ["A", "B"], "states": ["1"], "moves": {}}))
    result = runner.invoke(app, ["gmcr", "analyze", str(bad), "--json"])
    assert result.exit_code == 2 and "field preferences" in result.stderr and result.stdout == ""


def test_explain_a_state_by_its_option_vector() -> None:
    result = runner.invoke(app, ["gmcr", "explain", "elmira", "--state", "NYNNN", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["state"] == "1"
    assert data["explanations"]["LG"]["gmr"]["sanctions"]["5"] == {"path": ["5", "6"], "movers": ["MoE"]}
    human = runner.invoke(app, ["gmcr", "explain", "elmira", "--state", "1"])
    assert human.exit_code == 0 and "MoE moves to 6" in human.stdout
    sq = runner.invoke(app, ["gmcr", "status-quo", "toktogul-winter-release", "--from", "YNNN", "--json"])
    assert sq.exit_code == 0 and json.loads(sq.stdout)["from"] == "2"
