"""What the forecast domain publishes for the dashboard, the brief and the warnings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from prevdip.errors import RefusedInput
from prevdip.forecast import (
    TargetPanel,
    backtest_and_publish,
    crisis_risk,
    freeze_vintage,
    issue_vintage,
    latest_vintage,
    load_target,
    published_backtest,
    unit_forecast,
)


def test_a_backtest_is_published_and_reused_only_for_the_same_inputs(bundle: Path, series_workspace: Path) -> None:
    ws = series_workspace
    settings = {"target": "ucdp-best", "origins": "2025-01:2025-03", "models": "zero,conflictology12"}
    first, reused = backtest_and_publish(**settings, horizons=[1], bundle=bundle, workspace=ws, reuse=True)
    assert not reused
    assert set(first.scores) == {"zero", "conflictology12"}
    assert published_backtest(workspace=ws).scores == first.scores
    again, reused = backtest_and_publish(**settings, horizons=[1], bundle=bundle, workspace=ws, reuse=True)
    assert reused and again.fingerprint
    other, reused = backtest_and_publish(**settings, horizons=[3], bundle=bundle, workspace=ws, reuse=True)
    assert not reused and set(next(iter(other.scores.values()))) == {"3"}


def test_nothing_published_is_refused_with_what_to_run(workspace: Path) -> None:
    with pytest.raises(RefusedInput, match="no published backtest"):
        published_backtest(workspace=workspace)
    with pytest.raises(RefusedInput, match="no frozen ucdp-best forecast vintage"):
        latest_vintage(workspace=workspace)
    assert crisis_risk(workspace=workspace) == {}


def test_unit_forecast_reads_the_newest_vintage_at_or_before_the_month(
    panel: TargetPanel, bundle: Path, workspace: Path
) -> None:
    for month in ("2024-06", "2025-01"):
        freeze_vintage(issue_vintage(panel, month, bundle=bundle, model="conflictology12"), workspace)
    early = unit_forecast("AFG", date(2024, 9, 1), workspace=workspace)
    late = unit_forecast("AFG", date(2025, 3, 1), workspace=workspace)
    assert early.origin == "2024-06" and late.origin == "2025-01"
    assert [h.month for h in late.horizons] == ["2025-02", "2025-04", "2025-07", "2026-01"]
    first = late.horizons[0].as_json()
    assert first["low90"] <= first["low50"] <= first["median"] <= first["high50"] <= first["high90"]
    with pytest.raises(RefusedInput, match="no frozen forecast covers AFG"):
        unit_forecast("AFG", date(2020, 1, 1), workspace=workspace)  # nothing issued that early
    rows = [row.as_json() for row in latest_vintage(workspace=workspace).forecasts]
    assert rows[0]["horizon"] == 1 and rows[0]["p_any"] >= rows[-1 - 3 * 197]["p_any"]  # riskiest first


@pytest.mark.slow
def test_crisis_risk_covers_countries_and_dyads(bundle: Path, series_workspace: Path) -> None:
    workspace = series_workspace
    stages = load_target("stage-crisis", bundle=bundle, workspace=workspace)
    freeze_vintage(issue_vintage(stages, "2022-08", bundle=bundle, model="conflictology12"), workspace)
    risks = crisis_risk(workspace=workspace, month=date(2022, 9, 1))
    assert {"KGZ", "TJK", "KGZ-TJK"} <= set(risks)
    assert all(0.0 <= p <= 1.0 for p in risks.values())
    dyad = unit_forecast("KGZ-TJK", date(2022, 9, 1), workspace=workspace)
    assert dyad.horizons[0].median is None and dyad.horizons[0].p_crisis is not None
