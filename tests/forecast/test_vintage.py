"""Frozen vintages: hashed, reproducible, never overwritten, tamper-evident."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prevdip.errors import RefusedInput
from prevdip.forecast import TargetPanel, freeze_vintage, issue_vintage
from prevdip.forecast.vintage import content_hash, read_vintage


def test_issue_freeze_and_refuse_a_different_vintage(panel: TargetPanel, bundle: Path, workspace: Path) -> None:
    record = issue_vintage(panel, "2025-01", bundle=bundle, model="conflictology12")
    assert record["origin"] == "2025-01" and record["n_units"] == 197  # the GW states alive in 2025
    assert len(record["forecasts"]) == 197 * 4
    assert {"KAZ", "TKM"} <= {r["unit"] for r in record["forecasts"]}
    assert "DDR" not in {r["unit"] for r in record["forecasts"]}  # a state that ended in 1990
    afg = next(r for r in record["forecasts"] if r["unit"] == "AFG" and r["horizon"] == 3)
    assert afg["month"] == "2025-04" and afg["q05"] <= afg["q50"] <= afg["q95"] and 0 <= afg["p_any"] <= 1

    frozen, written = freeze_vintage(record, workspace)
    path = Path(frozen.path or "")
    assert written and path.is_file() and frozen.vintage[:16] in path.name
    assert path.parent == workspace / "vintages"
    assert read_vintage(path)["vintage"] == content_hash(record)

    again, written_again = freeze_vintage(
        issue_vintage(panel, "2025-01", bundle=bundle, model="conflictology12"), workspace
    )
    assert not written_again and again.path == frozen.path  # same content, same file

    other = issue_vintage(panel, "2025-01", bundle=bundle, model="last")
    with pytest.raises(RefusedInput, match="already frozen"):
        freeze_vintage(other, workspace)
    assert len(list((workspace / "vintages").glob("*.json"))) == 1


def test_tampered_vintage_is_refused(panel: TargetPanel, bundle: Path, workspace: Path) -> None:
    frozen, _ = freeze_vintage(issue_vintage(panel, "2024-06", bundle=bundle, model="zero"), workspace)
    path = Path(frozen.path or "")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["forecasts"][0]["p_any"] = 0.99
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(RefusedInput, match="does not match its hash"):
        read_vintage(path)


def test_too_early_or_unknown_month_is_refused(panel: TargetPanel, bundle: Path) -> None:
    with pytest.raises(RefusedInput, match="too little history"):
        issue_vintage(panel, "1990-06", bundle=bundle, model="zero")
    with pytest.raises(RefusedInput, match="outside"):
        issue_vintage(panel, "2030-01", bundle=bundle, model="zero")
