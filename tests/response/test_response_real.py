"""The ledger against the real signals of the ingested bundle, through the domain and the CLI.

The Kyrgyz-Tajik border war of September 2022 is the case: an action from its warning, the meeting its agenda
suggests, and what the stage of the dyad did 1, 3 and 6 months later (read from ``prevdip signals``' own function).
"""

from __future__ import annotations

import json
import shlex
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from prevdip.cli.app import app
from prevdip.response import action_from_warning, meeting_from_agenda, open_ledger, review, warnings_raised
from prevdip.response.review import OUTCOMES, outcome
from prevdip.signals import signals_for

pytestmark = pytest.mark.slow
runner = CliRunner()
SEPT = date(2022, 9, 1)


def _json(command: str) -> dict[str, Any]:
    """Run ``prevdip response COMMAND --json``: it must succeed and print one JSON object."""
    result = runner.invoke(app, ["response", *shlex.split(command), "--json"])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def test_an_action_from_a_warning_and_what_the_stage_did_after_it(lake_with_ledger: Path) -> None:
    warning = next(w for w in warnings_raised(SEPT) if w.unit == "KGZ-TJK")
    with open_ledger("officer") as ledger:
        action = action_from_warning(
            ledger, "TJK-KGZ", "2022-09", kind="visit", when="2022-09-21", description="SR visit"
        )
        assert (action.unit, action.instrument) == ("KGZ-TJK", warning.instrument)
        recorded = action.as_dict()
        meeting = meeting_from_agenda(ledger, "2022-09", "Deputy foreign ministers", "2022-12-08")
        border = next(b for b in meeting.blocks if b.priority_group == "border_disputes")
        assert {"unit": "KGZ-TJK", "month": "2022-09"} in border.warnings
    with open_ledger() as ledger:
        found = review(ledger, unit_code="KGZ-TJK")
    assert list(found) == ["unit", "horizons", "caveat", "actions", "summary", "commitments_by_partner"]
    (reading,) = found["actions"]
    assert list(reading.items())[:-2] == list(recorded.items())  # the action as recorded, then its stages
    assert list(reading)[-2:] == ["stage", "after"]
    assert [list(s) for s in found["summary"]] == [
        ["months_after", "actions", "not_yet_observed", *OUTCOMES, "improved_share", "baseline_improved_share"]
    ] * 3
    start = signals_for("KGZ-TJK", "2022-09")["stage"]
    assert reading["stage"] == start == warning.stage
    for after, months in zip(reading["after"], (1, 3, 6), strict=True):
        later = signals_for("KGZ-TJK", after["month"])["stage"]
        assert after["months_after"] == months and after["stage"] == later
        assert after["outcome"] == outcome(start, later)
        summary = found["summary"][(1, 3, 6).index(months)]
        assert summary["actions"] == 1 and summary[after["outcome"]] == 1
        assert 0 <= summary["baseline_improved_share"] <= 1
    assert "not causation" in found["caveat"]


def test_the_cli_records_and_refuses(lake_with_ledger: Path, tmp_path: Path) -> None:
    partner = _json("partner add 'Government of Kyrgyzstan' --kind government --country KGZ")["partner"]
    assert partner == {"id": 1, "name": "Government of Kyrgyzstan", "kind": "government", "country_iso3": "KGZ"}
    made = _json(
        "action add --from-warning KGZ-TJK --month 2022-09 --kind statement --date 2022-09-16 "
        "--description 'Call for restraint' --partner 'Government of Kyrgyzstan'"
    )
    assert made["action"]["instrument"] == "peacemaking" and made["action"]["partners"] == ["Government of Kyrgyzstan"]
    meeting = _json("meeting add --title DFM --date 2022-12-08 --agenda-from 2022-09")["meeting"]
    assert meeting["agenda_blocks"] and _json(f"meeting show {meeting['id']}")["meeting"]["title"] == "DFM"
    _json("commitment add --partner 1 --what 'pull back' --due 2022-10-01 --meeting 1")
    assert _json("commitment list --status late")["count"] == 1
    assert _json("commitment update 1 --status kept")["commitment"]["status"] == "kept"
    assert _json("review --unit KGZ-TJK")["summary"][0]["actions"] == 1
    quiet = next(u for u in ("KAZ", "TKM", "UZB") if u not in {w.unit for w in warnings_raised(SEPT)})
    for command, problem in (
        (f"action add --from-warning {quiet} --month 2022-09 --kind visit --date 2022-09-20 --description x",
         f"unit: no open warning for {quiet} in 2022-09"),
        ("commitment add --partner Nobody --what x --due 2023-01-01 --action 1", "partner: no partner named 'Nobody'"),
        (f"import {tmp_path / 'missing.toml'}", "no file"),
    ):  # fmt: skip
        result = runner.invoke(app, ["response", *shlex.split(command)])
        assert result.exit_code == 2 and problem in result.stderr and result.stdout == ""
    assert _json("action list")["count"] == 1
