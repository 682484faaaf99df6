"""``prevdip demo --no-serve``: the monthly cycle end to end, and its second run reusing what it built."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from prevdip.cli.app import app
from prevdip.forecast.targets import GEOLOCATED_TARGETS, TARGETS

runner = CliRunner()


@pytest.mark.slow
def test_demo_runs_the_cycle_and_reuses_it(bundle_lake: dict[str, Any], bundle: Path, pointing_at: Any) -> None:
    with pointing_at(bundle_lake["workspace"], bundle) as mp:
        origins = {t: "2020-01:2020-06" if t in GEOLOCATED_TARGETS else "2025-01:2025-06" for t in TARGETS}
        mp.setattr("prevdip.cycle.DEFAULT_ORIGINS", origins)  # the full backtest is the benchmark's job; the
        # bundle's geolocated events end in 2020
        mp.setattr("prevdip.cycle.BACKTEST_HORIZONS", [1, 3])
        first = runner.invoke(app, ["demo", "--no-serve", "--json"])
        second = runner.invoke(app, ["demo", "--no-serve", "--json"])
    assert first.exit_code == 0, first.output
    data = json.loads(first.stdout)
    steps = {s["step"]: s for s in data["steps"]}
    assert steps["ingest"]["sources_read"] == []  # the session's lake already holds the bundle
    assert data["month"] == "2026-05"  # the country-month series reaches May 2026
    assert set(data["summary"]["countries"]) == {"KAZ", "KGZ", "TJK", "TKM", "UZB", "AFG"}
    stages = {row["stage"] for row in data["summary"]["countries"].values()}
    assert stages <= {"durable_peace", "stable_peace", "unstable_peace", "crisis", "war", "post_conflict"}
    briefs = {(b["lang"], b["format"]): Path(b["path"]) for b in steps["brief"]["briefs"]}
    assert set(briefs) == {(lang, fmt) for lang in ("en", "ru") for fmt in ("html", "pdf")}
    assert all(briefs[(lang, "pdf")].read_bytes().startswith(b"%PDF") for lang in ("en", "ru"))
    assert "Monthly situation brief" in briefs[("en", "html")].read_text(encoding="utf-8")
    assert "Ежемесячная ситуационная справка" in briefs[("ru", "html")].read_text(encoding="utf-8")
    assert briefs[("ru", "pdf")].name == "brief-2026-05-ru.pdf"  # the governments' brief, in Russian
    backtests = {b["target"]: b for b in steps["backtest"]["targets"]}
    assert set(backtests) == {"ucdp-best", "stage-crisis", "border-dyads", "provinces"}
    vintages = {v["target"]: Path(v["path"]) for v in steps["forecast"]["vintages"]}
    assert all(path.is_file() for path in vintages.values())
    assert all("-2026-05-" in vintages[t].name for t in ("ucdp-best", "stage-crisis"))
    assert all("-2020-12-" in vintages[t].name for t in ("border-dyads", "provinces"))  # where their events end
    again = {s["step"]: s for s in json.loads(second.stdout)["steps"]}
    assert all(b["reused"] for b in again["brief"]["briefs"])
    assert all(b["reused"] for b in again["backtest"]["targets"])
    assert all(v["reused"] for v in again["forecast"]["vintages"])


def test_the_demo_officer_gets_a_new_password_each_run_kept_nowhere_in_clear(workspace: Path) -> None:
    from datetime import UTC, datetime

    from prevdip.accounts import open_accounts, sign_in
    from prevdip.cli.demo import DEMO_ACCOUNT, _demo_account
    from prevdip.store import init_workspace

    init_workspace()
    first = _demo_account()
    second = _demo_account()  # a second `make demo`: the same account, a new password
    now = datetime.now(UTC)
    with open_accounts() as accounts:
        assert sign_in(accounts, DEMO_ACCOUNT, first, now).refusal == "wrong"
        signed = sign_in(accounts, DEMO_ACCOUNT, second, now).user
        assert signed is not None and signed.role == "officer"
    for path in workspace.rglob("*"):
        if path.is_file():
            assert second.encode() not in path.read_bytes(), path
