"""``prevdip disputes`` as an officer runs it: one JSON object with --json, refusals on one line with exit 2 and
nothing written."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gmcr_uploads import uploaded
from prevdip.cli.app import app
from prevdip.store import init_workspace

runner = CliRunner()
SOURCES = "--source https://24.kg/english/example --source 'Asia-Plus, 2 June 2026'"


def _json(command: str) -> dict[str, Any]:
    """Run ``prevdip disputes COMMAND --json``: it must succeed and print exactly one JSON object."""
    result = runner.invoke(app, ["disputes", *shlex.split(command), "--json"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().count("\n") == 0
    return dict(json.loads(result.stdout))


def _refused(command: str) -> str:
    result = runner.invoke(app, ["disputes", *shlex.split(command)])
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr.startswith("prevdip: error: ") and result.stderr.count("\n") == 1
    return result.stderr


def test_list_json_gives_each_dispute_its_phase_and_dated_sourced_history(workspace: Path) -> None:
    init_workspace()
    data = _json("list")
    assert data["count"] == len(data["disputes"]) == 6
    border = next(d for d in data["disputes"] if d["id"] == "kgz-tjk-border")
    assert border["name"].startswith("Kyrgyz–Tajik border") and border["parties"] == ["KGZ", "TJK"]
    assert (border["phase"], border["since"]) == ("resolved", "2025-03-13")
    assert [h["phase"] for h in border["history"]][-3:] == ["violent", "managed", "resolved"]
    first = border["history"][0]
    assert list(first)[:2] == ["phase", "date"] and first["date"] == "1991-12-26"
    assert all(h["sources"] and all("outlet" in s for s in h["sources"]) for h in border["history"])
    assert [d["id"] for d in _json("list --phase latent")["disputes"]] == [
        "kambarata-1", "qosh-tepa-canal", "rogun-dam", "syr-darya-winter-releases",
    ]  # fmt: skip
    shown = _json("show kgz-uzb-border")
    assert shown["dispute"]["units"]["provinces"][0] == "KGZ:Batken" and shown["actions"] == []
    table = runner.invoke(app, ["disputes", "show", "kgz-tjk-border"])
    assert table.exit_code == 0 and "2022-09-14" in table.stdout and "milestones" in table.stdout


def test_an_officer_records_through_the_cli(workspace: Path) -> None:
    init_workspace()
    made = _json(
        "add sokh-enclave --name 'Sokh enclave' --name-ru 'Сохский анклав' --party uzb --party KGZ "
        "--issue border_enclaves --issue transit --group border_disputes --dyad UZB-KGZ --province UZB:Ferghana "
        "--summary 'An Uzbek enclave in Batken.' --phase latent --date 1991-12-26 --source https://archontology.org "
        "--who officer.a"
    )["dispute"]
    assert (made["id"], made["parties"], made["units"]["dyads"], made["phase"]) == (
        "sokh-enclave", ["UZB", "KGZ"], ["KGZ-UZB"], "latent",
    )  # fmt: skip
    moved = _json(f"transition sokh-enclave escalating --date 2026-05 {SOURCES} --note 'Road closed' --who officer.b")
    last = moved["dispute"]["history"][-1]
    assert (last["phase"], last["date"], last["precision"]) == ("escalating", "2026-05", "month")
    assert last["who"] == "officer.b"
    assert [s["outlet"] for s in last["sources"]] == ["24.kg", "Asia-Plus, 2 June 2026"]
    watched = _json(f"milestone kgz-tjk-border --what 'Demarcation begins' --date 2026-04-15 {SOURCES}")["dispute"]
    assert watched["milestones"][-1]["what"] == "Demarcation begins" and watched["phase"] == "resolved"


def test_refused_input_exits_2_with_one_line_and_writes_nothing(workspace: Path) -> None:
    init_workspace()
    before = _json("list")
    assert "unknown phase 'peace'" in _refused(f"transition kgz-tjk-border peace --date 2026-01-01 {SOURCES}")
    assert "a resolved dispute cannot become latent" in _refused(
        f"transition kgz-tjk-border latent --date 2026-01-01 {SOURCES}"
    )
    assert "resolved only by an agreement" in _refused(f"transition rogun-dam resolved --date 2026-01-01 {SOURCES}")
    assert "is in the future" in _refused(f"transition rogun-dam escalating --date 2999-01-01 {SOURCES}")
    assert "bad date '2026-02-30'" in _refused(f"transition rogun-dam escalating --date 2026-02-30 {SOURCES}")
    assert "no dispute 'aral-sea'" in _refused(f"transition aral-sea violent --date 2026-01-01 {SOURCES}")
    assert "no dispute 'aral-sea'" in _refused("show aral-sea")
    base = "add x-y --name X --name-ru Х --issue canal --group environment_water_energy --summary s --date 2020-01-01"
    assert "unknown party 'XXX'" in _refused(f"{base} --party XXX {SOURCES}")
    assert "unknown province 'KGZ:Vorukh'" in _refused(f"{base} --party KGZ --province KGZ:Vorukh {SOURCES}")
    assert "not a border dyad" in _refused(f"{base} --party KGZ --dyad KGZ-TKM {SOURCES}")
    assert "unknown phase" in _refused("list --phase peace")
    assert "give --month or --since, not both" in _refused("propose --month 2022-09 --since 2022-01")
    assert _json("list") == before


def test_link_and_unlink_a_gmcr_model_through_the_cli(workspace: Path) -> None:
    init_workspace()
    model_id = uploaded(workspace)
    linked = _json(f"link kgz-uzb-border --gmcr upload:{model_id}")
    assert linked["dispute"]["gmcr_cases"] == [f"upload:{model_id}"]
    assert _json("show kgz-uzb-border")["dispute"]["gmcr_cases"] == [f"upload:{model_id}"]
    table = runner.invoke(app, ["disputes", "link", "kgz-uzb-border", "--gmcr", "elmira"])
    assert table.exit_code == 0 and f"linked models: upload:{model_id}, elmira" in table.stdout
    before = _json("list")
    missing = _refused("link kgz-uzb-border --gmcr upload:0123456789abcdef")
    assert "gmcr_cases: no uploaded GMCR model '0123456789abcdef' in the workspace" in missing
    assert "upload it on the GMCR page" in missing
    assert "already links 'elmira'" in _refused("link kgz-uzb-border --gmcr elmira")
    assert "no dispute 'aral-sea'" in _refused("link aral-sea --gmcr elmira")
    assert "does not link 'rogun-vakhsh'" in _refused("unlink kgz-uzb-border --gmcr rogun-vakhsh")
    assert _json("list") == before  # nothing written by a refusal
    assert _json(f"unlink kgz-uzb-border --gmcr upload:{model_id}")["dispute"]["gmcr_cases"] == ["elmira"]
    assert _json("unlink kgz-uzb-border --gmcr elmira")["dispute"]["gmcr_cases"] == []


@pytest.mark.slow
def test_propose_json_on_the_real_lake(lake_with_records: Path) -> None:
    data = _json("propose --month 2022-09")
    assert data["quiet_months"] == 3 and data["count"] == len(data["proposals"]) >= 1
    border = next(p for p in data["proposals"] if p["dispute"] == "kgz-tjk-border")
    assert (border["phase"], border["recorded"], border["units"][0]["deaths"]) == ("violent", True, 150)
    spells = _json("propose --since 2021-01")["proposals"]
    assert [p["month"] for p in spells if p["dispute"] == "kgz-tjk-border"][:2] == ["2021-04", "2021-07"]
    table = runner.invoke(app, ["disputes", "propose", "--month", "2021-04"])
    assert table.exit_code == 0 and "KGZ-TJK (1)" in table.stdout
